"""Risk file pages (htmx): overview and diagram, threats, risks with the matrix, controls,
safety, vulnerabilities and traceability.

Views only translate HTTP: reads through selectors, writes through services.
A refused write renders the same page again with the bound form: what was
typed stays, and each error shows beside its field (never a 500). A form shown
on each row of a list (a review, a verification) is kept on its own row.
"""

from medvigil.riskfile.views.controls import (
    control_create,
    control_list,
    impact_review,
    verification_add,
)
from medvigil.riskfile.views.model import (
    diagram,
    export_model,
    overview,
    regenerate,
    threat_decide,
    threat_list,
    upload_model,
)
from medvigil.riskfile.views.risks import (
    benefit_risk,
    benefit_risk_approve,
    risk_create,
    risk_list,
    risk_update,
)
from medvigil.riskfile.views.safety import (
    entry_reviewed,
    reviewed,
    risk_reviewed,
    safety_import,
    safety_link,
    safety_list,
)
from medvigil.riskfile.views.traceability import (
    risk_reevaluated,
    traceability_export,
    traceability_page,
    vulnerability_link,
    vulnerability_list,
    vulnerability_unlink,
)

__all__ = [
    "benefit_risk",
    "benefit_risk_approve",
    "control_create",
    "control_list",
    "diagram",
    "entry_reviewed",
    "export_model",
    "impact_review",
    "overview",
    "regenerate",
    "reviewed",
    "risk_create",
    "risk_list",
    "risk_reevaluated",
    "risk_reviewed",
    "risk_update",
    "safety_import",
    "safety_link",
    "safety_list",
    "threat_decide",
    "threat_list",
    "traceability_export",
    "traceability_page",
    "upload_model",
    "verification_add",
    "vulnerability_link",
    "vulnerability_list",
    "vulnerability_unlink",
]
