"""Report pages, mounted at /reports/."""

from django.urls import path

from medvigil.reports import views

app_name = "reports"

urlpatterns = [
    path("versions/<int:version_id>/", views.version_reports, name="list"),
    path("versions/<int:version_id>/<slug:kind>/issue", views.issue, name="issue"),
    path("<int:report_id>/", views.detail, name="detail"),
    path("<int:report_id>/sign", views.sign_report, name="sign"),
    path("<int:report_id>/download.<str:output>", views.download, name="download"),
]
