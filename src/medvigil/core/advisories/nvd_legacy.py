"""Read the legacy NVD JSON 1.1 data feed (``CVE_Items``), retired in 2023.

Old archives and tools still carry it. Its configurations nest one level of
``children`` under AND nodes; they map onto the 2.0 shape: a top-level node
with children becomes a configuration whose operator joins the children.
"""

from __future__ import annotations

from typing import Literal

from medvigil.core.advisories.model import (
    Advisory,
    CpeConfiguration,
    CpeMatch,
    Reference,
    Severity,
)
from medvigil.core.advisories.nvd import (
    cpe_criteria,
    cve_identifier,
    cvss_vector,
    english_text,
    operator,
)
from medvigil.core.documents import CWE_ID, Node, decode_json

# The 1.1 feed marks rejected CVEs only in the description text.
_REJECTED_PREFIX = "** REJECT **"


def read_nvd_feed(document: object, *, source: str) -> tuple[Advisory, ...]:
    """Advisories from a decoded NVD 1.1 feed (an object with ``CVE_Items``)."""
    root = Node(document, source)
    return tuple(_item(item) for item in root.field("CVE_Items").items())


def read_nvd_feed_json(data: bytes | str, *, source: str) -> tuple[Advisory, ...]:
    """Advisories from the bytes of an NVD 1.1 feed file (already decompressed)."""
    return read_nvd_feed(decode_json(data, source), source=source)


def _item(item: Node) -> Advisory:
    cve = item.field("cve")
    modified = item.field("lastModifiedDate").timestamp()
    description = cve.optional("description")
    details = (
        "" if description is None else english_text(description.array("description_data"), "value")
    )
    configurations = item.optional("configurations")
    references = cve.optional("references")
    return Advisory(
        id=cve_identifier(cve.field("CVE_data_meta").field("ID")),
        source=item.source or "",
        modified=modified,
        published=item.field("publishedDate").timestamp(),
        withdrawn=modified if details.startswith(_REJECTED_PREFIX) else None,
        details=details,
        severities=_severities(item.optional("impact")),
        cwe_ids=_cwe_ids(cve.optional("problemtype")),
        references=()
        if references is None
        else tuple(
            Reference(url=entry.required_text("url"))
            for entry in references.array("reference_data")
        ),
        cpe_configurations=()
        if configurations is None
        else tuple(_configuration(node) for node in configurations.array("nodes")),
    )


def _configuration(node: Node) -> CpeConfiguration:
    children = list(node.array("children"))
    if not children:
        return CpeConfiguration(nodes=(_node(node),))
    for child in children:
        if any(True for _ in child.array("children")):
            raise child.field("children").error("configurations nested deeper are not supported")
    if any(True for _ in node.array("cpe_match")):
        raise node.field("cpe_match").error("a node has either children or cpe_match")
    return CpeConfiguration(
        nodes=tuple(_node(child) for child in children),
        operator=operator(node.field("operator")),
        negate=_negate(node),
    )


def _node(node: Node) -> tuple[Literal["AND", "OR"], bool, tuple[CpeMatch, ...]]:
    matches = tuple(_match(entry) for entry in node.array("cpe_match"))
    return (operator(node.field("operator")), _negate(node), matches)


def _match(node: Node) -> CpeMatch:
    return CpeMatch(
        criteria=cpe_criteria(node.field("cpe23Uri")),
        vulnerable=node.field("vulnerable").boolean(),
        version_start_including=node.optional_text("versionStartIncluding"),
        version_start_excluding=node.optional_text("versionStartExcluding"),
        version_end_including=node.optional_text("versionEndIncluding"),
        version_end_excluding=node.optional_text("versionEndExcluding"),
    )


def _negate(node: Node) -> bool:
    member = node.optional("negate")
    return False if member is None else member.boolean()


def _severities(impact: Node | None) -> tuple[Severity, ...]:
    if impact is None:
        return ()
    found = []
    version_3 = impact.optional("baseMetricV3")
    if version_3 is not None:
        vector = version_3.field("cvssV3").field("vectorString")
        found.append(Severity("CVSS_V3", cvss_vector(vector, "CVSS_V3"), "nvd@nist.gov"))
    version_2 = impact.optional("baseMetricV2")
    if version_2 is not None:
        vector = version_2.field("cvssV2").field("vectorString")
        found.append(Severity("CVSS_V2", cvss_vector(vector, "CVSS_V2"), "nvd@nist.gov"))
    return tuple(found)


def _cwe_ids(problem_type: Node | None) -> tuple[str, ...]:
    found: list[str] = []
    if problem_type is None:
        return ()
    for entry in problem_type.array("problemtype_data"):
        for description in entry.array("description"):
            text = description.required_text("value").strip()
            if CWE_ID.match(text) and text not in found:
                found.append(text)
    return tuple(found)
