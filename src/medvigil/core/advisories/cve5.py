"""Read CVE JSON 5 records (CVE List, cisagov/vulnrichment).

The CNA container is the record; ADP containers add to it. Scores and CWE ids
come from every container with their provider as source; products from the
CNA and the ADPs (CISA adds CPEs); the CISA ADP's SSVC decision and KEV date
come back beside the advisory as a `CisaEnrichment`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from medvigil.core.advisories.cve5_affected import read_cve_affected
from medvigil.core.advisories.model import (
    Advisory,
    AffectedPackage,
    Reference,
    Severity,
    SeverityType,
)
from medvigil.core.advisories.nvd import (
    cve_identifier,
    cvss_vector,
    english_text,
    read_configuration,
)
from medvigil.core.advisories.vulnrichment import (
    CisaEnrichment,
    is_cisa_container,
    read_cisa_container,
)
from medvigil.core.documents import CWE_ID, Node, decode_json

_METRICS: tuple[tuple[str, SeverityType], ...] = (
    ("cvssV4_0", "CVSS_V4"),
    ("cvssV3_1", "CVSS_V3"),
    ("cvssV3_0", "CVSS_V3"),
    ("cvssV2_0", "CVSS_V2"),
)
_REFERENCE_TYPES = {
    "patch": "FIX",
    "vendor-advisory": "ADVISORY",
    "third-party-advisory": "ADVISORY",
    "government-resource": "ADVISORY",
    "exploit": "EVIDENCE",
    "issue-tracking": "REPORT",
    "mailing-list": "DISCUSSION",
    "technical-description": "ARTICLE",
    "release-notes": "ARTICLE",
}
_LEADING_CWE = re.compile(r"^(CWE-[0-9]{1,6})\b")
_GHSA = re.compile(r"^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$")


@dataclass(frozen=True, slots=True)
class CveRecord:
    """A CVE 5 record: the advisory, and CISA's enrichment when it has one."""

    advisory: Advisory
    cisa: CisaEnrichment | None = None


def read_cve_record(document: object, *, source: str) -> CveRecord:
    """A `CveRecord` from one decoded CVE JSON 5 record."""
    root = Node(document, source)
    data_type = root.field("dataType")
    if data_type.text() != "CVE_RECORD":
        raise data_type.error(f"expected CVE_RECORD, found {data_type.value!r}")
    version = root.field("dataVersion")
    if not str(version.value).startswith("5"):
        raise version.error(f"expected a 5.x data version, found {version.value!r}")
    metadata = root.field("cveMetadata")
    identifier = cve_identifier(metadata.field("cveId"))
    state_node = metadata.field("state")
    state = state_node.text()
    if state not in {"PUBLISHED", "REJECTED"}:
        raise state_node.error(f"state must be PUBLISHED or REJECTED, found {state!r}")
    containers = root.field("containers")
    cna = containers.field("cna")
    adps = list(containers.array("adp"))
    published = metadata.optional_timestamp("datePublished")
    modified = (
        metadata.optional_timestamp("dateUpdated")
        or published
        or metadata.optional_timestamp("dateRejected")
        or metadata.field("dateReserved").timestamp()
    )
    withdrawn = None
    affected: tuple[AffectedPackage, ...] = ()
    if state == "REJECTED":
        withdrawn = metadata.optional_timestamp("dateRejected") or modified
        details = english_text(cna.array("rejectedReasons"), "value")
    else:
        details = english_text(cna.field("descriptions").items(), "value")
        affected = tuple(read_cve_affected(item) for item in cna.field("affected").items())
        affected += tuple(read_cve_affected(item) for adp in adps for item in adp.array("affected"))
    containers_in_order = [cna, *adps]
    assigner = metadata.optional_text("assignerShortName")
    advisory = Advisory(
        id=identifier,
        source=source,
        modified=modified,
        published=published,
        withdrawn=withdrawn,
        aliases=_aliases(cna),
        summary=cna.optional_text("title", "") or "",
        details=details,
        severities=tuple(
            severity for container in containers_in_order for severity in _severities(container)
        ),
        cwe_ids=_cwe_ids(containers_in_order),
        references=_references(containers_in_order),
        affected=affected,
        cpe_configurations=tuple(
            read_configuration(item)
            for container in containers_in_order
            for item in container.array("cpeApplicability")
        ),
        extras=(("assigner", assigner),) if assigner else (),
    )
    cisa = next((adp for adp in adps if is_cisa_container(adp)), None)
    return CveRecord(
        advisory=advisory,
        cisa=None if cisa is None else read_cisa_container(cisa, identifier),
    )


def read_cve_record_json(data: bytes | str, *, source: str) -> CveRecord:
    """A `CveRecord` from the bytes of a CVE JSON 5 file."""
    return read_cve_record(decode_json(data, source), source=source)


def _provider(container: Node) -> str | None:
    metadata = container.optional("providerMetadata")
    if metadata is None:
        return None
    return metadata.optional_text("shortName") or metadata.optional_text("orgId")


def _severities(container: Node) -> list[Severity]:
    provider = _provider(container)
    found = []
    for metric in container.array("metrics"):
        for key, kind in _METRICS:
            score = metric.optional(key)
            if score is not None:
                vector = cvss_vector(score.field("vectorString"), kind)
                found.append(Severity(type=kind, score=vector, source=provider))
    return found


def _cwe_ids(containers: list[Node]) -> tuple[str, ...]:
    found: list[str] = []
    for container in containers:
        for problem in container.array("problemTypes"):
            for description in problem.array("descriptions"):
                identifier = description.optional_text("cweId")
                if identifier is None:
                    # Older records put the id only at the start of the text.
                    match = _LEADING_CWE.match(description.optional_text("description", "") or "")
                    identifier = match.group(1) if match else None
                elif not CWE_ID.match(identifier.strip()):
                    raise description.field("cweId").error(f"not a CWE id: {identifier!r}")
                if identifier is not None and identifier.strip() not in found:
                    found.append(identifier.strip())
    return tuple(found)


def _references(containers: list[Node]) -> tuple[Reference, ...]:
    found: dict[str, Reference] = {}
    for container in containers:
        for item in container.array("references"):
            url = item.required_text("url")
            if url in found:
                continue
            kind = next(
                (
                    _REFERENCE_TYPES[tag]
                    for tag in item.text_array("tags")
                    if tag in _REFERENCE_TYPES
                ),
                "WEB",
            )
            found[url] = Reference(url=url, type=kind)
    return tuple(found.values())


def _aliases(cna: Node) -> tuple[str, ...]:
    # GitHub's CNA names the GHSA advisory of the same vulnerability here.
    origin = cna.optional("source")
    if origin is None or not isinstance(origin.value, dict):
        return ()
    advisory = origin.optional("advisory")
    if advisory is None or not isinstance(advisory.value, str):
        return ()
    return (advisory.value,) if _GHSA.match(advisory.value) else ()
