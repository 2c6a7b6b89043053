"""Every write to SBOM records: import, support fields, deletion. Each is audited.

An import is whole or nothing: the document is read by the core engine
first (never by a view), checked, and then stored in one transaction with
its audit event; if anything fails, no row remains and the stored file is
removed again.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from medvigil.audit.services import changed_fields, record
from medvigil.core import sbom as engine
from medvigil.core.sbom import component_identity
from medvigil.platform.refusals import Kind, Refusal
from medvigil.portfolio.models import ProductVersion
from medvigil.sbom.models import (
    MAX_INDEXED_LENGTH,
    Component,
    Dependency,
    DocumentRole,
    LevelOfSupport,
    SbomDocument,
)
from medvigil.sbom.signals import document_imported, document_removing

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
BATCH_SIZE = 2000
Progress = Callable[[str, int, int], None]


def rejected(message: str, kind: Kind = Kind.INVALID, field: str = "file") -> Refusal:
    """The document is not stored; the message says why and where in it."""
    return Refusal(message, kind, {field: message})


def max_document_bytes() -> int:
    return int(getattr(settings, "SBOM_MAX_BYTES", DEFAULT_MAX_BYTES))


def read_document(content: bytes, filename: str) -> engine.SbomDocument:
    """Parse and check a document without storing anything (refuses it with a `Refusal`)."""
    limit = max_document_bytes()
    if len(content) > limit:
        raise rejected(
            f"{filename}: {len(content)} bytes is over the limit of {limit} bytes "
            f"({limit // (1024 * 1024)} MB) per SBOM",
            Kind.TOO_LARGE,
        )
    try:
        document = engine.parse_sbom(content, filename, max_bytes=limit)
    except engine.SbomFormatError as error:
        raise rejected(str(error)) from None
    check_components(document, filename)
    return document


def all_components(document: engine.SbomDocument) -> list[engine.Component]:
    """The primary component first (when the format lists it apart), then the others."""
    components = list(document.components)
    primary = document.primary_component
    if primary is not None and all(item.reference != primary.reference for item in components):
        components.insert(0, primary)
    return components


def _place(component: engine.Component) -> str:
    label = f"{component.name} {component.version or ''}".strip()
    return f"component {component.reference!r} ({label})" if label else repr(component.reference)


def check_components(document: engine.SbomDocument, filename: str) -> None:
    """What the core reads with a warning but a record must not hold."""
    components = all_components(document)
    counts = Counter(component.reference for component in components)
    duplicates = [reference for reference, count in counts.items() if count > 1]
    if duplicates:
        first = duplicates[0]
        names = [_place(item) for item in components if item.reference == first][:3]
        raise rejected(
            f"{filename}: duplicate reference {first!r} (bom-ref/SPDXID) used by "
            f"{counts[first]} components: {', '.join(names)}"
            + (f"; {len(duplicates) - 1} more duplicated references" if len(duplicates) > 1 else "")
        )
    for component in components:
        if not component.name.strip():
            raise rejected(f"{filename}: component {component.reference!r} has no name")
        for field in ("reference", "name", "version", "group", "purl"):
            value = getattr(component, field) or ""
            if len(value) > MAX_INDEXED_LENGTH:
                raise rejected(
                    f"{filename}: {_place(component)[:200]}: {field} is {len(value)} characters "
                    f"long, over the limit of {MAX_INDEXED_LENGTH}"
                )


def import_sbom(
    version: ProductVersion,
    content: bytes,
    filename: str,
    role: str,
    user: Any = None,
    *,
    progress: Progress | None = None,
) -> SbomDocument:
    """Read, check and store one SBOM of `version`; refuses it whole and stores nothing."""
    if role not in DocumentRole.values:
        raise rejected(
            f"role {role!r} is not one of {', '.join(DocumentRole.values)}", field="role"
        )
    report = progress or (lambda stage, done, total: None)
    report("reading", 0, 1)
    document = read_document(content, filename)
    digest = hashlib.sha256(content).hexdigest()
    if SbomDocument.objects.filter(version=version, sha256=digest).exists():
        raise rejected(
            f"{filename}: this exact document is already attached to {version}", Kind.CONFLICT
        )
    components = all_components(document)
    safe_name = get_valid_filename(filename.rsplit("/", 1)[-1])[:100] or "sbom"
    stored_name = default_storage.save(
        f"sbom/{digest[:2]}/{digest}-{safe_name}", ContentFile(content)
    )
    try:
        with transaction.atomic():
            stored = _store(version, document, components, content, filename, role, user, digest)
            stored.file.name = stored_name
            stored.save(update_fields=["file"])
            _store_components(stored, document, components, report)
            record(
                "sbom.imported",
                stored,
                details={
                    "filename": filename,
                    "sha256": digest,
                    "format": f"{document.format} {document.spec_version} {document.serialisation}",
                    "components": len(components),
                    "role": role,
                },
            )
            # In the transaction: the matching task listeners queue commits with the
            # document (after the commit, a kill in between left the SBOM unmatched).
            document_imported.send(SbomDocument, document=stored)
    except BaseException:
        default_storage.delete(stored_name)
        raise
    return stored


def _store(
    version: ProductVersion,
    document: engine.SbomDocument,
    components: list[engine.Component],
    content: bytes,
    filename: str,
    role: str,
    user: Any,
    digest: str,
) -> SbomDocument:
    return SbomDocument.objects.create(
        version=version,
        role=role,
        filename=filename[:255],
        sha256=digest,
        size=len(content),
        format=document.format,
        spec_version=document.spec_version,
        serialisation=document.serialisation,
        serial=document.serial or "",
        name=document.name or "",
        authors=list(document.authors),
        tools=list(document.tools),
        created=document.created,
        primary_reference=document.primary_component_ref or "",
        warnings=list(document.warnings),
        component_count=len(components),
        uploaded_by=user if getattr(user, "is_authenticated", False) else None,
    )


def _row(
    stored: SbomDocument, position: int, component: engine.Component, primary: str
) -> Component:
    return Component(
        document=stored,
        position=position,
        is_primary=component.reference == primary,
        reference=component.reference,
        type=(component.type or "")[:50],
        name=component.name,
        version=component.version or "",
        group=component.group or "",
        supplier=component.supplier or "",
        purl=component.purl or "",
        purl_original=component.purl_original or "",
        cpe=component.cpe or "",
        swid_tag_id=component.swid_tag_id or "",
        identity=component_identity(component)[:MAX_INDEXED_LENGTH],
        hashes=[list(pair) for pair in component.hashes],
        licenses=list(component.licenses),
        properties=[list(pair) for pair in component.properties],
        warnings=list(component.warnings),
        level_of_support=component.level_of_support or "",
        end_of_support=component.end_of_support,
    )


def _store_components(
    stored: SbomDocument,
    document: engine.SbomDocument,
    components: list[engine.Component],
    report: Progress,
) -> None:
    primary = document.primary_component_ref or ""
    rows = [_row(stored, position, item, primary) for position, item in enumerate(components)]
    identifiers: dict[str, int] = {}
    for start in range(0, len(rows), BATCH_SIZE):
        created = Component.objects.bulk_create(rows[start : start + BATCH_SIZE])
        identifiers.update((row.reference, row.pk) for row in created)
        report("components", min(start + BATCH_SIZE, len(rows)), len(rows))
    edges = [
        Dependency(
            document=stored,
            source_id=identifiers[source],
            target_id=identifiers.get(target),
            target_reference=target,
        )
        for source, targets in document.dependencies
        if source in identifiers
        for target in dict.fromkeys(targets)
    ]
    for start in range(0, len(edges), BATCH_SIZE):
        Dependency.objects.bulk_create(edges[start : start + BATCH_SIZE])
        report("dependencies", min(start + BATCH_SIZE, len(edges)), len(edges))


def set_component_support(
    component: Component, level_of_support: str, end_of_support: date | None, user: Any
) -> list[Component]:
    """Set the FDA support fields of a component, and of the same component in the
    version's other SBOMs (same identity, purl, version and reference: see
    `selectors.MERGE_FIELDS`); returns the changed rows."""
    if level_of_support and level_of_support not in LevelOfSupport.values:
        raise rejected(
            f"level of support {level_of_support!r} is not one of "
            f"{', '.join(LevelOfSupport.values)}",
            field="level_of_support",
        )
    now = timezone.now()
    changed = []
    with transaction.atomic():
        rows = Component.objects.select_for_update().filter(
            document__version_id=component.document.version_id,
            identity=component.identity,
            purl=component.purl,
            version=component.version,
            reference=component.reference,
        )
        for row in rows:
            before = {
                "level_of_support": row.level_of_support,
                "end_of_support": row.end_of_support,
            }
            after = {"level_of_support": level_of_support, "end_of_support": end_of_support}
            changes = changed_fields(before, after)
            if not changes:
                continue
            row.level_of_support = level_of_support
            row.end_of_support = end_of_support
            row.support_set_by = user if getattr(user, "is_authenticated", False) else None
            row.support_set_at = now
            row.save(
                update_fields=[
                    "level_of_support",
                    "end_of_support",
                    "support_set_by",
                    "support_set_at",
                ]
            )
            record(
                "sbom.component.support-set",
                row,
                changes=changes,
                details={"document": row.document_id},
            )
            changed.append(row)
    return changed


def delete_document(document: SbomDocument, user: Any = None) -> None:
    """Remove a document, its components and edges; the stored file goes after commit."""
    stored_name = document.file.name
    with transaction.atomic():
        record(
            "sbom.deleted",
            document,
            details={
                "filename": document.filename,
                "sha256": document.sha256,
                "version": document.version_id,
                "components": document.component_count,
            },
        )
        document_removing.send(SbomDocument, document=document, how="deleted")
        Dependency.objects.filter(document=document).delete()
        document.delete()
        transaction.on_commit(lambda: default_storage.delete(stored_name))
