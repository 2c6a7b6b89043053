"""The SBOM API at /api/v1/sbom: it only translates HTTP.

Invisible versions, documents and components answer 404 (never confirming
they exist); visible but not changeable ones answer 403. A document that
cannot be imported answers 422 (413 when too large, 409 when already
attached) with the reason, and nothing is stored.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from medvigil.core import sbom as engine
from medvigil.platform import permissions
from medvigil.platform.pagination import Page, PageQuery, paginate
from medvigil.platform.refusals import Kind
from medvigil.portfolio.selectors import version_for
from medvigil.sbom import search, selectors, services
from medvigil.sbom.models import Component, DocumentRole, SbomDocument
from medvigil.sbom.schemas import (
    ComponentOut,
    ComponentQuery,
    ComponentSearchOut,
    DiffOut,
    DocumentDetailOut,
    DocumentOut,
    ExportFormat,
    QualityOut,
    SearchQuery,
    SupportIn,
)

router = Router(tags=["sbom"])


def document_out(document: SbomDocument) -> dict[str, Any]:
    uploader = document.uploaded_by
    return {
        **{
            field: getattr(document, field)
            for field in DocumentOut.model_fields
            if field != "uploaded_by"
        },
        "uploaded_by": uploader.get_username() if uploader else None,
    }


def quality_out(report: engine.QualityReport) -> dict[str, Any]:
    return {
        "components": report.components,
        "has_author": report.has_author,
        "has_timestamp": report.has_timestamp,
        "meets_ntia_minimum": report.meets_ntia_minimum,
        "meets_fda_extras": report.meets_fda_extras,
        "elements": [
            {
                "element": coverage.element,
                "present": coverage.present,
                "total": coverage.total,
                "percentage": coverage.percentage,
                "missing": list(coverage.missing),
            }
            for coverage in report.elements
        ],
    }


def component_out(component: Component, sources: list[SbomDocument]) -> dict[str, Any]:
    setter = component.support_set_by
    return {
        **{
            field: getattr(component, field)
            for field in ComponentOut.model_fields
            if field not in ("support_set_by", "found_in")
        },
        "support_set_by": setter.get_username() if setter else None,
        "found_in": [
            {"document_id": source.pk, "role": source.role, "filename": source.filename}
            for source in sources
        ],
    }


def brief(component: engine.Component) -> dict[str, Any]:
    return {"name": component.name, "version": component.version, "purl": component.purl}


@router.post(
    "/versions/{version_id}/documents",
    response={201: DocumentOut},
    summary="Upload an SBOM (CycloneDX or SPDX) to a version",
)
def upload(
    request: HttpRequest,
    version_id: int,
    file: File[UploadedFile],
    role: Form[str] = DocumentRole.FIRMWARE.value,
) -> Status[dict[str, Any]]:
    version = version_for(request.user, version_id, "change")
    limit = services.max_document_bytes()
    if file.size is not None and file.size > limit:
        raise services.rejected(
            f"{file.name}: {file.size} bytes is over the limit of {limit} bytes per SBOM.",
            Kind.TOO_LARGE,
        )
    document = services.import_sbom(version, file.read(), file.name or "upload", role, request.user)
    return Status(201, document_out(document))


@router.get(
    "/versions/{version_id}/documents",
    response=Page[DocumentOut],
    summary="SBOMs of a version, newest first",
)
def list_documents(request: HttpRequest, version_id: int, page: Query[PageQuery]) -> dict[str, Any]:
    version = version_for(request.user, version_id)
    return paginate(
        selectors.documents_of(version), page, ordering=("-id",), serialize=document_out
    )


def visible_document(request: HttpRequest, document_id: int) -> SbomDocument:
    return permissions.get_visible(
        request.user, SbomDocument.objects.select_related("uploaded_by", "version"), pk=document_id
    )


@router.get(
    "/documents/{document_id}",
    response=DocumentDetailOut,
    summary="One SBOM with its quality report",
)
def document_detail(request: HttpRequest, document_id: int) -> dict[str, Any]:
    document = visible_document(request, document_id)
    return {**document_out(document), "quality": quality_out(selectors.document_quality(document))}


@router.get("/documents/{document_id}/original", summary="The SBOM exactly as uploaded")
def document_original(request: HttpRequest, document_id: int) -> HttpResponse:
    document = visible_document(request, document_id)
    with document.file.open("rb") as handle:
        content = handle.read()
    response = HttpResponse(content, content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    return response


@router.delete("/documents/{document_id}", response={204: None}, summary="Remove an SBOM")
def delete_document(request: HttpRequest, document_id: int) -> Status[None]:
    document = visible_document(request, document_id)
    permissions.require(request.user, "change", document)
    services.delete_document(document, request.user)
    return Status(204, None)


@router.get(
    "/versions/{version_id}/components",
    response=Page[ComponentOut],
    summary="Components of a version, merged across its SBOMs, with where each was found",
)
def list_components(
    request: HttpRequest,
    version_id: int,
    filters: Query[ComponentQuery],
    page: Query[PageQuery],
) -> dict[str, Any]:
    version = version_for(request.user, version_id)
    component_filter = selectors.ComponentFilter(**filters.dict())
    result = paginate(
        selectors.merged_components(version, component_filter), page, ordering=("name", "id")
    )
    sources = selectors.provenance(version, result["items"])
    result["items"] = [component_out(item, sources[item.pk]) for item in result["items"]]
    return result


@router.get(
    "/components/search",
    response=ComponentSearchOut,
    summary="Which product versions contain a component (a name, purl or CPE, with versions)",
)
def search_components(
    request: HttpRequest, query: Query[SearchQuery], page: Query[PageQuery]
) -> dict[str, Any]:
    return search.result_shape(
        search.search(request.user, query.q, cursor=page.cursor, limit=page.limit)
    )


@router.patch(
    "/components/{component_id}/support",
    response=ComponentOut,
    summary="Set a component's level of support and end-of-support date",
)
def set_support(request: HttpRequest, component_id: int, body: SupportIn) -> dict[str, Any]:
    component = permissions.get_visible(
        request.user, Component.objects.select_related("document__version"), pk=component_id
    )
    permissions.require(request.user, "change", component)
    services.set_component_support(
        component, body.level_of_support, body.end_of_support, request.user
    )
    component.refresh_from_db()
    version = component.document.version
    return component_out(component, selectors.provenance(version, [component])[component.pk])


@router.get(
    "/versions/{version_id}/quality", response=QualityOut, summary="Quality of a version's SBOMs"
)
def version_quality(request: HttpRequest, version_id: int) -> dict[str, Any]:
    return quality_out(selectors.version_quality(version_for(request.user, version_id)))


@router.get(
    "/diff", response=DiffOut, summary="Components added, removed, changed between versions"
)
def diff(request: HttpRequest, before: int, after: int) -> dict[str, Any]:
    old, new = version_for(request.user, before), version_for(request.user, after)
    result = selectors.diff_versions(old, new)
    return {
        "before_version_id": old.pk,
        "after_version_id": new.pk,
        "added": [brief(item) for item in result.added],
        "removed": [brief(item) for item in result.removed],
        "changed": [
            {
                "identity": change.identity,
                "before": brief(change.before),
                "after": brief(change.after),
                "changed_fields": list(change.changed_fields),
            }
            for change in result.changed
        ],
        "unchanged": result.unchanged,
    }


@router.get(
    "/versions/{version_id}/export",
    summary="The version's SBOM: CycloneDX 1.6 JSON/XML or SPDX 2.3 JSON",
    response={200: str},
    openapi_extra={
        "responses": {
            200: {
                "content": {
                    # The JSON formats are documents (objects); XML is text.
                    content_type: {
                        "schema": {"type": "object" if content_type.endswith("json") else "string"}
                    }
                    for content_type, _ in selectors.EXPORT_FORMATS.values()
                }
            }
        }
    },
)
def export(
    request: HttpRequest, version_id: int, format: ExportFormat = "cyclonedx-json"
) -> HttpResponse:
    version = version_for(request.user, version_id, "export")
    content = selectors.export_version(version, format, timezone.now())
    response = HttpResponse(content, content_type=selectors.EXPORT_FORMATS[format][0])
    response["Content-Disposition"] = (
        f'attachment; filename="{selectors.export_filename(version, format)}"'
    )
    return response
