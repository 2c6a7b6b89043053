from django.urls import path

from medvigil.vex import views

app_name = "vex"

urlpatterns = [
    path("versions/<int:version_id>/", views.version_page, name="version"),
    path("versions/<int:version_id>/import", views.import_document, name="import"),
    path("versions/<int:version_id>/export", views.export, name="export"),
    path("documents/<int:vex_document_id>/", views.document_detail, name="document"),
    path("documents/<int:vex_document_id>/original", views.document_original, name="original"),
]
