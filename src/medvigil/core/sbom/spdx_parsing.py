"""SPDX 2.2/2.3 text → spdx-tools `Document`, for each serialisation we accept.

spdx-tools reads files by path; medvigil's core takes bytes, so the same
parsers are called on decoded values. YAML is loaded with anchors and
aliases refused (a few aliases can expand to a huge document), XML has been
parsed by defusedxml (no DTD, no entity) and is turned into the dictionary
spdx-tools' own XML reader would build. Whatever spdx-tools raises
becomes an `SbomFormatError`: its parsers are a boundary we do not control.
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

import yaml
from license_expression import ExpressionError
from spdx_tools.common.spdx_licensing import spdx_licensing
from spdx_tools.spdx.model.document import Document
from spdx_tools.spdx.model.relationship import Relationship, RelationshipType
from spdx_tools.spdx.parser.error import SPDXParsingError
from spdx_tools.spdx.parser.jsonlikedict.json_like_dict_parser import JsonLikeDictParser
from spdx_tools.spdx.parser.tagvalue.parser import Parser

from medvigil.core.sbom.model import SbomFormatError

# Fields that are lists in SPDX but single elements when XML holds one.
_XML_LIST_FIELDS = frozenset(
    {
        "creators",
        "externalDocumentRefs",
        "hasExtractedLicensingInfos",
        "seeAlsos",
        "annotations",
        "relationships",
        "snippets",
        "reviewers",
        "fileTypes",
        "licenseInfoFromFiles",
        "licenseInfoInFiles",
        "artifactOf",
        "fileContributors",
        "fileDependencies",
        "files",
        "documentDescribes",
        "packages",
        "checksums",
        "hasFiles",
        "externalRefs",
        "ranges",
        "licenseInfoInSnippets",
        "packageVerificationCodeExcludedFiles",
        "attributionTexts",
    }
)
_MAX_LISTED_MESSAGES = 5
_MAX_XML_DEPTH = 64


class _NoAliasLoader(yaml.SafeLoader):
    """Safe YAML loader that refuses anchors and aliases."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.YAMLError(
                f"YAML aliases are not accepted (line {event.start_mark.line + 1})"
            )
        return super().compose_node(parent, index)


def load_yaml(text: str, filename: str) -> object:
    """Decoded YAML, or an error naming the file."""
    try:
        return yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader subclass
    except (yaml.YAMLError, RecursionError, ValueError) as error:
        raise SbomFormatError(filename, f"not valid YAML: {error}") from None


def parse_spdx_mapping(data: object, filename: str) -> Document:
    """An SPDX document decoded from JSON or YAML."""
    if not isinstance(data, dict):
        raise SbomFormatError(filename, "an SPDX document must be an object at the top level")
    return _guarded(lambda: _from_mapping(data), filename)


def parse_spdx_xml(root: Element, filename: str) -> Document:
    """An SPDX XML document, from its root ``<Document>`` parsed by defusedxml."""
    document = _xml_value(root)
    if not isinstance(document, dict):
        raise SbomFormatError(filename, "the XML <Document> element is empty")
    return _guarded(lambda: _from_mapping(document), filename)


def parse_spdx_tag_value(text: str, filename: str) -> Document:
    """An SPDX tag-value document; a new parser each time, as it keeps state."""

    def parse() -> Document:
        parser = _TagValueParser(write_tables=False, debug=False, errorlog=_SilentLog())
        document: Document = parser.parse(text)  # type: ignore[no-untyped-call]
        return document

    return _guarded(parse, filename)


class _TagValueParser(Parser):
    """spdx-tools' tag-value parser, in linear time: a document of 3,900 files took minutes.

    The library's rule calls `get_spdx_licensing()` for each licence field,
    which rebuilds the index of some 600 SPDX licences every time; the rule
    below (same grammar, same messages) uses the index spdx-tools builds once
    at import. And each file after a package looked for its implicit CONTAINS
    relationship in the list of all relationships so far (quadratic); here a
    set of their keys answers.
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)  # type: ignore[no-untyped-call]
        self._relationship_keys: set[tuple[object, ...]] = set()
        self._relationships_indexed = 0

    def check_for_preceding_package_and_build_contains_relationship(self) -> None:
        packages = self.elements_built.get("packages")
        if not packages:
            super().check_for_preceding_package_and_build_contains_relationship()  # type: ignore[no-untyped-call]
            return
        relationships = self.elements_built.setdefault("relationships", [])
        for relationship in relationships[self._relationships_indexed :]:
            self._relationship_keys.add(_relationship_key(relationship))
        key = (
            packages[-1].spdx_id,
            RelationshipType.CONTAINS,
            self.current_element["spdx_id"],
            None,
        )
        if key not in self._relationship_keys:
            relationships.append(Relationship(key[0], RelationshipType.CONTAINS, key[2]))
            self._relationship_keys.add(key)
        self._relationships_indexed = len(relationships)

    def p_license(self, p: Any) -> None:
        """license_or_no_assertion_or_none : LINE"""
        # ply reads the grammar rule from the docstring (the library's @grammar_rule sets it).
        try:
            p[0] = spdx_licensing.parse(p[1])
        except ExpressionError as error:
            message = f"Error while parsing license expression: {p[1]}"
            if error.args:
                message += f": {error.args[0]}"
            self.current_element["logger"].append(message)


def _relationship_key(relationship: Relationship) -> tuple[object, ...]:
    # SpdxNone and SpdxNoAssertion targets never equal a file's id: their repr keeps them apart.
    related = relationship.related_spdx_element_id
    return (
        relationship.spdx_element_id,
        relationship.relationship_type,
        related if isinstance(related, str) else repr(related),
        relationship.comment,
    )


def _from_mapping(data: dict[str, Any]) -> Document:
    document: Document = JsonLikeDictParser().parse(data)  # type: ignore[no-untyped-call]
    return document


class _SilentLog:
    """The grammar's build messages are the library's business, not the user's."""

    def _ignore(self, message: str, *arguments: object) -> None:
        return None

    debug = info = warning = error = critical = _ignore


def _xml_value(element: Element, depth: int = 0) -> Any:
    """Text for a leaf, else a dictionary; list fields always become lists."""
    if depth > _MAX_XML_DEPTH:
        raise RecursionError
    children = list(element)
    if not children:
        return (element.text or "").strip() or None
    value: dict[str, Any] = {}
    for child in children:
        key = str(child.tag)
        item = _xml_value(child, depth + 1)
        if key in _XML_LIST_FIELDS:
            value.setdefault(key, [])
            if item is not None:
                value[key].append(item)
        elif key in value:
            value[key] = [*value[key], item] if isinstance(value[key], list) else [value[key], item]
        else:
            value[key] = item
    return value


def _guarded(parse: Any, filename: str) -> Document:
    try:
        document: Document = parse()
    except SPDXParsingError as error:
        messages = [str(message) for message in error.get_messages()]  # type: ignore[no-untyped-call]
        listed = "; ".join(messages[:_MAX_LISTED_MESSAGES])
        more = len(messages) - _MAX_LISTED_MESSAGES
        suffix = f" (and {more} more)" if more > 0 else ""
        raise SbomFormatError(
            filename, f"not a readable SPDX 2 document: {listed}{suffix}"
        ) from None
    except RecursionError:
        raise SbomFormatError(filename, "SPDX document nested too deeply") from None
    except Exception as error:
        raise SbomFormatError(
            filename, f"not a readable SPDX 2 document: {type(error).__name__}: {error}"
        ) from error
    return document
