"""Read OSV records (JSON, and the YAML of the PyPA advisory database).

Strict about what the OSV schema requires (id, modified, the shape of
affected/ranges/events), tolerant of what real databases add: unknown fields
are ignored, YAML timestamps may come unquoted, events may be unsorted.
"""

from __future__ import annotations

from typing import Any, get_args

import yaml

from medvigil.core.advisories.model import (
    Advisory,
    AdvisoryFormatError,
    AffectedPackage,
    AffectedRange,
    EventKind,
    RangeEvent,
    RangeType,
    Reference,
    Severity,
    SeverityType,
)
from medvigil.core.documents import CWE_ID, Node, decode_json, versionless_purl

_EVENT_KINDS: tuple[EventKind, ...] = get_args(EventKind)
_RANGE_TYPES: tuple[RangeType, ...] = get_args(RangeType)
_SEVERITY_TYPES: dict[str, SeverityType] = {
    "CVSS_V2": "CVSS_V2",
    "CVSS_V3": "CVSS_V3",
    "CVSS_V4": "CVSS_V4",
    "Ubuntu": "Ubuntu",
}
_VECTOR_PREFIXES = {"CVSS_V3": ("CVSS:3.0/", "CVSS:3.1/"), "CVSS_V4": ("CVSS:4.0/",)}


def read_osv(record: object, *, source: str) -> Advisory:
    """An `Advisory` from one decoded OSV record (a JSON object)."""
    root = Node(record, source)
    severities = [_severity(item) for item in root.array("severity")]
    affected = []
    for item in root.array("affected"):
        affected.append(_affected(item))
        severities.extend(_severity(entry) for entry in item.array("severity"))
    extras = [("upstream", alias) for alias in root.text_array("upstream")]
    extras.extend(("related", alias) for alias in root.text_array("related"))
    return Advisory(
        id=_identifier(root.field("id")),
        source=source,
        modified=root.field("modified").timestamp(),
        published=root.optional_timestamp("published"),
        withdrawn=root.optional_timestamp("withdrawn"),
        aliases=root.text_array("aliases"),
        summary=root.optional_text("summary", "") or "",
        details=root.optional_text("details", "") or "",
        severities=tuple(severities),
        cwe_ids=_cwe_ids(root),
        references=tuple(_reference(item) for item in root.array("references")),
        affected=tuple(affected),
        extras=tuple(extras),
    )


def read_osv_json(data: bytes | str, *, source: str) -> Advisory:
    """An `Advisory` from the bytes of an OSV JSON file."""
    return read_osv(decode_json(data, source), source=source)


def read_osv_yaml(data: bytes | str, *, source: str) -> Advisory:
    """An `Advisory` from the bytes of an OSV YAML file (PyPA, OSS-Fuzz)."""
    return read_osv(load_osv_yaml(data, source=source), source=source)


def load_osv_yaml(data: bytes | str, *, source: str) -> Any:
    """The decoded record of an OSV YAML file: scalars stay text, aliases are refused.

    A few hundred bytes of nested aliases expand to gigabytes (a "billion
    laughs"), and no advisory database uses them: an alias is an
    `AdvisoryFormatError`, as is nesting too deep to read.
    """
    try:
        # Scalars stay strings: an unquoted `fixed: 1.10` must not become 1.1.
        return yaml.load(data, Loader=_StringLoader)  # noqa: S506 - safe loader subclass
    except (yaml.YAMLError, ValueError, RecursionError, MemoryError) as error:
        raise AdvisoryFormatError(f"not valid YAML: {error}", source=source) from None


def _identifier(node: Node) -> str:
    text = node.text().strip()
    if not text:
        raise node.error("id must not be empty")
    return text


