"""The CSAF provider directory, mounted at /.well-known/csaf/."""

from django.urls import path

from medvigil.disclosure.advisories.csaf import views as csaf_views

app_name = "csaf"

urlpatterns = [
    path("provider-metadata.json", csaf_views.provider_metadata, name="provider-metadata"),
    path("feed-tlp-white.json", csaf_views.feed, name="feed"),
    path("white/index.txt", csaf_views.index, name="index"),
    path("white/changes.csv", csaf_views.changes, name="changes"),
    path("white/<int:year>/<str:filename>", csaf_views.document, name="document"),
]
