"""Advisory pages, mounted at /advisories/: public list and pages, and the authors' pages."""

from django.urls import path

from medvigil.disclosure.advisories.views import authoring, cves, public

app_name = "advisories"

urlpatterns = [
    path("", public.public_list, name="public-list"),
    path("manage/", authoring.advisory_list, name="advisory-list"),
    path("manage/cases/<int:case_id>/new", authoring.advisory_create, name="advisory-create"),
    path("manage/cases/<int:case_id>/cve", cves.cve_record, name="cve-record"),
    path("manage/cve/<str:cve_id>.json", cves.cve_download, name="cve-download"),
    path("manage/<int:advisory_id>/", authoring.advisory_detail, name="advisory-detail"),
    path("manage/<int:advisory_id>/review", authoring.advisory_review, name="advisory-review"),
    path("manage/<int:advisory_id>/approve", authoring.advisory_approve, name="advisory-approve"),
    path("manage/<int:advisory_id>/publish", authoring.advisory_publish, name="advisory-publish"),
    path("<str:tracking_id>", public.public_page, name="public-page"),
]
