"""The VEX API at /api/v1/vex: it only translates HTTP.

Versions come through the one version gate (supplier documents within the
inside versions): invisible ones answer 404, visible but not changeable ones
403. A document that cannot be imported answers 422 (413 when too large, 409
when already imported) with the reason, and nothing is stored.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import File, Router, Status
from ninja.files import UploadedFile

from medvigil.platform import permissions
from medvigil.portfolio.selectors import version_for
from medvigil.vex import policies, selectors, services
from medvigil.vex.models import SupplierVex
from medvigil.vex.schemas import VexDocumentDetailOut, VexDocumentOut, VexFormatName

router = Router(tags=["vex"])


def document_out(document: SupplierVex, *, detail: bool = False) -> dict[str, Any]:
    schema = VexDocumentDetailOut if detail else VexDocumentOut
    uploader = document.uploaded_by
    return {
        **{name: getattr(document, name) for name in schema.model_fields if name != "uploaded_by"},
        "uploaded_by": uploader.get_username() if uploader else None,
    }


@router.post(
    "/versions/{version_id}/documents",
    response={201: VexDocumentDetailOut},
    summary="Import a supplier VEX document; its statements become proposals",
)
def import_document(
    request: HttpRequest, version_id: int, file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    inside = policies.inside_versions(request.user)
    version = version_for(request.user, version_id, "change", within=inside)
    if file.size is not None and file.size > services.MAX_DOCUMENT_BYTES:
        raise services.too_large(file.name or "vex.json", file.size)
    document = services.import_vex(version, file.read(), file.name or "vex.json", request.user)
    return Status(201, document_out(document, detail=True))


@router.get(
    "/versions/{version_id}/documents",
    response=list[VexDocumentOut],
    summary="Supplier VEX documents imported for a version",
)
def list_documents(request: HttpRequest, version_id: int) -> list[dict[str, Any]]:
    version = version_for(request.user, version_id, within=policies.inside_versions(request.user))
    return [document_out(document) for document in selectors.documents_of(version)]


@router.get(
    "/documents/{vex_document_id}",
    response=VexDocumentDetailOut,
    summary="A supplier VEX document with what each statement became",
)
def document_detail(request: HttpRequest, vex_document_id: int) -> dict[str, Any]:
    document = permissions.get_visible(
        request.user, SupplierVex.objects.select_related("uploaded_by"), pk=vex_document_id
    )
    return document_out(document, detail=True)


@router.get(
    "/versions/{version_id}/export",
    summary="The version's VEX: CycloneDX 1.6, OpenVEX 0.2.0 or CSAF 2.0 (csaf_vex)",
    response={200: str},
    openapi_extra={
        "responses": {
            200: {
                "content": {
                    media_type: {"schema": {"type": "object"}}
                    for media_type in {
                        item.media_type for item in selectors.EXPORT_FORMATS.values()
                    }
                }
            }
        }
    },
)
def export(
    request: HttpRequest, version_id: int, format: VexFormatName = "cyclonedx"
) -> HttpResponse:
    version = version_for(request.user, version_id, "export")
    content = selectors.export_version(version, format, timezone.now())
    response = HttpResponse(content, content_type=selectors.EXPORT_FORMATS[format].media_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{selectors.export_filename(version, format)}"'
    )
    return response
