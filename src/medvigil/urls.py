from django.contrib import admin
from django.urls import include, path

from medvigil.api import api
from medvigil.web.problems import api_not_found

urlpatterns = [
    path("api/v1/", api.urls),
    path("api/v1/<path:path>", api_not_found),
    path("admin/", admin.site.urls),
    path("products/", include("medvigil.portfolio.urls")),
    path("sbom/", include("medvigil.sbom.urls")),
    path("audit/", include("medvigil.audit.urls")),
    path("", include("medvigil.accounts.urls")),
    path("", include("medvigil.web.urls")),
]
