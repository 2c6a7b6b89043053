"""The advisory model every reader produces and the matcher consumes.

A reader turns one public record (OSV, NVD, CVE 5, CSAF) into an
`Advisory`. Fields are plain, immutable values so an advisory can be cached,
compared and pickled across worker processes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

EventKind = Literal["introduced", "fixed", "last_affected", "limit"]
RangeType = Literal["SEMVER", "ECOSYSTEM", "GIT"]
SeverityType = Literal["CVSS_V2", "CVSS_V3", "CVSS_V4", "Ubuntu", "qualitative"]


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
class AffectedPackage:
    """A package in a named ecosystem, affected in `ranges` or at `versions`.

    `ecosystem` keeps the OSV spelling with any release suffix
    (``"Debian:12"``); `name` is as published, normalisation is the matcher's
    job. `purl` has no version.
    """

    ecosystem: str
    name: str
    purl: str | None = None
    ranges: tuple[AffectedRange, ...] = ()
    versions: tuple[str, ...] = ()


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


class AdvisoryFormatError(ValueError):
    """A record does not have the structure its format requires.

    The message names the file (when known) and the JSON path of the field.
    """

    def __init__(self, message: str, *, source: str | None = None, path: str = "") -> None:
        self.source = source
        self.path = path
        where = ": ".join(part for part in (source, path) if part)
        super().__init__(f"{where}: {message}" if where else message)
