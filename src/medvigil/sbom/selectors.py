"""Reads of SBOM records: merged component views, quality, diff, export.

Stored rows are turned back into the core's frozen dataclasses
(`engine_component`, `document_engine`), so quality, diff and export are the
core's own functions applied to what was stored.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.db.models import Min, Q, QuerySet

from medvigil import __version__
from medvigil.core import sbom as engine
from medvigil.core.sbom import write_cyclonedx_json, write_cyclonedx_xml, write_spdx_json
from medvigil.portfolio.models import ProductVersion
from medvigil.sbom.models import Component, Dependency, SbomDocument

EXPORT_FORMATS = {
    "cyclonedx-json": ("application/vnd.cyclonedx+json", "cdx.json"),
    "cyclonedx-xml": ("application/vnd.cyclonedx+xml", "cdx.xml"),
    "spdx-json": ("application/spdx+json", "spdx.json"),
}
# Stable namespace for export serial numbers: one serial per version and content.
EXPORT_NAMESPACE = uuid.UUID("5b0c1c4e-7d3a-4e7e-9a38-8f3c2a1d6e10")


def documents_of(version: ProductVersion) -> QuerySet[SbomDocument]:
    return SbomDocument.objects.filter(version=version).select_related("uploaded_by")


def components_of(version: ProductVersion) -> QuerySet[Component]:
    return Component.objects.filter(document__version=version)


@dataclass(frozen=True)
class ComponentFilter:
    """Search and filters of a version's component table (all optional)."""

    search: str = ""
    name: str = ""
    purl: str = ""
    type: str = ""
    supplier: str = ""
    role: str = ""
    missing_support: bool = False

    def apply(self, rows: QuerySet[Component]) -> QuerySet[Component]:
        if self.search:
            rows = rows.filter(
                Q(name__icontains=self.search)
                | Q(purl__icontains=self.search)
                | Q(group__icontains=self.search)
                | Q(cpe__icontains=self.search)
            )
        if self.name:
            rows = rows.filter(name__icontains=self.name)
        if self.purl:
            rows = rows.filter(Q(purl__startswith=self.purl) | Q(purl_original=self.purl))
        if self.type:
            rows = rows.filter(type=self.type)
        if self.supplier:
            rows = rows.filter(supplier__icontains=self.supplier)
        if self.role:
            rows = rows.filter(document__role=self.role)
        if self.missing_support:
            rows = rows.filter(Q(level_of_support="") | Q(end_of_support__isnull=True))
        return rows


# Rows of different documents with equal values here are one component of the version.
# The reference is part of it, so two components of one document are never merged.
MERGE_FIELDS = ("identity", "purl", "version", "reference")


def merge_key(row: Component) -> tuple[str, ...]:
    return tuple(getattr(row, field) for field in MERGE_FIELDS)


def merged_components(
    version: ProductVersion, component_filter: ComponentFilter | None = None
) -> QuerySet[Component]:
    """One row per distinct component (see MERGE_FIELDS) across the version's SBOMs.

    The row shown is the first stored one; `provenance` gives all documents.
    """
    rows = (component_filter or ComponentFilter()).apply(components_of(version))
    first_of_each = rows.values(*MERGE_FIELDS).annotate(first=Min("id")).values("first")
    return Component.objects.filter(id__in=first_of_each).select_related(
        "document", "support_set_by"
    )


def provenance(
    version: ProductVersion, components: list[Component]
) -> dict[int, list[SbomDocument]]:
    """For each listed component id, every document of the version that lists it."""
    keys = {(component.identity, component.version) for component in components}
    identities = {identity for identity, _ in keys}
    documents: dict[tuple[str, str], list[SbomDocument]] = defaultdict(list)
    rows = components_of(version).filter(identity__in=identities).select_related("document")
    for row in rows.order_by("document_id"):
        key = (row.identity, row.version)
        if key in keys and row.document not in documents[key]:
            documents[key].append(row.document)
    return {
        component.pk: documents[(component.identity, component.version)] for component in components
    }


def component_types(version: ProductVersion) -> list[str]:
    values = components_of(version).exclude(type="").values_list("type", flat=True)
    return sorted(set(values))


def engine_component(row: Component, reference: str | None = None) -> engine.Component:
    level: Any = row.level_of_support or None
    return engine.Component(
        reference=reference or row.reference,
        name=row.name,
        type=row.type or None,
        version=row.version or None,
        group=row.group or None,
        supplier=row.supplier or None,
        purl=row.purl or None,
        purl_original=row.purl_original or None,
        cpe=row.cpe or None,
        swid_tag_id=row.swid_tag_id or None,
        hashes=tuple((str(name), str(value)) for name, value in row.hashes),
        licenses=tuple(row.licenses),
        properties=tuple((str(name), str(value)) for name, value in row.properties),
        level_of_support=level,
        end_of_support=row.end_of_support,
        warnings=tuple(row.warnings),
    )


def _edges(rows: QuerySet[Dependency]) -> dict[int, list[int | str]]:
    edges: dict[int, list[int | str]] = defaultdict(list)
    for source, target, reference in rows.values_list("source_id", "target_id", "target_reference"):
        edges[source].append(target if target is not None else reference)
    return edges


