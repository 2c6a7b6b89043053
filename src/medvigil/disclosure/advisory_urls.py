"""Advisory pages, mounted at /advisories/: public list and pages, and the authors' pages."""

from django.urls import path

from medvigil.disclosure import advisory_public_views, advisory_views

app_name = "advisories"

urlpatterns = [
    path("", advisory_public_views.public_list, name="public-list"),
    path("manage/", advisory_views.advisory_list, name="advisory-list"),
    path("manage/cases/<int:case_id>/new", advisory_views.advisory_create, name="advisory-create"),
    path("manage/cases/<int:case_id>/cve", advisory_public_views.cve_record, name="cve-record"),
    path("manage/cve/<str:cve_id>.json", advisory_public_views.cve_download, name="cve-download"),
    path("manage/<int:advisory_id>/", advisory_views.advisory_detail, name="advisory-detail"),
    path("manage/<int:advisory_id>/review", advisory_views.advisory_review, name="advisory-review"),
    path(
        "manage/<int:advisory_id>/approve", advisory_views.advisory_approve, name="advisory-approve"
    ),
    path(
        "manage/<int:advisory_id>/publish", advisory_views.advisory_publish, name="advisory-publish"
    ),
    path("<str:tracking_id>", advisory_public_views.public_page, name="public-page"),
]
