"""The CISA ADP ("Vulnrichment") container of a CVE 5 record, typed.

CISA adds an SSVC decision (Exploitation, Automatable, Technical Impact) and,
for catalogued CVEs, the date the CVE entered KEV. These drive prioritisation,
so they are values with closed vocabularies rather than free text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, TypeVar

from medvigil.core.documents import Node

_Value = TypeVar("_Value", bound=str)
Exploitation = Literal["none", "poc", "active"]
Automatable = Literal["yes", "no"]
TechnicalImpact = Literal["partial", "total"]

CISA_ADP_ORGANISATION = "134c704f-9b21-4f2e-91b3-4a467353bcc0"
_EXPLOITATION: dict[str, Exploitation] = {"none": "none", "poc": "poc", "active": "active"}
_AUTOMATABLE: dict[str, Automatable] = {"yes": "yes", "no": "no"}
_TECHNICAL_IMPACT: dict[str, TechnicalImpact] = {"partial": "partial", "total": "total"}


@dataclass(frozen=True, slots=True)
class SsvcDecision:
    """CISA's SSVC decision points for one CVE, as of `timestamp`."""

    exploitation: Exploitation
    automatable: Automatable
    technical_impact: TechnicalImpact
    version: str
    role: str
    timestamp: datetime | None = None


@dataclass(frozen=True, slots=True)
class CisaEnrichment:
    """What the CISA ADP container says about a CVE."""

    cve_id: str
    ssvc: SsvcDecision | None = None
    kev_date_added: date | None = None
    kev_reference: str | None = None


def is_cisa_container(container: Node) -> bool:
    metadata = container.optional("providerMetadata")
    if metadata is None:
        return False
    organisation = metadata.optional_text("orgId") or ""
    short_name = metadata.optional_text("shortName") or ""
    return organisation == CISA_ADP_ORGANISATION or short_name == "CISA-ADP"


def read_cisa_container(container: Node, cve_id: str) -> CisaEnrichment:
    """The SSVC decision and KEV date of a CISA ADP container."""
    ssvc: SsvcDecision | None = None
    kev_date: date | None = None
    kev_reference: str | None = None
    for metric in container.array("metrics"):
        other = metric.optional("other")
        if other is None:
            continue
        kind = other.required_text("type").lower()
        content = other.field("content")
        if kind == "ssvc":
            ssvc = _ssvc(content)
        elif kind == "kev":
            kev_date = content.field("dateAdded").day()
            kev_reference = content.optional_text("reference")
    return CisaEnrichment(
        cve_id=cve_id, ssvc=ssvc, kev_date_added=kev_date, kev_reference=kev_reference
    )


def _ssvc(content: Node) -> SsvcDecision:
    options: dict[str, Node] = {}
    for option in content.field("options").items():
        for key in option.keys():  # noqa: SIM118 - Node.keys, not a dict
            options[key] = option.field(key)
    return SsvcDecision(
        exploitation=_choice(options, "Exploitation", _EXPLOITATION, content),
        automatable=_choice(options, "Automatable", _AUTOMATABLE, content),
        technical_impact=_choice(options, "Technical Impact", _TECHNICAL_IMPACT, content),
        version=content.optional_text("version", "") or "",
        role=content.optional_text("role", "") or "",
        timestamp=content.optional_timestamp("timestamp"),
    )


def _choice(
    options: dict[str, Node], name: str, allowed: dict[str, _Value], content: Node
) -> _Value:
    node = options.get(name)
    if node is None:
        raise content.field("options").error(f"SSVC decision point {name!r} is missing")
    value = allowed.get(node.text().strip().lower())
    if value is None:
        raise node.error(f"{name} must be one of {', '.join(allowed)}, found {node.value!r}")
    return value
