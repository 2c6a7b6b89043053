from django.urls import path

from medvigil.sbom import views

app_name = "sbom"

urlpatterns = [
    path("versions/<int:version_id>/", views.version_sboms, name="version"),
    path("versions/<int:version_id>/components", views.component_rows, name="components"),
    path("versions/<int:version_id>/upload", views.upload, name="upload"),
    path("versions/<int:version_id>/quality", views.version_quality, name="version-quality"),
    path("versions/<int:version_id>/export/<str:format_name>", views.export, name="export"),
    path("documents/<int:document_id>/", views.document_detail, name="document"),
    path("documents/<int:document_id>/original", views.document_original, name="original"),
    path("documents/<int:document_id>/delete", views.document_delete, name="document-delete"),
    path("components/<int:component_id>/support", views.component_support, name="support"),
    path("diff/", views.diff, name="diff"),
    path("components/", views.component_search, name="where"),
]
