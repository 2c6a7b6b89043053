"""VEX statements as neutral values, whatever format they were read from or are written to.

A statement says what one vulnerability means for some products: one of the
four statuses shared by CycloneDX, OpenVEX and CSAF, with the justification in
the OpenVEX/CSAF vocabulary (the native value is kept beside it), the impact
statement for "not affected" and the action statement for "affected".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

VexStatus = Literal["not_affected", "affected", "fixed", "under_investigation"]
VexFormat = Literal["cyclonedx", "openvex", "csaf"]

STATUSES: tuple[VexStatus, ...] = ("not_affected", "affected", "fixed", "under_investigation")
# The five justifications of OpenVEX 0.2.0, also the CSAF 2.0 flag labels.
JUSTIFICATIONS = (
    "component_not_present",
    "vulnerable_code_not_present",
    "vulnerable_code_not_in_execute_path",
    "vulnerable_code_cannot_be_controlled_by_adversary",
    "inline_mitigations_already_exist",
)


class VexFormatError(ValueError):
    """A VEX document does not have the structure its format requires.

    The message names the file and, when known, the JSON path of the field.
    """

    def __init__(self, message: str, *, source: str | None = None, path: str = "") -> None:
        self.source = source
        self.path = path
        where = ": ".join(part for part in (source, path) if part)
        super().__init__(f"{where}: {message}" if where else message)


@dataclass(frozen=True, slots=True)
class VexProduct:
    """A product or component named by a statement, by whatever the document gives.

    `reference` is the document's own handle (bom-ref, BOM-Link, @id, CSAF
    product id); `version_range` a VERS range when no single version is given.
    """

    name: str | None = None
    version: str | None = None
    purl: str | None = None
    cpe: str | None = None
    reference: str | None = None
    version_range: str | None = None

    @property
    def label(self) -> str:
        if self.purl:
            return self.purl
        if self.name:
            if self.version:
                return f"{self.name}@{self.version}"
            if self.version_range:
                return f"{self.name} {self.version_range}"
            return self.name
        return self.cpe or self.reference or "unnamed product"


@dataclass(frozen=True, slots=True)
class VexScore:
    """A score as CycloneDX rates it: method ``CVSSv31``, ``CVSSv4``…, score, vector."""

    method: str
    score: float | None = None
    vector: str | None = None
    severity: str | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class VexStatement:
    """What one vulnerability means for the products (and, inside them, subcomponents)."""

    vulnerability: str
    status: VexStatus
    products: tuple[VexProduct, ...]
    aliases: tuple[str, ...] = ()
    subcomponents: tuple[VexProduct, ...] = ()
    justification: str | None = None
    native_justification: str | None = None
    impact_statement: str | None = None
    action_statement: str | None = None
    responses: tuple[str, ...] = ()
    notes: str | None = None
    description: str | None = None
    scores: tuple[VexScore, ...] = ()
    timestamp: datetime | None = None
    last_updated: datetime | None = None

    @property
    def identifiers(self) -> tuple[str, ...]:
        """The vulnerability id and its aliases, once each."""
        return tuple(dict.fromkeys((self.vulnerability, *self.aliases)))


@dataclass(frozen=True, slots=True)
class VexDocument:
    """The statements of one document, with where they came from.

    `skipped` lists, in words, the entries that carried no VEX statement
    (a CycloneDX vulnerability without analysis, a CSAF "recommended" list).
    """

    format: VexFormat
    source: str
    statements: tuple[VexStatement, ...]
    identifier: str | None = None
    author: str | None = None
    timestamp: datetime | None = None
    version: str | None = None
    skipped: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class VexExport:
    """What a VEX document about one product version is written from.

    Each statement names the components it concerns as `subcomponents`;
    `product` is the version the document speaks for. The caller passes the
    time, the document's identifier (an IRI; a ``urn:uuid:`` for CycloneDX)
    and its version number, so the same input always gives the same document.
    """

    identifier: str
    author: str
    author_namespace: str
    timestamp: datetime
    version: int
    product: VexProduct
    statements: tuple[VexStatement, ...]
    tool_version: str
    title: str = ""
    revisions: tuple[tuple[int, datetime, str], ...] = ()
