"""Read NVD CVE API 2.0 JSON: a full response, one ``{"cve": …}`` item, or a bare cve.

NVD gives applicability as CPE configurations, not packages, so the
advisories carry `cpe_configurations` and no `affected`. Timestamps without a
zone are UTC (NVD's convention). The legacy 1.1 feed is in `nvd_legacy`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from medvigil.core.advisories.model import (
    Advisory,
    CpeConfiguration,
    CpeMatch,
    Reference,
    Severity,
    SeverityType,
)
from medvigil.core.documents import CVE_ID, CWE_ID, Node, decode_json

# NVD metric list name → OSV severity type.
_METRICS: tuple[tuple[str, SeverityType], ...] = (
    ("cvssMetricV40", "CVSS_V4"),
    ("cvssMetricV31", "CVSS_V3"),
    ("cvssMetricV30", "CVSS_V3"),
    ("cvssMetricV2", "CVSS_V2"),
)
# NVD reference tags → OSV reference types; the first tag that maps wins.
_REFERENCE_TYPES = {
    "Patch": "FIX",
    "Vendor Advisory": "ADVISORY",
    "Third Party Advisory": "ADVISORY",
    "US Government Resource": "ADVISORY",
    "Exploit": "EVIDENCE",
    "Issue Tracking": "REPORT",
    "Mailing List": "DISCUSSION",
    "Technical Description": "ARTICLE",
    "Release Notes": "ARTICLE",
}
_KEV_FIELDS = (
    ("cisaExploitAdd", "cisa_exploit_add"),
    ("cisaActionDue", "cisa_action_due"),
    ("cisaRequiredAction", "cisa_required_action"),
    ("cisaVulnerabilityName", "cisa_vulnerability_name"),
)


def read_nvd(document: object, *, source: str) -> tuple[Advisory, ...]:
    """Advisories from a decoded NVD API 2.0 response, ``{"cve": …}`` item or cve object."""
    root = Node(document, source)
    if root.has("vulnerabilities"):
        return tuple(
            read_nvd_cve(item.field("cve"), source=source)
            for item in root.field("vulnerabilities").items()
        )
    if root.has("cve"):
        return (read_nvd_cve(root.field("cve"), source=source),)
    if root.has("CVE_Items"):
        raise root.error("an NVD 1.1 feed: read it with nvd_legacy.read_nvd_feed")
    if root.has("id") and root.has("published"):
        return (read_nvd_cve(root, source=source),)
    raise root.error("not an NVD document: expected vulnerabilities, cve or CVE_Items")


def read_nvd_json(data: bytes | str, *, source: str) -> tuple[Advisory, ...]:
    """Advisories from the bytes of an NVD JSON file."""
    return read_nvd(decode_json(data, source), source=source)


def read_nvd_cve(cve: Node, *, source: str) -> Advisory:
    """One NVD ``cve`` object."""
    identifier = cve_identifier(cve.field("id"))
    modified = cve.field("lastModified").timestamp()
    status = cve.optional_text("vulnStatus") or ""
    extras = [("nvd_status", status)] if status else []
    for name, extra in _KEV_FIELDS:
        value = cve.optional_text(name)
        if value:
            extras.append((extra, value))
    return Advisory(
        id=identifier,
        source=source,
        modified=modified,
        published=cve.field("published").timestamp(),
        withdrawn=modified if status == "Rejected" else None,
        details=english_text(cve.array("descriptions"), "value"),
        severities=_severities(cve.optional("metrics")),
        cwe_ids=_cwe_ids(cve),
        references=tuple(_reference(item) for item in cve.array("references")),
        cpe_configurations=tuple(read_configuration(item) for item in cve.array("configurations")),
        extras=tuple(extras),
    )


def read_configuration(node: Node) -> CpeConfiguration:
    """An NVD 2.0 configuration (also the shape of CVE 5 ``cpeApplicability``)."""
    nodes = []
    for item in node.field("nodes").items():
        matches = tuple(_cpe_match(entry) for entry in item.field("cpeMatch").items())
        nodes.append((operator(item.field("operator")), _negate(item), matches))
    if not nodes:
        raise node.field("nodes").error("a configuration needs at least one node")
    configuration_operator = node.optional("operator")
    return CpeConfiguration(
        nodes=tuple(nodes),
        operator="OR" if configuration_operator is None else operator(configuration_operator),
        negate=_negate(node),
    )


def operator(node: Node) -> Literal["AND", "OR"]:
    text = node.text()
    if text == "AND":
        return "AND"
    if text == "OR":
        return "OR"
    raise node.error(f"operator must be AND or OR, found {text!r}")


def cpe_criteria(node: Node) -> str:
    text = node.text().strip()
    if not text.startswith(("cpe:2.3:", "cpe:/")):
        raise node.error(f"not a CPE name: {text!r}")
    return text


def cve_identifier(node: Node) -> str:
    text = node.text().strip()
    if not CVE_ID.match(text):
        raise node.error(f"not a CVE id: {text!r}")
    return text


def english_text(items: Iterable[Node], key: str) -> str:
    """The English text of a list of ``{lang, <key>}`` items, else the first one."""
    texts: list[tuple[str, str]] = []
    for item in items:
        texts.append((item.optional_text("lang", "") or "", item.required_text(key)))
    for language, text in texts:
        if language.lower().startswith("en"):
            return text
    return texts[0][1] if texts else ""


def _cpe_match(node: Node) -> CpeMatch:
    return CpeMatch(
        criteria=cpe_criteria(node.field("criteria")),
        vulnerable=node.field("vulnerable").boolean(),
        version_start_including=_bound(node, "versionStartIncluding"),
        version_start_excluding=_bound(node, "versionStartExcluding"),
        version_end_including=_bound(node, "versionEndIncluding"),
        version_end_excluding=_bound(node, "versionEndExcluding"),
    )


def _bound(node: Node, key: str) -> str | None:
    text = node.optional_text(key)
    if text is None:
        return None
    stripped = text.strip()
    if not stripped:
        raise node.field(key).error("version bound must not be empty")
    return stripped


def _negate(node: Node) -> bool:
    member = node.optional("negate")
    return False if member is None else member.boolean()


def _severities(metrics: Node | None) -> tuple[Severity, ...]:
    if metrics is None:
        return ()
    found = []
    for key, kind in _METRICS:
        for item in metrics.array(key):
            vector = item.field("cvssData").field("vectorString")
            found.append(
                Severity(
                    type=kind,
                    score=cvss_vector(vector, kind),
                    source=item.optional_text("source"),
                )
            )
    return tuple(found)


def cvss_vector(node: Node, kind: SeverityType) -> str:
    """A CVSS vector string, checked to carry the prefix its version requires."""
    text = node.text().strip()
    expected = {"CVSS_V4": ("CVSS:4.0/",), "CVSS_V3": ("CVSS:3.0/", "CVSS:3.1/")}.get(kind)
    if expected is None:
        # v2 vectors have no prefix; some producers add "(...)" or "CVSS:2.0/".
        text = text.removeprefix("(").removesuffix(")").removeprefix("CVSS:2.0/")
        if not text.startswith("AV:"):
            raise node.error(f"not a CVSS v2 vector: {text!r}")
    elif not text.startswith(expected):
        raise node.error(f"not a {kind} vector: {text!r}")
    return text


def _cwe_ids(cve: Node) -> tuple[str, ...]:
    # NVD-CWE-Other and NVD-CWE-noinfo stand for "no weakness named", not weaknesses.
    found: list[str] = []
    for weakness in cve.array("weaknesses"):
        for description in weakness.array("description"):
            text = description.required_text("value").strip()
            if CWE_ID.match(text) and text not in found:
                found.append(text)
    return tuple(found)


def _reference(node: Node) -> Reference:
    url = node.field("url").text()
    for tag in node.text_array("tags"):
        kind = _REFERENCE_TYPES.get(tag)
        if kind is not None:
            return Reference(url=url, type=kind)
    return Reference(url=url)
