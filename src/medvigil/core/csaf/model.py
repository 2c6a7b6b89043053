"""CSAF 2.0 as frozen values: what a document is built from, and what a read document says.

One model for both directions. The shared values (`Publisher`, `Note`,
`Reference`, `Revision`…) are the same when reading and writing. What differs
is how products are named: a document to build names them by (vendor, product,
version) as `ProductVersion` and the builder derives their product ids and the
product tree (`Document`, `Vulnerability`, `Flag`…); a read document keeps the
product ids it defines, with its product tree flattened so that every id maps
to one `CsafProduct` (`CsafDocument`, `CsafVulnerability`, `CsafFlag`…).
Revisions to build are numbered by their position (1, 2, 3…), so the tracking
version is always the last revision's number.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from medvigil.core.csaf.vocabulary import (
    CsafProfile,
    DocumentCategory,
    FlagLabel,
    NoteCategory,
    PublisherCategory,
    RemediationCategory,
    ThreatCategory,
    TlpLabel,
    TrackingStatus,
)


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

    @property
    def category(self) -> str:
        """The reference's category as CSAF writes it: ``self`` or ``external``."""
        return "self" if self.self_reference else "external"


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


# --- a read document: products by the ids it defines ------------------------


@dataclass(frozen=True, slots=True)
class CsafRelationship:
    category: str
    product_reference: str
    relates_to_product_reference: str


@dataclass(frozen=True, slots=True)
class CsafProduct:
    """One product id with what the document says about it."""

    product_id: str
    name: str
    branches: tuple[tuple[str, str], ...] = ()
    purl: str | None = None
    cpe: str | None = None
    model_numbers: tuple[str, ...] = ()
    serial_numbers: tuple[str, ...] = ()
    skus: tuple[str, ...] = ()
    relationship: CsafRelationship | None = None

    def branch(self, category: str) -> str | None:
        """The name of the innermost branch of that category (``vendor``, ``product_name``…)."""
        for branch_category, name in reversed(self.branches):
            if branch_category == category:
                return name
        return None


@dataclass(frozen=True, slots=True)
class CsafProductGroup:
    group_id: str
    product_ids: tuple[str, ...]
    summary: str | None = None


@dataclass(frozen=True, slots=True)
class CsafProductStatus:
    first_affected: tuple[str, ...] = ()
    first_fixed: tuple[str, ...] = ()
    fixed: tuple[str, ...] = ()
    known_affected: tuple[str, ...] = ()
    known_not_affected: tuple[str, ...] = ()
    last_affected: tuple[str, ...] = ()
    recommended: tuple[str, ...] = ()
    under_investigation: tuple[str, ...] = ()

    def affected(self) -> tuple[str, ...]:
        return self.first_affected + self.known_affected + self.last_affected


@dataclass(frozen=True, slots=True)
class CsafScore:
    """A CVSS score of some products: the vector as published, with its base score."""

    products: tuple[str, ...]
    cvss_v3_vector: str | None = None
    cvss_v3_base_score: float | None = None
    cvss_v2_vector: str | None = None
    cvss_v2_base_score: float | None = None


@dataclass(frozen=True, slots=True)
class CsafRemediation:
    category: str
    details: str
    product_ids: tuple[str, ...] = ()
    group_ids: tuple[str, ...] = ()
    url: str | None = None
    date: datetime | None = None
    restart_required: str | None = None


@dataclass(frozen=True, slots=True)
class CsafFlag:
    """A VEX justification (``component_not_present``…) for products."""

    label: str
    product_ids: tuple[str, ...] = ()
    group_ids: tuple[str, ...] = ()
    date: datetime | None = None


@dataclass(frozen=True, slots=True)
class CsafThreat:
    category: str
    details: str
    product_ids: tuple[str, ...] = ()
    group_ids: tuple[str, ...] = ()
    date: datetime | None = None


@dataclass(frozen=True, slots=True)
class CsafVulnerability:
    cve: str | None = None
    cwe_id: str | None = None
    cwe_name: str | None = None
    title: str | None = None
    ids: tuple[tuple[str, str], ...] = ()
    notes: tuple[Note, ...] = ()
    product_status: CsafProductStatus = CsafProductStatus()
    scores: tuple[CsafScore, ...] = ()
    remediations: tuple[CsafRemediation, ...] = ()
    flags: tuple[CsafFlag, ...] = ()
    threats: tuple[CsafThreat, ...] = ()
    references: tuple[Reference, ...] = ()
    discovery_date: datetime | None = None
    release_date: datetime | None = None


@dataclass(frozen=True, slots=True)
class CsafDocument:
    """A CSAF 2.0 document, checked for structure and product-id integrity."""

    category: str
    title: str
    publisher_name: str
    publisher_namespace: str
    publisher_category: str
    tracking_id: str
    tracking_status: str
    tracking_version: str
    initial_release_date: datetime
    current_release_date: datetime
    tlp_label: str | None = None
    language: str | None = None
    aliases: tuple[str, ...] = ()
    notes: tuple[Note, ...] = ()
    references: tuple[Reference, ...] = ()
    products: tuple[CsafProduct, ...] = ()
    product_groups: tuple[CsafProductGroup, ...] = ()
    vulnerabilities: tuple[CsafVulnerability, ...] = ()

    @property
    def profile(self) -> CsafProfile:
        """The profile selected by the category; unknown categories are Base."""
        profiles: dict[str, CsafProfile] = {
            "csaf_security_advisory": "security_advisory",
            "csaf_vex": "vex",
            "csaf_informational_advisory": "informational_advisory",
            "csaf_security_incident_response": "security_incident_response",
        }
        return profiles.get(self.category, "base")

    def product(self, product_id: str) -> CsafProduct:
        for product in self.products:
            if product.product_id == product_id:
                return product
        raise KeyError(product_id)

    def group_products(self, group_ids: tuple[str, ...]) -> tuple[str, ...]:
        """The product ids of these groups, in order, once each."""
        found: dict[str, None] = {}
        for group in self.product_groups:
            if group.group_id in group_ids:
                found.update(dict.fromkeys(group.product_ids))
        return tuple(found)
