"""Risk before and after controls, residual evaluation, and CVSS-derived exploitability."""

from __future__ import annotations

from dataclasses import dataclass

from cvss import CVSS3
from cvss.exceptions import CVSS3MalformedError

from medvigil.core.risk.scales import (
    DEFAULT_MATRIX,
    EXPLOITABILITY,
    IMPACT_AREAS,
    SEVERITY,
    RiskMatrix,
    RiskScaleError,
    level_index,
)

# CVSS v3 exploitability sub-score (8.22 x AV x AC x PR x UI, 0.12 to 3.89) to our scale.
CVSS_BANDS = ((3.5, "very_high"), (2.5, "high"), (1.5, "moderate"), (0.7, "low"))


@dataclass(frozen=True)
class Impact:
    """Severity of the worst credible outcome in each area (ISO 14971 scale)."""

    confidentiality: str = "negligible"
    integrity: str = "negligible"
    availability: str = "negligible"
    privacy: str = "negligible"
    patient_safety: str = "negligible"

    def __post_init__(self) -> None:
        for area in IMPACT_AREAS:
            level_index(SEVERITY, getattr(self, area))

    @property
    def severity(self) -> str:
        """The highest severity across the five areas."""
        levels: list[str] = [getattr(self, area) for area in IMPACT_AREAS]
        return max(levels, key=SEVERITY.index)


@dataclass(frozen=True)
class RiskLevel:
    exploitability: str
    severity: str
    region: str


@dataclass(frozen=True)
class RiskEvaluation:
    before: RiskLevel
    after: RiskLevel | None
    residual: RiskLevel

    @property
    def acceptable(self) -> bool:
        return self.residual.region == "acceptable"

    @property
    def needs_benefit_risk(self) -> bool:
        """An unacceptable residual risk stands only with a signed benefit-risk analysis."""
        return self.residual.region == "unacceptable"


def evaluate(
    exploitability: str,
    impact: Impact,
    *,
    residual_exploitability: str | None = None,
    residual_impact: Impact | None = None,
    matrix: RiskMatrix = DEFAULT_MATRIX,
) -> RiskEvaluation:
    """Risk before controls and, when either residual value is given, after them."""
    before = RiskLevel(
        exploitability, impact.severity, matrix.region(exploitability, impact.severity)
    )
    if residual_exploitability is None and residual_impact is None:
        return RiskEvaluation(before, None, before)
    after_exploitability = residual_exploitability or exploitability
    after_severity = (residual_impact or impact).severity
    after = RiskLevel(
        after_exploitability,
        after_severity,
        matrix.region(after_exploitability, after_severity),
    )
    return RiskEvaluation(before, after, after)


def exploitability_from_cvss(vector: str) -> str:
    """Our exploitability level from a CVSS v3.x vector's exploitability metrics.

    Raises RiskScaleError for a vector the `cvss` package cannot read.
    """
    try:
        parsed = CVSS3(vector)
    except CVSS3MalformedError as error:
        raise RiskScaleError(f"not a CVSS v3 vector: {error}") from error
    subscore = float(parsed.esc)
    for threshold, level in CVSS_BANDS:
        if subscore >= threshold:
            return level
    return EXPLOITABILITY[0]
