"""Writing an `SbomDocument` as CycloneDX 1.6 (JSON, XML).

The caller hands over a document whose `primary_component` is the product
release being described (it becomes ``metadata.component``), whose
`components` are unique by reference, and whose `created` and `serial` are
set: this module reads no clock and invents no identifier. The FDA extras
come from `Component.level_of_support` / `end_of_support`, never from stale
properties: any support property read from a source document is replaced by
``medvigil:level-of-support`` and ``cdx:lifecycle:milestone:endOfSupport``,
the names docs/sbom-formats.md recommends. Dependencies that name a reference
outside the document are left out, so every written document is
self-consistent. The SPDX writer is `medvigil.core.sbom.export_spdx`.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from medvigil.core.sbom.cyclonedx_schema import spdx_license_ids
from medvigil.core.sbom.model import Component, SbomDocument
from medvigil.core.sbom.support import is_support_property

LEVEL_OF_SUPPORT_PROPERTY = "medvigil:level-of-support"
END_OF_SUPPORT_PROPERTY = "cdx:lifecycle:milestone:endOfSupport"
CYCLONEDX_NAMESPACE = "http://cyclonedx.org/schema/bom/1.6"
CYCLONEDX_TYPES = frozenset(
    {
        "application",
        "framework",
        "library",
        "container",
        "platform",
        "operating-system",
        "device",
        "device-driver",
        "firmware",
        "file",
        "machine-learning-model",
        "data",
        "cryptographic-asset",
    }
)
# SPDX purposes without a CycloneDX type of the same name.
_TYPE_FROM_SPDX = {"source": "file", "archive": "file", "install": "file", "other": "library"}
CYCLONEDX_HASH_ALGORITHMS = frozenset(
    {
        "MD5",
        "SHA-1",
        "SHA-256",
        "SHA-384",
        "SHA-512",
        "SHA3-256",
        "SHA3-384",
        "SHA3-512",
        "BLAKE2b-256",
        "BLAKE2b-384",
        "BLAKE2b-512",
        "BLAKE3",
    }
)
_HASH_VALUE = re.compile(r"^([a-f0-9]{32}|[a-f0-9]{40}|[a-f0-9]{64}|[a-f0-9]{96}|[a-f0-9]{128})$")
_EXPRESSION_TOKEN = re.compile(r"\s*(\(|\)|[A-Za-z0-9.:+-]+)")
_OPERATORS = frozenset({"AND", "OR", "WITH"})
_LICENSE_REFERENCE = re.compile(r"^(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$")
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def cyclonedx_type(component_type: str | None, default: str = "library") -> str:
    """A CycloneDX component type for any type read from CycloneDX or SPDX."""
    if not component_type:
        return default
    folded = component_type.strip().lower().replace("_", "-")
    if folded in CYCLONEDX_TYPES:
        return folded
    return _TYPE_FROM_SPDX.get(folded, default)


def is_license_expression(text: str) -> bool:
    """A compound SPDX expression (with AND, OR or WITH) whose every licence is known."""
    parts: list[str] = []
    position = 0
    stripped = text.strip()
    while position < len(stripped):
        match = _EXPRESSION_TOKEN.match(stripped, position)
        if match is None:
            return False
        parts.append(match.group(1))
        position = match.end()
    if not any(part.upper() in _OPERATORS for part in parts):
        return False
    known = spdx_license_ids()
    return all(
        part in ("(", ")")
        or part.upper() in _OPERATORS
        or part.removesuffix("+") in known
        or bool(_LICENSE_REFERENCE.match(part))
        for part in parts
    )


def export_properties(component: Component) -> list[tuple[str, str]]:
    """The component's properties with the support ones rewritten from its fields."""
    kept = [(name, value) for name, value in component.properties if not is_support_property(name)]
    if component.level_of_support is not None:
        kept.append((LEVEL_OF_SUPPORT_PROPERTY, component.level_of_support))
    if component.end_of_support is not None:
        kept.append((END_OF_SUPPORT_PROPERTY, component.end_of_support.isoformat()))
    return kept


