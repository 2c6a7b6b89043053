"""The HTTP API at /api/v1/: one NinjaAPI that mounts each app's router."""

from __future__ import annotations

from medvigil import __version__
from medvigil.accounts.api import router as accounts_router
from medvigil.accounts.authentication import API_AUTHENTICATION
from medvigil.alerts.api import router as alerts_router
from medvigil.audit.api import router as audit_router
from medvigil.disclosure.advisories.api import advisory_router, cve_router
from medvigil.disclosure.api import router as disclosure_router
from medvigil.operations.api import router as operations_router
from medvigil.platform.bodies import guard_bodies
from medvigil.platform.openapi import ProblemDocumentingAPI
from medvigil.platform.parsing import ProblemParser
from medvigil.platform.problems import install_problem_handlers
from medvigil.portfolio.api import router as portfolio_router
from medvigil.reports.api import router as reports_router
from medvigil.riskfile.api import router as riskfile_router
from medvigil.sbom.api import router as sbom_router
from medvigil.triage.api import router as triage_router
from medvigil.vex.api import router as vex_router
from medvigil.vulns.api import router as vulns_router

api = ProblemDocumentingAPI(
    title="medvigil API",
    version="1",
    description=(
        "The API of medvigil. Every screen has an API twin. Errors are RFC 9457 "
        "problem details (application/problem+json). Lists use keyset pagination: "
        "pass `next_cursor` back as `cursor`. "
        f"Server version {__version__}."
    ),
    auth=API_AUTHENTICATION,
    parser=ProblemParser(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_problem_handlers(api)
api.add_router("/", operations_router)
api.add_router("/accounts", accounts_router)
api.add_router("/alerts", alerts_router)
api.add_router("/audit", audit_router)
api.add_router("/disclosure", disclosure_router)
api.add_router("/disclosure/advisories", advisory_router)
api.add_router("/disclosure/cves", cve_router)
api.add_router("/portfolio", portfolio_router)
api.add_router("/reports", reports_router)
api.add_router("/riskfile", riskfile_router)
api.add_router("/sbom", sbom_router)
api.add_router("/triage", triage_router)
api.add_router("/vex", vex_router)
api.add_router("/vulns", vulns_router)
guard_bodies(api)
