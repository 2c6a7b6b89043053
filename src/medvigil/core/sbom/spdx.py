"""SPDX 2.2/2.3 reader: spdx-tools `Document` → `SbomDocument`.

Packages are the components (files and snippets are not). Relationships
become dependency edges in the "depends on" direction: ``DEPENDS_ON``,
``CONTAINS``, ``STATIC_LINK``, ``DYNAMIC_LINK`` and ``HAS_PREREQUISITE`` read
left to right, the ``*_OF``/``CONTAINED_BY``/``PREREQUISITE_FOR`` family right
to left. An edge is kept when its source is a package and its target is a
package or an element of another document (``DocumentRef-…``); edges to
files, ``NONE`` and ``NOASSERTION`` are not dependencies between components.
spdx-tools' own validation findings become warnings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC

from spdx_tools.spdx.model.actor import Actor, ActorType
from spdx_tools.spdx.model.document import Document
from spdx_tools.spdx.model.package import ExternalPackageRefCategory, Package
from spdx_tools.spdx.model.relationship import RelationshipType

from medvigil.core.sbom.assembly import assemble_component, document_warnings
from medvigil.core.sbom.model import Component, SbomDocument, SbomFormatError, Serialisation
from medvigil.core.sbom.spdx_validation import validation_messages

SPEC_VERSIONS = ("2.2", "2.3")
MAX_LISTED_VALIDATION_MESSAGES = 20

_FORWARD = frozenset(
    {
        RelationshipType.DEPENDS_ON,
        RelationshipType.CONTAINS,
        RelationshipType.STATIC_LINK,
        RelationshipType.DYNAMIC_LINK,
        RelationshipType.HAS_PREREQUISITE,
    }
)
_BACKWARD = frozenset(
    {
        RelationshipType.DEPENDENCY_OF,
        RelationshipType.CONTAINED_BY,
        RelationshipType.BUILD_DEPENDENCY_OF,
        RelationshipType.DEV_DEPENDENCY_OF,
        RelationshipType.OPTIONAL_DEPENDENCY_OF,
        RelationshipType.PROVIDED_DEPENDENCY_OF,
        RelationshipType.TEST_DEPENDENCY_OF,
        RelationshipType.RUNTIME_DEPENDENCY_OF,
        RelationshipType.PREREQUISITE_FOR,
    }
)
# An annotation "name=value" or "name: value" on a package is read as a property.
_ANNOTATION_PROPERTY = re.compile(r"^\s*([A-Za-z][\w.:-]*)\s*[=:]\s*(\S.*?)\s*$")


def read_spdx(
    document: Document,
    *,
    filename: str,
    serialisation: Serialisation,
    max_components: int,
) -> SbomDocument:
    """Map a parsed SPDX 2 document onto the model."""
    creation = document.creation_info
    spec_version = creation.spdx_version.removeprefix("SPDX-")
    if spec_version not in SPEC_VERSIONS:
        raise SbomFormatError(
            filename,
            f"spdxVersion: {creation.spdx_version!r} is not supported "
            f"(supported: SPDX-{', SPDX-'.join(SPEC_VERSIONS)})",
        )
    if len(document.packages) > max_components:
        raise SbomFormatError(
            filename, f"packages: more than {max_components} packages: over the limit"
        )
    warnings = list(_validation_warnings(document, creation.spdx_version))
    created = creation.created
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)

    properties = _annotation_properties(document)
    components = tuple(
        _component(package, properties.get(package.spdx_id, ())) for package in document.packages
    )
    package_references = {component.reference for component in components}
    dependencies = tuple(_dependencies(document, package_references))
    primary = _primary_reference(document, package_references)
    primary_component = next(
        (component for component in components if component.reference == primary), None
    )
    return SbomDocument(
        format="SPDX",
        spec_version=spec_version,
        serialisation=serialisation,
        serial=creation.document_namespace,
        name=creation.name,
        authors=tuple(_actors(creation.creators, tools=False)),
        tools=tuple(_actors(creation.creators, tools=True)),
        created=created,
        components=components,
        dependencies=dependencies,
        primary_component_ref=primary,
        primary_component=primary_component,
        warnings=document_warnings(components, dependencies, (), warnings),
    )


def _validation_warnings(document: Document, spdx_version: str) -> Iterator[str]:
    try:
        messages = validation_messages(document, spdx_version)
    except Exception as error:
        yield f"SPDX validation could not run: {type(error).__name__}: {error}"
        return
    for message in messages[:MAX_LISTED_VALIDATION_MESSAGES]:
        yield f"SPDX validation: {message}"
    if len(messages) > MAX_LISTED_VALIDATION_MESSAGES:
        yield f"SPDX validation: {len(messages) - MAX_LISTED_VALIDATION_MESSAGES} more messages"


def _actors(actors: list[Actor], *, tools: bool) -> Iterator[str]:
    for actor in actors:
        if (actor.actor_type == ActorType.TOOL) == tools:
            yield actor.name


def _annotation_properties(document: Document) -> dict[str, tuple[tuple[str, str], ...]]:
    found: dict[str, list[tuple[str, str]]] = {}
    for annotation in document.annotations:
        for line in annotation.annotation_comment.splitlines():
            match = _ANNOTATION_PROPERTY.match(line)
            if match:
                found.setdefault(annotation.spdx_id, []).append((match.group(1), match.group(2)))
    return {reference: tuple(pairs) for reference, pairs in found.items()}


def _component(package: Package, properties: tuple[tuple[str, str], ...]) -> Component:
    purls = []
    cpe = None
    swid_tag_id = None
    for reference in package.external_references:
        kind = reference.reference_type.lower()
        if reference.category == ExternalPackageRefCategory.PACKAGE_MANAGER and kind == "purl":
            purls.append(reference.locator)
        elif reference.category == ExternalPackageRefCategory.SECURITY:
            if kind in ("cpe23type", "cpe22type") and cpe is None:
                cpe = reference.locator
            elif kind == "swid" and swid_tag_id is None:
                swid_tag_id = reference.locator
    warnings = []
    if len(purls) > 1:
        warnings.append(f"{len(purls)} purls given, the first one is used")
    licenses = [
        str(expression)
        for expression in (package.license_declared, package.license_concluded)
        if expression is not None and str(expression) not in ("NOASSERTION", "NONE")
    ]
    purpose = package.primary_package_purpose
    valid_until = package.valid_until_date
    return assemble_component(
        reference=package.spdx_id,
        name=package.name,
        type=purpose.name.lower().replace("_", "-") if purpose else None,
        version=package.version,
        supplier=package.supplier.name if isinstance(package.supplier, Actor) else None,
        purl=purls[0] if purls else None,
        cpe=cpe,
        swid_tag_id=swid_tag_id,
        hashes=[(checksum.algorithm.name, checksum.value) for checksum in package.checksums],
        licenses=licenses[:1],
        properties=properties,
        valid_until=valid_until.date() if valid_until else None,
        warnings=warnings,
    )


def _dependencies(document: Document, packages: set[str]) -> Iterator[tuple[str, tuple[str, ...]]]:
    edges: dict[str, list[str]] = {}
    for relationship in document.relationships:
        left = relationship.spdx_element_id
        right = relationship.related_spdx_element_id
        if not isinstance(right, str):
            continue
        if relationship.relationship_type in _FORWARD:
            source, target = left, right
        elif relationship.relationship_type in _BACKWARD:
            source, target = right, left
        else:
            continue
        if source in packages and (target in packages or target.startswith("DocumentRef-")):
            targets = edges.setdefault(source, [])
            if target not in targets:
                targets.append(target)
    for source, targets in edges.items():
        yield source, tuple(targets)


def _primary_reference(document: Document, packages: set[str]) -> str | None:
    """The first package the document describes."""
    document_id = document.creation_info.spdx_id
    for relationship in document.relationships:
        kind = relationship.relationship_type
        left, right = relationship.spdx_element_id, relationship.related_spdx_element_id
        if kind == RelationshipType.DESCRIBES and left == document_id and right in packages:
            return str(right)
        if kind == RelationshipType.DESCRIBED_BY and right == document_id and left in packages:
            return left
    return None
