"""Security risk engine (AAMI TIR57 style): scales, matrix, evaluation, blocking issues. Pure."""

from medvigil.core.risk.assessment import (
    Impact,
    RiskEvaluation,
    RiskLevel,
    evaluate,
    exploitability_from_cvss,
)
from medvigil.core.risk.blocking import BlockingIssue, ControlFacts, RiskFacts, blocking_issues
from medvigil.core.risk.exploitability import (
    SSVC_EXPLOITATION,
    EpssThresholds,
    ExploitabilityState,
    exploitability_changes,
    state_from_json,
    state_to_json,
)
from medvigil.core.risk.scales import (
    DEFAULT_MATRIX,
    DEFAULT_ROWS,
    EXPLOITABILITY,
    IMPACT_AREAS,
    REGION_LABELS,
    REGIONS,
    SEVERITY,
    RiskMatrix,
    RiskScaleError,
    matrix_from_rows,
)
from medvigil.core.risk.traceability import (
    GAP_LABELS,
    Traceability,
    TracedControl,
    TracedRisk,
    TracedThreat,
    TracedVerification,
    trace,
)

__all__ = [
    "DEFAULT_MATRIX",
    "DEFAULT_ROWS",
    "EXPLOITABILITY",
    "GAP_LABELS",
    "IMPACT_AREAS",
    "REGIONS",
    "REGION_LABELS",
    "SEVERITY",
    "SSVC_EXPLOITATION",
    "BlockingIssue",
    "ControlFacts",
    "EpssThresholds",
    "ExploitabilityState",
    "Impact",
    "RiskEvaluation",
    "RiskFacts",
    "RiskLevel",
    "RiskMatrix",
    "RiskScaleError",
    "Traceability",
    "TracedControl",
    "TracedRisk",
    "TracedThreat",
    "TracedVerification",
    "blocking_issues",
    "evaluate",
    "exploitability_changes",
    "exploitability_from_cvss",
    "matrix_from_rows",
    "state_from_json",
    "state_to_json",
    "trace",
]
