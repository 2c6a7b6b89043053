"""`parse_sbom`: bytes of any accepted SBOM → `SbomDocument`.

The format and spec version are read from the content, never from the
file name alone: the name only appears in messages. Detection goes by the
first significant character (``{`` JSON, ``<`` XML), an ``SPDXVersion:``
line (tag-value), and otherwise YAML. What is refused, and why, is listed in
docs/sbom-formats.md.
"""

from __future__ import annotations

import json
import re
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeElementTree
from defusedxml import DefusedXmlException

from medvigil.core.sbom.cyclonedx import read_cyclonedx
from medvigil.core.sbom.cyclonedx_schema import (
    JSON_SPEC_VERSIONS,
    XML_SPEC_VERSIONS,
    json_schema_warnings,
    xml_schema_warnings,
)
from medvigil.core.sbom.cyclonedx_xml import NAMESPACE_PATTERN, translate_cyclonedx_xml
from medvigil.core.sbom.model import SbomDocument, SbomFormatError, Serialisation
from medvigil.core.text import NUL, not_utf8, nul_path

MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
MAX_COMPONENTS = 200_000
# CycloneDX versions older than this are read on a best-effort basis, with a warning.
OLDEST_FULLY_SUPPORTED_CYCLONEDX = (1, 4)

_TAG_VALUE_VERSION = re.compile(r"^\s*SPDXVersion\s*:", re.MULTILINE)
_RDF_ROOT = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF"


def parse_sbom(
    content: bytes,
    filename: str,
    *,
    max_bytes: int = MAX_DOCUMENT_BYTES,
    max_components: int = MAX_COMPONENTS,
) -> SbomDocument:
    """Read a CycloneDX (JSON, XML) or SPDX 2.2/2.3 (JSON, YAML, XML, tag-value) SBOM.

    Raises `SbomFormatError`, and nothing else, for any content it cannot
    read: not an SBOM, an unsupported format or version, a structurally
    broken document, or one over the limits. Schema deviations that leave
    the components readable are `SbomDocument.warnings`.
    """
    if len(content) > max_bytes:
        raise SbomFormatError(
            filename, f"{len(content)} bytes: over the limit of {max_bytes} bytes per document"
        )
    body = content.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not body:
        raise SbomFormatError(filename, "the document is empty")
    if body.startswith(b"<"):
        return _parse_xml(body, filename, max_components)
    text = _decode(body, filename)
    if text.startswith("{"):
        return _parse_json(text, filename, max_components)
    _refuse_nul_character(text, filename)
    if _TAG_VALUE_VERSION.search(text):
        return _read_spdx(text, "tag-value", filename, max_components)
    from medvigil.core.sbom.spdx_parsing import load_yaml  # slow to import: YAML only

    data = load_yaml(text, filename)
    _refuse_nul_value(data, filename)
    if isinstance(data, dict) and "spdxVersion" in data:
        _check_spdx_version(data.get("spdxVersion"), filename)
        return _read_spdx(data, "yaml", filename, max_components)
    if isinstance(data, dict) and "bomFormat" in data:
        raise SbomFormatError(filename, "CycloneDX is read as JSON or XML, not YAML")
    raise SbomFormatError(
        filename,
        "not a recognised SBOM: expected CycloneDX JSON or XML, "
        "or SPDX 2.2/2.3 JSON, YAML, XML or tag-value",
    )


def _read_spdx(
    source: Any, serialisation: Serialisation, filename: str, max_components: int
) -> SbomDocument:
    """SPDX 2.x through spdx-tools, loaded only when an SPDX document arrives (slow to import)."""
    # spdx-tools is slow to import: loaded when an SPDX document arrives.
    from medvigil.core.sbom import spdx_parsing
    from medvigil.core.sbom.spdx import read_spdx

    if serialisation == "tag-value":
        parsed = spdx_parsing.parse_spdx_tag_value(source, filename)
    elif serialisation == "xml":
        parsed = spdx_parsing.parse_spdx_xml(source, filename)
    else:
        parsed = spdx_parsing.parse_spdx_mapping(source, filename)
    return read_spdx(
        parsed,
        filename=filename,
        serialisation=serialisation,
        max_components=max_components,
    )