def document_engine(document: SbomDocument) -> engine.SbomDocument:
    """The stored document as the core's model (for quality and diff)."""
    rows = list(document.components.order_by("position"))
    by_id = {row.pk: row for row in rows}
    edges = _edges(Dependency.objects.filter(document=document))
    dependencies = tuple(
        (
            by_id[source].reference,
            tuple(by_id[t].reference if isinstance(t, int) else t for t in targets),
        )
        for source, targets in edges.items()
    )
    primary = next((row for row in rows if row.is_primary), None)
    is_cyclonedx = document.format == "CycloneDX"
    return engine.SbomDocument(
        format=document.format,  # type: ignore[arg-type]
        spec_version=document.spec_version,
        serialisation=document.serialisation,  # type: ignore[arg-type]
        serial=document.serial or None,
        name=document.name or None,
        authors=tuple(document.authors),
        tools=tuple(document.tools),
        created=document.created,
        components=tuple(
            engine_component(row) for row in rows if not (row.is_primary and is_cyclonedx)
        ),
        dependencies=dependencies,
        primary_component_ref=primary.reference if primary else None,
        primary_component=engine_component(primary) if primary else None,
        warnings=tuple(document.warnings),
    )


def document_quality(document: SbomDocument) -> engine.QualityReport:
    return engine.assess_quality(document_engine(document))


def version_engine(
    version: ProductVersion, *, created: datetime | None = None
) -> engine.SbomDocument:
    """The version's SBOMs merged into one document whose primary component is the version.

    Components listed by several documents appear once; references are kept
    unless two documents use the same one for different components, in
    which case the later one is prefixed with its document number. The
    version depends on each document's primary component (or, without one,
    on the document's components that nothing else depends on).
    """
    product = version.product
    root_reference = f"medvigil:{product.model_number}@{version.version}"
    properties = [("medvigil:model-number", product.model_number)]
    if product.udi_di:
        properties.append(("medvigil:udi-di", product.udi_di))
    root = engine.Component(
        reference=root_reference,
        name=product.name,
        type="device",
        version=version.version,
        properties=tuple(properties),
        end_of_support=version.end_of_support_date,
    )
    rows = list(components_of(version).order_by("document_id", "position"))
    seen: dict[tuple[str, ...], str] = {}
    used = {root_reference}
    reference_of: dict[int, str] = {}
    components: list[engine.Component] = []
    for row in rows:
        key = merge_key(row)
        if key in seen:
            reference_of[row.pk] = seen[key]
            continue
        reference = (
            row.reference if row.reference not in used else f"{row.document_id}:{row.reference}"
        )
        used.add(reference)
        seen[key] = reference_of[row.pk] = reference
        components.append(engine_component(row, reference))
    edges: dict[str, list[str]] = defaultdict(list)
    by_document: dict[int, list[Component]] = defaultdict(list)
    for row in rows:
        by_document[row.document_id].append(row)
    stored_edges = _edges(Dependency.objects.filter(document__version=version))
    targets_in_graph = {t for targets in stored_edges.values() for t in targets}
    for source, targets in stored_edges.items():
        for target in targets:
            if isinstance(target, int) and reference_of[target] not in edges[reference_of[source]]:
                edges[reference_of[source]].append(reference_of[target])
    for document_rows in by_document.values():
        primaries = [row for row in document_rows if row.is_primary]
        tops = primaries or [row for row in document_rows if row.pk not in targets_in_graph]
        for row in tops:
            if reference_of[row.pk] not in edges[root_reference]:
                edges[root_reference].append(reference_of[row.pk])
    return engine.SbomDocument(
        format="CycloneDX",
        spec_version="1.6",
        serialisation="json",
        serial=None,
        name=f"{product.name} {version.version}",
        authors=(product.team.name,),
        tools=(f"medvigil {__version__}",),
        created=created,
        components=tuple(components),
        dependencies=tuple((source, tuple(targets)) for source, targets in edges.items()),
        primary_component_ref=root_reference,
        primary_component=root,
    )


def version_quality(version: ProductVersion) -> engine.QualityReport:
    """The quality of the components of the version's SBOMs.

    The merged document's primary component is the version itself, which no
    upload listed: it is left out, so the count is the one each upload reported.
    """
    return engine.assess_quality(replace(version_engine(version), primary_component=None))


def diff_versions(before: ProductVersion, after: ProductVersion) -> engine.ComponentDiff:
    return engine.diff_components(
        version_engine(before).components, version_engine(after).components
    )


def export_version(version: ProductVersion, format_name: str, created: datetime) -> bytes:
    """The version's merged SBOM in `format_name` (a key of EXPORT_FORMATS)."""
    document = version_engine(version, created=created)
    content_key = f"{version.pk}:{created.isoformat()}"
    serial = uuid.uuid5(EXPORT_NAMESPACE, content_key)
    if format_name == "spdx-json":
        namespace = f"https://medvigil.invalid/spdx/{version.product.model_number}/{serial}"
        document = _with_serial(document, namespace)
        return write_spdx_json(document, __version__, created)
    document = _with_serial(document, f"urn:uuid:{serial}")
    if format_name == "cyclonedx-json":
        return write_cyclonedx_json(document, __version__)
    if format_name == "cyclonedx-xml":
        return write_cyclonedx_xml(document, __version__)
    raise ValueError(f"unknown export format {format_name!r}: use {', '.join(EXPORT_FORMATS)}")


def _with_serial(document: engine.SbomDocument, serial: str) -> engine.SbomDocument:
    return replace(document, serial=serial)


def export_filename(version: ProductVersion, format_name: str) -> str:
    suffix = EXPORT_FORMATS[format_name][1]
    stem = f"{version.product.model_number}-{version.version}".replace("/", "-").replace(" ", "_")
    return f"{stem}.{suffix}"
