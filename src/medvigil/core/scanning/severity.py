"""The best available severity of a vulnerability, from its advisories' published scores.

Preference: CVSS v4.0, then v3.x, then v2 (newer versions describe impact
better), then a qualitative rating (GHSA's ``database_specific.severity``,
Ubuntu priorities). Among scores of the same version, the highest wins: a
triage list should not understate a risk that one source rates higher.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from cvss import CVSS2, CVSS3, CVSS4
from cvss.exceptions import CVSSError

from medvigil.core.advisories import Severity

Level = Literal["none", "low", "medium", "high", "critical", "unknown"]
LEVELS: tuple[Level, ...] = ("unknown", "none", "low", "medium", "high", "critical")
_PREFERENCE = {"CVSS_V4": 3, "CVSS_V3": 2, "CVSS_V2": 1}
_QUALITATIVE: dict[str, Level] = {
    "critical": "critical",
    "high": "high",
    "important": "high",
    "moderate": "medium",
    "medium": "medium",
    "low": "low",
    "negligible": "low",
    "none": "none",
}


@dataclass(frozen=True, slots=True)
class SeveritySummary:
    """One score: its CVSS vector and base score when it has one, and its level."""

    level: Level
    score: float | None = None
    vector: str | None = None
    type: str | None = None
    source: str | None = None


UNKNOWN = SeveritySummary("unknown")


def level_rank(level: str) -> int:
    return LEVELS.index(level) if level in LEVELS else 0


def best_severity(severities: Iterable[tuple[str, Severity]]) -> SeveritySummary:
    """The preferred score among ``(advisory id, severity)`` pairs (for the source)."""
    best: tuple[int, float, SeveritySummary] | None = None
    for advisory_id, severity in severities:
        summary = summarise(severity, advisory_id)
        if summary is None:
            continue
        rank = (_PREFERENCE.get(severity.type, 0), summary.score or level_rank(summary.level))
        if best is None or rank > best[:2]:
            best = (*rank, summary)
    return best[2] if best else UNKNOWN


def summarise(severity: Severity, advisory_id: str) -> SeveritySummary | None:
    """A `SeveritySummary` for one published score, or None when it cannot be read."""
    source = severity.source or advisory_id
    if severity.type in _PREFERENCE:
        try:
            vector = severity.score
            if severity.type == "CVSS_V4":
                parsed4 = CVSS4(vector)
                score = float(parsed4.base_score)
                level = str(parsed4.severity).lower()
            elif severity.type == "CVSS_V3":
                parsed3 = CVSS3(vector)
                score = float(parsed3.scores()[0])
                level = str(parsed3.severities()[0]).lower()
            else:
                score = float(CVSS2(vector).scores()[0])
                level = _cvss2_level(score)
        except (CVSSError, ValueError, KeyError, IndexError):
            return None
        return SeveritySummary(_level(level), score, vector, severity.type, source)
    qualitative = _QUALITATIVE.get(severity.score.strip().lower())
    if qualitative is None:
        return None
    return SeveritySummary(qualitative, None, None, severity.type, source)


def _cvss2_level(score: float) -> str:
    # CVSS v2 has no official qualitative scale; NVD's: 0-3.9 low, 4-6.9 medium, 7-10 high.
    return "low" if score < 4 else "medium" if score < 7 else "high"


def _level(text: str) -> Level:
    return _QUALITATIVE.get(text, "unknown")
