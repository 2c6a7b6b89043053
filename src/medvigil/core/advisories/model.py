"""The advisory model every reader produces and the matcher consumes.

A reader turns one public record (OSV, NVD, CVE 5, CSAF) into an
`Advisory`. Fields are plain, immutable values so an advisory can be cached,
compared and pickled across worker processes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from medvigil.core.documents import DocumentFormatError

EventKind = Literal["introduced", "fixed", "last_affected", "limit"]
RangeType = Literal["SEMVER", "ECOSYSTEM", "GIT"]
SeverityType = Literal["CVSS_V2", "CVSS_V3", "CVSS_V4", "Ubuntu", "qualitative"]
VersionStatusKind = Literal["affected", "unaffected", "unknown"]


@dataclass(frozen=True, slots=True)
class RangeEvent:
    """One OSV range event: exactly one kind with its version ("0" = before all)."""

    kind: EventKind
    version: str


@dataclass(frozen=True, slots=True)
class AffectedRange:
    """An OSV range: its events are evaluated in the ecosystem's version order."""

    type: RangeType
    events: tuple[RangeEvent, ...]
    repository: str | None = None


@dataclass(frozen=True, slots=True)
class VersionChange:
    """A CVE 5 status change inside a range: from `at` on, the status is `status`."""

    at: str
    status: VersionStatusKind


@dataclass(frozen=True, slots=True)
class VersionStatus:
    """A CVE 5 `versions[]` entry as published (``version`` alone, or a range).

    ``less_than``/``less_than_or_equal`` keep the CVE 5 conventions: ``"*"`` is
    infinity and ``"2.*"`` means the whole 2.x line, never a wildcard.
    """

    version: str
    status: VersionStatusKind
    version_type: str | None = None
    less_than: str | None = None
    less_than_or_equal: str | None = None
    changes: tuple[VersionChange, ...] = ()


@dataclass(frozen=True, slots=True)
class AffectedPackage:
    """A package in a named ecosystem, affected in `ranges` or at `versions`.

    `ecosystem` keeps the OSV spelling with any release suffix
    (``"Debian:12"``); `name` is as published, normalisation is the matcher's
    job. `purl` has no version.

    Products named by a vendor rather than a package registry (CVE 5
    vendor/product, CSAF products without a purl) have ``ecosystem == ""``,
    ``name`` the product and ``vendor`` set; the matcher uses `cpes` or
    vendor/product for them. For CVE 5 records `version_statuses` and
    `default_status` are the published truth; `ranges`/`versions` are derived
    from them only where the mapping is exact (see docs/vulnerability-sources.md).
    `version_ranges` keeps free-form ranges as published (CSAF
    ``product_version_range``: VERS or vendor text). `model_numbers` are a
    CSAF product's ``product_identification_helper.model_numbers``.
    """

    ecosystem: str
    name: str
    purl: str | None = None
    ranges: tuple[AffectedRange, ...] = ()
    versions: tuple[str, ...] = ()
    vendor: str | None = None
    cpes: tuple[str, ...] = ()
    default_status: VersionStatusKind | None = None
    version_statuses: tuple[VersionStatus, ...] = ()
    version_ranges: tuple[str, ...] = ()
    model_numbers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CpeMatch:
    """An NVD cpeMatch criterion with its optional version bounds."""

    criteria: str
    vulnerable: bool = True
    version_start_including: str | None = None
    version_start_excluding: str | None = None
    version_end_including: str | None = None
    version_end_excluding: str | None = None


@dataclass(frozen=True, slots=True)
class CpeConfiguration:
    """An NVD configuration: nodes of matches joined by AND/OR.

    Each node is ``(operator, negate, matches)``; the configuration's own
    ``operator`` joins its nodes. A lone OR node is the common case.
    """

    nodes: tuple[tuple[Literal["AND", "OR"], bool, tuple[CpeMatch, ...]], ...]
    operator: Literal["AND", "OR"] = "OR"
    negate: bool = False


@dataclass(frozen=True, slots=True)
class Severity:
    """A score as published: a CVSS vector, or a qualitative rating."""

    type: SeverityType
    score: str
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Reference:
    url: str
    type: str = "WEB"


@dataclass(frozen=True, slots=True)
class Advisory:
    """A published vulnerability record, whatever format it came from."""

    id: str
    source: str
    modified: datetime
    published: datetime | None = None
    withdrawn: datetime | None = None
    aliases: tuple[str, ...] = ()
    summary: str = ""
    details: str = ""
    severities: tuple[Severity, ...] = ()
    cwe_ids: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()
    affected: tuple[AffectedPackage, ...] = ()
    cpe_configurations: tuple[CpeConfiguration, ...] = ()
    extras: tuple[tuple[str, str], ...] = field(default=())

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn is not None


# Every reader raises the one error of field access; the advisory name stays for its callers.
AdvisoryFormatError = DocumentFormatError
