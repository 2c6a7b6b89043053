"""Scales and the risk matrix of the security risk assessment (AAMI TIR57 style).

Security risk is estimated from *exploitability* (not probability) and the
*severity* of the worst impact. Impacts on confidentiality, integrity,
availability, privacy and patient safety all use the ISO 14971 five-level
harm severity scale, and the overall severity is the highest of them.

A `RiskMatrix` gives each (exploitability, severity) cell an acceptability
region: acceptable, ALARP (as low as reasonably practicable), or
unacceptable. The default matrix is a starting point that a manufacturer
replaces by its own risk management plan (`matrix_from_rows`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

EXPLOITABILITY = ("very_low", "low", "moderate", "high", "very_high")
SEVERITY = ("negligible", "minor", "serious", "critical", "catastrophic")
SEVERITY_MEANING = {
    "negligible": "inconvenience or temporary discomfort",
    "minor": "temporary injury not needing professional intervention",
    "serious": "injury needing professional medical intervention",
    "critical": "permanent impairment or life-threatening injury",
    "catastrophic": "death",
}
IMPACT_AREAS = ("confidentiality", "integrity", "availability", "privacy", "patient_safety")
REGIONS = ("acceptable", "alarp", "unacceptable")
REGION_LABELS = {
    "acceptable": "Acceptable",
    "alarp": "As low as reasonably practicable",
    "unacceptable": "Unacceptable",
}
REGION_LETTERS = {"A": "acceptable", "L": "alarp", "U": "unacceptable"}


class RiskScaleError(ValueError):
    """A level, impact or matrix is not valid; the message says which and why."""


@dataclass(frozen=True)
class RiskMatrix:
    """Region per (exploitability, severity); `rows` is indexed [exploitability][severity]."""

    rows: tuple[tuple[str, ...], ...]

    def region(self, exploitability: str, severity: str) -> str:
        return self.rows[level_index(EXPLOITABILITY, exploitability)][
            level_index(SEVERITY, severity)
        ]


def level_index(scale: Sequence[str], level: str) -> int:
    if level not in scale:
        raise RiskScaleError(f"{level!r} is not one of {', '.join(scale)}")
    return scale.index(level)


def matrix_from_rows(rows: Mapping[str, str]) -> RiskMatrix:
    """A matrix from {exploitability: five letters A/L/U, negligible to catastrophic}.

    Each row must be no better than the row below it and each cell no better
    than the one to its left (a higher exploitability or severity never lowers
    the region).
    """
    if set(rows) != set(EXPLOITABILITY):
        raise RiskScaleError(f"the matrix needs exactly the rows {', '.join(EXPLOITABILITY)}")
    built: list[tuple[str, ...]] = []
    for exploitability in EXPLOITABILITY:
        letters = rows[exploitability].replace(" ", "")
        if len(letters) != len(SEVERITY) or any(letter not in REGION_LETTERS for letter in letters):
            raise RiskScaleError(
                f"row {exploitability}: expected {len(SEVERITY)} letters of A, L, U, "
                f"got {rows[exploitability]!r}"
            )
        built.append(tuple(REGION_LETTERS[letter] for letter in letters))
    for row_index, row in enumerate(built):
        for column, region in enumerate(row):
            rank = REGIONS.index(region)
            if column and rank < REGIONS.index(row[column - 1]):
                raise RiskScaleError(
                    f"row {EXPLOITABILITY[row_index]}: {SEVERITY[column]} is less severe a "
                    f"region than {SEVERITY[column - 1]}"
                )
            if row_index and rank < REGIONS.index(built[row_index - 1][column]):
                raise RiskScaleError(
                    f"row {EXPLOITABILITY[row_index]}: {SEVERITY[column]} is a lower region "
                    f"than at exploitability {EXPLOITABILITY[row_index - 1]}"
                )
    return RiskMatrix(tuple(built))


DEFAULT_ROWS = {
    "very_low": "AAALL",
    "low": "AALLU",
    "moderate": "ALLUU",
    "high": "ALUUU",
    "very_high": "LLUUU",
}
DEFAULT_MATRIX = matrix_from_rows(DEFAULT_ROWS)