def timestamp_text(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def known_dependencies(document: SbomDocument) -> list[tuple[str, list[str]]]:
    """Dependency edges between references the document holds, without repeats."""
    references = {component.reference for component in document.components}
    if document.primary_component is not None:
        references.add(document.primary_component.reference)
    edges: dict[str, list[str]] = {}
    for source, targets in document.dependencies:
        if source not in references:
            continue
        kept = edges.setdefault(source, [])
        kept.extend(target for target in targets if target in references and target not in kept)
    return list(edges.items())


def _licenses(component: Component) -> list[dict[str, Any]]:
    if len(component.licenses) == 1 and is_license_expression(component.licenses[0]):
        return [{"expression": component.licenses[0]}]
    known = spdx_license_ids()
    return [
        {"license": {"id": text}} if text in known else {"license": {"name": text}}
        for text in component.licenses
    ]


def _component(component: Component, default_type: str = "library") -> dict[str, Any]:
    shape: dict[str, Any] = {
        "type": cyclonedx_type(component.type, default_type),
        "bom-ref": component.reference,
    }
    if component.supplier:
        shape["supplier"] = {"name": component.supplier}
    if component.group:
        shape["group"] = component.group
    shape["name"] = component.name
    if component.version:
        shape["version"] = component.version
    hashes = [
        {"alg": name, "content": value}
        for name, value in component.hashes
        if name in CYCLONEDX_HASH_ALGORITHMS and _HASH_VALUE.match(value)
    ]
    if hashes:
        shape["hashes"] = hashes
    if component.licenses:
        shape["licenses"] = _licenses(component)
    if component.cpe:
        shape["cpe"] = component.cpe
    purl = component.purl or component.purl_original
    if purl:
        shape["purl"] = purl
    if component.swid_tag_id:
        shape["swid"] = {"tagId": component.swid_tag_id, "name": component.name}
    properties = export_properties(component)
    if properties:
        shape["properties"] = [{"name": name, "value": value} for name, value in properties]
    return shape


def cyclonedx_shape(document: SbomDocument, tool_version: str) -> dict[str, Any]:
    """The CycloneDX 1.6 JSON object for `document`."""
    metadata: dict[str, Any] = {}
    if document.created is not None:
        metadata["timestamp"] = timestamp_text(document.created)
    metadata["tools"] = {
        "components": [{"type": "application", "name": "medvigil", "version": tool_version}]
    }
    if document.authors:
        metadata["authors"] = [{"name": author} for author in document.authors]
    if document.primary_component is not None:
        metadata["component"] = _component(document.primary_component, "device")
        if document.primary_component.supplier:
            metadata["manufacturer"] = {"name": document.primary_component.supplier}
    shape: dict[str, Any] = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
    }
    if document.serial:
        shape["serialNumber"] = document.serial
    shape["version"] = 1
    shape["metadata"] = metadata
    shape["components"] = [_component(component) for component in document.components]
    shape["dependencies"] = [
        {"ref": source, "dependsOn": targets} for source, targets in known_dependencies(document)
    ]
    return shape


def write_cyclonedx_json(document: SbomDocument, tool_version: str) -> bytes:
    return json.dumps(cyclonedx_shape(document, tool_version), indent=2).encode("utf-8")


def write_cyclonedx_xml(document: SbomDocument, tool_version: str) -> bytes:
    """The same content as `write_cyclonedx_json`, in the XSD's element order."""
    shape = cyclonedx_shape(document, tool_version)
    root = Element("bom", {"xmlns": CYCLONEDX_NAMESPACE, "version": "1"})
    if "serialNumber" in shape:
        root.set("serialNumber", shape["serialNumber"])
    metadata = shape["metadata"]
    metadata_element = SubElement(root, "metadata")
    if "timestamp" in metadata:
        _text(metadata_element, "timestamp", metadata["timestamp"])
    tools = SubElement(SubElement(metadata_element, "tools"), "components")
    for tool in metadata["tools"]["components"]:
        tool_element = SubElement(tools, "component", {"type": tool["type"]})
        _text(tool_element, "name", tool["name"])
        _text(tool_element, "version", tool["version"])
    if "authors" in metadata:
        authors = SubElement(metadata_element, "authors")
        for author in metadata["authors"]:
            _text(SubElement(authors, "author"), "name", author["name"])
    if "component" in metadata:
        _component_xml(metadata_element, metadata["component"])
    if "manufacturer" in metadata:
        _text(
            SubElement(metadata_element, "manufacturer"), "name", metadata["manufacturer"]["name"]
        )
    components = SubElement(root, "components")
    for component in shape["components"]:
        _component_xml(components, component)
    dependencies = SubElement(root, "dependencies")
    for dependency in shape["dependencies"]:
        element = SubElement(dependencies, "dependency", {"ref": _clean(dependency["ref"])})
        for target in dependency["dependsOn"]:
            SubElement(element, "dependency", {"ref": _clean(target)})
    body: bytes = tostring(root, encoding="utf-8", xml_declaration=True)
    return body


def _clean(text: str) -> str:
    """XML 1.0 cannot carry control characters: they are dropped."""
    return _XML_FORBIDDEN.sub("", text)


def _text(parent: Element, tag: str, text: str) -> Element:
    element = SubElement(parent, tag)
    element.text = _clean(text)
    return element


def _component_xml(parent: Element, shape: dict[str, Any]) -> None:
    element = SubElement(
        parent, "component", {"type": shape["type"], "bom-ref": _clean(shape["bom-ref"])}
    )
    if "supplier" in shape:
        _text(SubElement(element, "supplier"), "name", shape["supplier"]["name"])
    if "group" in shape:
        _text(element, "group", shape["group"])
    _text(element, "name", shape["name"])
    if "version" in shape:
        _text(element, "version", shape["version"])
    if "hashes" in shape:
        hashes = SubElement(element, "hashes")
        for item in shape["hashes"]:
            _text(hashes, "hash", item["content"]).set("alg", item["alg"])
    if "licenses" in shape:
        licenses = SubElement(element, "licenses")
        for choice in shape["licenses"]:
            if "expression" in choice:
                _text(licenses, "expression", choice["expression"])
            else:
                ((kind, value),) = choice["license"].items()
                _text(SubElement(licenses, "license"), kind, value)
    for tag in ("cpe", "purl"):
        if tag in shape:
            _text(element, tag, shape[tag])
    if "swid" in shape:
        SubElement(
            element,
            "swid",
            {"tagId": _clean(shape["swid"]["tagId"]), "name": _clean(shape["swid"]["name"])},
        )
    if "properties" in shape:
        properties = SubElement(element, "properties")
        for item in shape["properties"]:
            _text(properties, "property", item["value"]).set("name", _clean(item["name"]))
