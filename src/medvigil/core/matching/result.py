"""What the matcher answers: a verdict with its reason and its confidence."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from medvigil.core.advisories import Advisory


class Confidence(StrEnum):
    """How much a verdict can be trusted.

    HIGH: the component was identified by purl and the version placed in the
    ecosystem's order. MEDIUM: identified by CPE (a dictionary name, not a
    package identity), or a distribution component whose release is unknown.
    LOW: the version could not be ordered, so only an exact string in
    `versions[]` could match and ranges were not evaluated.
    """

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Rule(StrEnum):
    """Which rule decided the verdict."""

    LISTED_VERSION = "listed_version"  # equal, in the ecosystem's order, to a versions[] entry
    IN_RANGE = "in_range"  # inside an introduced..fixed/last_affected/limit interval
    LISTED_STRING = "listed_string"  # exact string in versions[] (no ordering available)
    CPE_CRITERIA = "cpe_criteria"  # an NVD cpeMatch with its version bounds
    CPE_EVERY_VERSION = "cpe_every_version"  # a cpeMatch with no version: a review candidate
    NOT_AFFECTED = "not_affected"


ABOVE_LAST_AFFECTED = (
    "version is above last_affected {bound}: the record names no fix, so later "
    "versions may still be affected (possible false negative)"
)
EVERY_VERSION = (
    "the criterion names every version of the product (no version, no bounds): "
    "a candidate for review, not a finding"
)
UNORDERED_VERSION = (
    "version {version!r} has no place in the {ordering} order: only exact strings "
    "in versions[] were compared, ranges were not evaluated"
)


@dataclass(frozen=True, slots=True)
class Verdict:
    """The answer for one version against one affected package or CPE configuration.

    `range_index` and the interval bounds say which range matched;
    `listed_version` which versions[] entry matched; `hint` warns about a
    possible false negative even when `affected` is False.
    """

    affected: bool
    rule: Rule
    confidence: Confidence
    explanation: str
    range_index: int | None = None
    introduced: str | None = None
    upper_bound: str | None = None
    upper_bound_kind: Literal["fixed", "last_affected", "limit"] | None = None
    listed_version: str | None = None
    hint: str | None = None


@dataclass(frozen=True, slots=True)
class Match:
    """One advisory found for one component, with the verdict that decided it.

    `method` is how the component was tied to the advisory: by purl
    (ecosystem + normalised name) or by CPE. `package_index` is the position
    in `advisory.affected` (purl) or in `advisory.cpe_configurations` (CPE).
    """

    advisory: Advisory
    method: Literal["purl", "cpe"]
    package_index: int
    verdict: Verdict

    @property
    def advisory_id(self) -> str:
        return self.advisory.id

    @property
    def affected(self) -> bool:
        return self.verdict.affected

    @property
    def confidence(self) -> Confidence:
        return self.verdict.confidence
