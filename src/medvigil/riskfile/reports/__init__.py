"""The risk file's reports, built from live data: traceability and security risk management.

The security risk management report follows the premarket documentation the
FDA guidance (2023, §V and Appendix 2) and AAMI TIR57 ask for: the system's
architecture views, the threats, the risks before and after controls, the
controls with their verification, the residual risk evaluation with any
benefit-risk analysis, the open (blocking) issues and the traceability from
threat to verification. Both are registered as report kinds, so they are
issued, signed and downloaded through the reports app.
"""

from medvigil.reports.kinds import register_kind
from medvigil.riskfile.reports.risk_management import build_risk_management
from medvigil.riskfile.reports.traceability import build_traceability

__all__ = ["build_risk_management", "build_traceability"]

register_kind("traceability", "Traceability matrix", build_traceability)
register_kind("security-risk-management", "Security risk management report", build_risk_management)
