"""Security risk engine (AAMI TIR57 style): scales, matrix, evaluation, blocking issues. Pure."""

from medvigil.core.risk.assessment import (
    Impact,
    RiskEvaluation,
    RiskLevel,
    evaluate,
    exploitability_from_cvss,
)
from medvigil.core.risk.blocking import BlockingIssue, ControlFacts, RiskFacts, blocking_issues
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

__all__ = [
    "DEFAULT_MATRIX",
    "DEFAULT_ROWS",
    "EXPLOITABILITY",
    "IMPACT_AREAS",
    "REGIONS",
    "REGION_LABELS",
    "SEVERITY",
    "BlockingIssue",
    "ControlFacts",
    "Impact",
    "RiskEvaluation",
    "RiskFacts",
    "RiskLevel",
    "RiskMatrix",
    "RiskScaleError",
    "blocking_issues",
    "evaluate",
    "exploitability_from_cvss",
    "matrix_from_rows",
]
