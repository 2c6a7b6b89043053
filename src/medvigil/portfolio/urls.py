"""Portfolio pages, mounted at /products/."""

from django.urls import path

from medvigil.portfolio import views

app_name = "portfolio"

urlpatterns = [
    path("", views.product_list, name="product-list"),
    path("new", views.product_create, name="product-create"),
    path("<int:product_id>/", views.product_detail, name="product-detail"),
    path("<int:product_id>/edit", views.product_edit, name="product-edit"),
    path("<int:product_id>/versions/new", views.version_create, name="version-create"),
    path("versions/<int:version_id>/", views.version_detail, name="version-detail"),
    path("versions/<int:version_id>/edit", views.version_edit, name="version-edit"),
    path("versions/<int:version_id>/move", views.version_move, name="version-move"),
    path(
        "versions/<int:version_id>/installed-base",
        views.version_installed_base,
        name="version-installed-base",
    ),
    path(
        "versions/<int:version_id>/deployments",
        views.deployment_record,
        name="deployment-record",
    ),
    path(
        "versions/<int:version_id>/deployments/<int:organisation_id>/remove",
        views.deployment_remove,
        name="deployment-remove",
    ),
]
