"""What a CSAF 2.0 document is built from: frozen values, no product ids to manage.

Products are named by (vendor, product, version); the builder derives their
product ids and the product tree. Revisions are numbered by their position
(1, 2, 3…), so the tracking version is always the last revision's number.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

DocumentCategory = Literal["csaf_security_advisory", "csaf_vex"]
TrackingStatus = Literal["draft", "interim", "final"]
PublisherCategory = Literal["coordinator", "discoverer", "other", "translator", "user", "vendor"]
NoteCategory = Literal[
    "description", "details", "faq", "general", "legal_disclaimer", "other", "summary"
]
TlpLabel = Literal["WHITE", "GREEN", "AMBER", "RED"]
RemediationCategory = Literal[
    "mitigation", "no_fix_planned", "none_available", "vendor_fix", "workaround"
]
FlagLabel = Literal[
    "component_not_present",
    "inline_mitigations_already_exist",
    "vulnerable_code_cannot_be_controlled_by_adversary",
    "vulnerable_code_not_in_execute_path",
    "vulnerable_code_not_present",
]
ThreatCategory = Literal["exploit_status", "impact", "target_set"]

DOCUMENT_CATEGORIES: tuple[DocumentCategory, ...] = ("csaf_security_advisory", "csaf_vex")
TRACKING_STATUSES: tuple[TrackingStatus, ...] = ("draft", "interim", "final")
PUBLISHER_CATEGORIES: tuple[PublisherCategory, ...] = (
    "coordinator",
    "discoverer",
    "other",
    "translator",
    "user",
    "vendor",
)
NOTE_CATEGORIES: tuple[NoteCategory, ...] = (
    "description",
    "details",
    "faq",
    "general",
    "legal_disclaimer",
    "other",
    "summary",
)
TLP_LABELS: tuple[TlpLabel, ...] = ("WHITE", "GREEN", "AMBER", "RED")
REMEDIATION_CATEGORIES: tuple[RemediationCategory, ...] = (
    "mitigation",
    "no_fix_planned",
    "none_available",
    "vendor_fix",
    "workaround",
)
FLAG_LABELS: tuple[FlagLabel, ...] = (
    "component_not_present",
    "inline_mitigations_already_exist",
    "vulnerable_code_cannot_be_controlled_by_adversary",
    "vulnerable_code_not_in_execute_path",
    "vulnerable_code_not_present",
)
THREAT_CATEGORIES: tuple[ThreatCategory, ...] = ("exploit_status", "impact", "target_set")


class CsafBuildError(ValueError):
    """The inputs cannot make a valid CSAF 2.0 document; the message says why."""


@dataclass(frozen=True, slots=True)
class ProductVersion:
    """One version of one product of one vendor, as it appears in the product tree.

    ``version`` may be a range ("<2.4.1", "vers:semver/<2.4.1"): it then goes
    under a ``product_version_range`` branch, as CSAF test 6.1.31 requires.
    """

    vendor: str
    product: str
    version: str
    purl: str | None = None
    cpe: str | None = None
    model_numbers: tuple[str, ...] = ()

    @property
    def product_id(self) -> str:
        """A product id that stays the same across revisions of any document."""
        key = "\x00".join((self.vendor, self.product, self.version)).encode()
        return "CSAFPID-" + hashlib.sha256(key).hexdigest()[:12].upper()

    @property
    def full_name(self) -> str:
        return f"{self.vendor} {self.product} {self.version}"


@dataclass(frozen=True, slots=True)
class Publisher:
    name: str
    namespace: str
    category: PublisherCategory = "vendor"
    contact_details: str | None = None
    issuing_authority: str | None = None


@dataclass(frozen=True, slots=True)
class Note:
    category: NoteCategory
    text: str
    title: str | None = None
    audience: str | None = None


@dataclass(frozen=True, slots=True)
class Reference:
    url: str
    summary: str
    self_reference: bool = False


@dataclass(frozen=True, slots=True)
class Acknowledgment:
    names: tuple[str, ...] = ()
    organization: str | None = None
    summary: str | None = None
    urls: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Revision:
    date: datetime
    summary: str


@dataclass(frozen=True, slots=True)
class Tracking:
    """The document's identity; its version and dates come from the revisions."""

    id: str
    status: TrackingStatus
    revisions: tuple[Revision, ...]
    generator_name: str | None = None
    generator_version: str | None = None
    generated: datetime | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ProductStatus:
    first_affected: tuple[ProductVersion, ...] = ()
    first_fixed: tuple[ProductVersion, ...] = ()
    fixed: tuple[ProductVersion, ...] = ()
    known_affected: tuple[ProductVersion, ...] = ()
    known_not_affected: tuple[ProductVersion, ...] = ()
    last_affected: tuple[ProductVersion, ...] = ()
    recommended: tuple[ProductVersion, ...] = ()
    under_investigation: tuple[ProductVersion, ...] = ()


@dataclass(frozen=True, slots=True)
class Flag:
    """A VEX justification for products known not to be affected."""

    label: FlagLabel
    products: tuple[ProductVersion, ...]
    date: datetime | None = None


@dataclass(frozen=True, slots=True)
class Threat:
    category: ThreatCategory
    details: str
    products: tuple[ProductVersion, ...] = ()
    date: datetime | None = None


@dataclass(frozen=True, slots=True)
class Remediation:
    category: RemediationCategory
    details: str
    products: tuple[ProductVersion, ...]
    url: str | None = None
    date: datetime | None = None


@dataclass(frozen=True, slots=True)
class Score:
    """A CVSS v3.0/v3.1 vector for products; scores and severity are computed from it."""

    vector: str
    products: tuple[ProductVersion, ...]


@dataclass(frozen=True, slots=True)
class Vulnerability:
    cve: str | None = None
    ids: tuple[tuple[str, str], ...] = ()
    cwe: str | None = None
    title: str | None = None
    notes: tuple[Note, ...] = ()
    product_status: ProductStatus = ProductStatus()
    flags: tuple[Flag, ...] = ()
    threats: tuple[Threat, ...] = ()
    remediations: tuple[Remediation, ...] = ()
    scores: tuple[Score, ...] = ()
    references: tuple[Reference, ...] = ()
    acknowledgments: tuple[Acknowledgment, ...] = ()
    discovery_date: datetime | None = None
    release_date: datetime | None = None


@dataclass(frozen=True, slots=True)
class AggregateSeverity:
    text: str
    namespace: str | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """Everything a CSAF 2.0 security advisory or VEX document says."""

    category: DocumentCategory
    title: str
    publisher: Publisher
    tracking: Tracking
    vulnerabilities: tuple[Vulnerability, ...]
    tlp: TlpLabel = "WHITE"
    tlp_url: str | None = "https://www.first.org/tlp/"
    distribution_text: str | None = None
    language: str = "en"
    notes: tuple[Note, ...] = ()
    references: tuple[Reference, ...] = ()
    aggregate_severity: AggregateSeverity | None = None
    acknowledgments: tuple[Acknowledgment, ...] = ()
    products: tuple[ProductVersion, ...] = ()