def _severity(node: Node) -> Severity:
    kind_node = node.field("type")
    kind = _SEVERITY_TYPES.get(kind_node.text())
    if kind is None:
        raise kind_node.error(f"unknown severity type {kind_node.value!r}")
    score_node = node.field("score")
    score = score_node.text().strip()
    prefixes = _VECTOR_PREFIXES.get(kind)
    if not score or (prefixes is not None and not score.startswith(prefixes)):
        raise score_node.error(f"not a {kind} score: {score!r}")
    return Severity(type=kind, score=score)


def _affected(node: Node) -> AffectedPackage:
    ranges = tuple(_range(item) for item in node.array("ranges"))
    package = node.optional("package")
    if package is None:
        # OSV allows a package-less entry for GIT ranges (C/C++ projects).
        if not ranges or any(item.type != "GIT" for item in ranges):
            raise node.field("package").error("package is required unless all ranges are GIT")
        return AffectedPackage(
            ecosystem="GIT",
            name=ranges[0].repository or "",
            ranges=ranges,
            versions=node.text_array("versions"),
        )
    ecosystem = package.field("ecosystem").text()
    name = package.field("name").text()
    if not ecosystem or not name:
        raise package.error("package ecosystem and name must not be empty")
    purl_node = package.optional("purl")
    return AffectedPackage(
        ecosystem=ecosystem,
        name=name,
        purl=None if purl_node is None else versionless_purl(purl_node),
        ranges=ranges,
        versions=node.text_array("versions"),
    )


def _range(node: Node) -> AffectedRange:
    type_node = node.field("type")
    range_type = type_node.text()
    if range_type not in _RANGE_TYPES:
        raise type_node.error(f"unknown range type {range_type!r}")
    events = tuple(_event(item) for item in node.field("events").items())
    kinds = {event.kind for event in events}
    if "introduced" not in kinds:
        raise node.field("events").error("a range needs at least one introduced event")
    if {"fixed", "last_affected"} <= kinds:
        raise node.field("events").error("a range may use fixed or last_affected, not both")
    repository = node.optional_text("repo")
    if range_type == "GIT" and not repository:
        raise node.field("repo").error("a GIT range needs its repository")
    return AffectedRange(
        type=range_type,  # type: ignore[arg-type]  # checked against RangeType above
        events=events,
        repository=repository,
    )


def _event(node: Node) -> RangeEvent:
    present = [kind for kind in _EVENT_KINDS if node.has(kind)]
    if len(present) != 1:
        raise node.error("an event has exactly one of introduced, fixed, last_affected, limit")
    kind = present[0]
    version = node.field(kind).text().strip()
    if not version:
        raise node.field(kind).error("event version must not be empty")
    return RangeEvent(kind=kind, version=version)


def _reference(node: Node) -> Reference:
    url = node.field("url").text()
    kind = node.optional_text("type", "WEB") or "WEB"
    return Reference(url=url, type=kind)


def _cwe_ids(root: Node) -> tuple[str, ...]:
    """CWE ids from database_specific (GHSA: ``cwe_ids``), in order, once each."""
    specific = root.optional("database_specific")
    if specific is None or not isinstance(specific.value, dict):
        return ()
    found: list[str] = []
    for item in specific.array("cwe_ids"):
        text = item.text().strip()
        if not CWE_ID.match(text):
            raise item.error(f"not a CWE id: {text!r}")
        if text not in found:
            found.append(text)
    return tuple(found)


# The libyaml parser is several times faster where it is available.
_LOADER_BASE: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StringLoader(_LOADER_BASE):  # type: ignore[misc]  # base chosen at import time
    """A safe YAML loader that resolves only null (other scalars stay text); no aliases."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag == "tag:yaml.org,2002:null"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        # A node met a second time is an alias (or a merge key built on one): the C
        # composer resolves aliases itself, so they are caught here, before any expansion.
        if node in self.constructed_objects or node in self.recursive_objects:
            raise yaml.constructor.ConstructorError(
                None, None, "YAML anchors and aliases are not accepted", node.start_mark
            )
        return super().construct_object(node, deep)
