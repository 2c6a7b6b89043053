"""A CSAF 2.0 document as frozen values: products flattened, statuses by product id.

The product tree is flattened so that every product id maps to one
`CsafProduct` carrying the branch path it was found under (vendor, product
name, version) and its identification helper. Products defined by a
relationship ("library L as default component of device D") carry the
relationship; their purl/CPE are those of the component.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

CsafProfile = Literal[
    "security_advisory",
    "vex",
    "informational_advisory",
    "security_incident_response",
    "base",
]
# product_status lists, in the order of the CSAF 2.0 specification.
PRODUCT_STATUS_NAMES = (
    "first_affected",
    "first_fixed",
    "fixed",
    "known_affected",
    "known_not_affected",
    "last_affected",
    "recommended",
    "under_investigation",
)
AFFECTED_STATUS_NAMES = ("first_affected", "known_affected", "last_affected")


@dataclass(frozen=True, slots=True)
class CsafNote:
    category: str
    text: str
    title: str | None = None


@dataclass(frozen=True, slots=True)
class CsafReference:
    url: str
    summary: str
    category: str = "external"


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
    notes: tuple[CsafNote, ...] = ()
    product_status: CsafProductStatus = CsafProductStatus()
    scores: tuple[CsafScore, ...] = ()
    remediations: tuple[CsafRemediation, ...] = ()
    flags: tuple[CsafFlag, ...] = ()
    threats: tuple[CsafThreat, ...] = ()
    references: tuple[CsafReference, ...] = ()
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
    notes: tuple[CsafNote, ...] = ()
    references: tuple[CsafReference, ...] = ()
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
