from django.contrib import admin
from django.urls import include, path

from medvigil.api import api
from medvigil.disclosure.intake.portal import security_txt_file
from medvigil.platform.problems import api_not_found

urlpatterns = [
    path("api/v1/", api.urls),
    path("api/v1/<path:path>", api_not_found),
    path("admin/", admin.site.urls),
    path("products/", include("medvigil.portfolio.urls")),
    path("alerts/", include("medvigil.alerts.urls")),
    path("sbom/", include("medvigil.sbom.urls")),
    path("riskfile/", include("medvigil.riskfile.urls")),
    path("triage/", include("medvigil.triage.urls")),
    path("reports/", include("medvigil.reports.urls")),
    path("vex/", include("medvigil.vex.urls")),
    path("vulnerabilities/", include("medvigil.vulns.urls")),
    path("audit/", include("medvigil.audit.urls")),
    path("disclosure/", include("medvigil.disclosure.urls")),
    path(".well-known/security.txt", security_txt_file, name="security-txt"),
    path("advisories/", include("medvigil.disclosure.advisories.urls")),
    path(".well-known/csaf/", include("medvigil.disclosure.advisories.csaf.urls")),
    path("", include("medvigil.accounts.urls")),
    path("", include("medvigil.web.urls")),
]