def _decode(body: bytes, filename: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SbomFormatError(filename, not_utf8(error)) from None


def _refuse_nul_character(text: str, filename: str) -> None:
    """A raw NUL in tag-value or YAML text: PostgreSQL cannot store it, so no database gets it."""
    position = text.find(NUL)
    if position >= 0:
        line = text.count("\n", 0, position) + 1
        raise SbomFormatError(
            filename, f"line {line} contains a NUL character, which cannot be stored"
        )


def _refuse_nul_value(data: object, filename: str) -> None:
    """A decoded value holding NUL (JSON ``\\u0000``, YAML ``"\\0"``), named by its path."""
    found = nul_path(data)
    if found is not None:
        raise SbomFormatError(filename, f"{found} contains a NUL character, which cannot be stored")


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not a JSON number")


def _parse_json(text: str, filename: str, max_components: int) -> SbomDocument:
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise SbomFormatError(filename, "JSON nested too deeply") from None
    except ValueError as error:
        raise SbomFormatError(filename, f"not valid JSON: {error}") from None
    if not isinstance(data, dict):
        raise SbomFormatError(filename, "the JSON document must be an object")
    _refuse_nul_value(data, filename)
    if "bomFormat" in data:
        if data["bomFormat"] != "CycloneDX":
            raise SbomFormatError(filename, f"bomFormat: {data['bomFormat']!r} is not 'CycloneDX'")
        spec_version = _cyclonedx_version(data.get("specVersion"), JSON_SPEC_VERSIONS, filename)
        warnings = _age_warnings(spec_version) + json_schema_warnings(data, spec_version)
        return read_cyclonedx(
            data,
            filename=filename,
            serialisation="json",
            spec_version=spec_version,
            max_components=max_components,
            warnings=warnings,
        )
    if "spdxVersion" in data:
        _check_spdx_version(data.get("spdxVersion"), filename)
        return _read_spdx(data, "json", filename, max_components)
    if "@context" in data and "spdx.org/rdf/3" in str(data["@context"]):
        raise SbomFormatError(
            filename, "SPDX 3 (JSON-LD) is not supported: only SPDX 2.2 and 2.3 are read"
        )
    raise SbomFormatError(
        filename, "not a recognised SBOM: JSON without 'bomFormat' (CycloneDX) or 'spdxVersion'"
    )


def _parse_xml(body: bytes, filename: str, max_components: int) -> SbomDocument:
    try:
        root: Element = SafeElementTree.fromstring(
            body, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException as error:
        raise SbomFormatError(filename, f"XML refused for safety: {error!r}") from None
    except (ParseError, ValueError) as error:
        raise SbomFormatError(filename, f"not well-formed XML: {error}") from None
    except LookupError as error:  # an encoding declaration naming no known codec
        raise SbomFormatError(filename, f"XML declares an unknown encoding: {error}") from None
    if root.tag == _RDF_ROOT:
        raise SbomFormatError(
            filename, "SPDX RDF/XML is not supported: send SPDX JSON, YAML, XML or tag-value"
        )
    namespace_match = NAMESPACE_PATTERN.match(str(root.tag))
    if namespace_match:
        spec_version = _cyclonedx_version(namespace_match.group(1), XML_SPEC_VERSIONS, filename)
        text = _decode(body, filename)
        warnings = _age_warnings(spec_version) + xml_schema_warnings(text, spec_version)
        return read_cyclonedx(
            translate_cyclonedx_xml(root, spec_version, filename),
            filename=filename,
            serialisation="xml",
            spec_version=spec_version,
            max_components=max_components,
            warnings=warnings,
        )
    if root.tag == "Document":
        version_element = root.find("spdxVersion")
        _check_spdx_version(None if version_element is None else version_element.text, filename)
        return _read_spdx(root, "xml", filename, max_components)
    raise SbomFormatError(filename, f"not a recognised SBOM: XML root element {str(root.tag)!r}")


def _cyclonedx_version(value: object, supported: tuple[str, ...], filename: str) -> str:
    if not isinstance(value, str) or value not in supported:
        raise SbomFormatError(
            filename,
            f"specVersion: CycloneDX {value!r} is not supported "
            f"(supported: {', '.join(supported)})",
        )
    return value


def _age_warnings(spec_version: str) -> tuple[str, ...]:
    major, minor = (int(part) for part in spec_version.split("."))
    if (major, minor) < OLDEST_FULLY_SUPPORTED_CYCLONEDX:
        return (f"CycloneDX {spec_version} is older than 1.4: read on a best-effort basis",)
    return ()


def _check_spdx_version(value: object, filename: str) -> None:
    """Refuse early what spdx-tools would misread (SPDX 3 has no spdxVersion)."""
    supported = ("SPDX-2.2", "SPDX-2.3")
    if not isinstance(value, str) or value.strip() not in supported:
        raise SbomFormatError(
            filename,
            f"spdxVersion: {value!r} is not supported (supported: {', '.join(supported)})",
        )
