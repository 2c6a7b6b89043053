"""The VEX API at /api/v1/vex: it only translates HTTP.

Invisible versions and documents answer 404; visible but not changeable
ones 403. A document that cannot be imported answers 422 (413 when too
large, 409 when already imported) with the reason, and nothing is stored.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import File, Router, Status
from ninja.files import UploadedFile

from medvigil.platform import permissions
from medvigil.platform.problems import Conflict, Forbidden, Problem, TooLarge
from medvigil.portfolio.models import ProductVersion
from medvigil.vex import policies, selectors, services
from medvigil.vex.models import SupplierVex
from medvigil.vex.schemas import DocumentDetailOut, DocumentOut, VexFormatName

router = Router(tags=["vex"])


def document_out(document: SupplierVex, *, detail: bool = False) -> dict[str, Any]:
    schema = DocumentDetailOut if detail else DocumentOut
    uploader = document.uploaded_by
    return {
        **{name: getattr(document, name) for name in schema.model_fields if name != "uploaded_by"},
        "uploaded_by": uploader.get_username() if uploader else None,
    }


def visible_version(request: HttpRequest, version_id: int, action: str = "view") -> ProductVersion:
    version = permissions.get_visible(
        request.user, ProductVersion.objects.select_related("product"), pk=version_id
    )
    permissions.require(request.user, action, version)
    return version


def inside_version(request: HttpRequest, version_id: int) -> ProductVersion:
    version = visible_version(request, version_id)
    if not policies.inside_versions(request.user).filter(pk=version.pk).exists():
        raise Http404("No such object, or it is not visible to you.")
    return version


@router.post(
    "/versions/{version_id}/documents",
    response={201: DocumentDetailOut},
    summary="Import a supplier VEX document; its statements become proposals",
)
def import_document(
    request: HttpRequest, version_id: int, file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    version = inside_version(request, version_id)
    if not policies.may_import(request.user, version):
        raise Forbidden("You may not import VEX documents for this version.")
    if file.size is not None and file.size > services.MAX_DOCUMENT_BYTES:
        raise TooLarge(
            f"{file.name}: {file.size} bytes is over the limit of "
            f"{services.MAX_DOCUMENT_BYTES} bytes per VEX document."
        )
    try:
        document = services.import_vex(version, file.read(), file.name or "vex.json", request.user)
    except services.VexTooLarge as error:
        raise TooLarge(str(error)) from error
    except services.DuplicateVex as error:
        raise Conflict(str(error)) from error
    except services.VexRejected as error:
        raise Problem(422, str(error)) from error
    return Status(201, document_out(document, detail=True))


@router.get(
    "/versions/{version_id}/documents",
    response=list[DocumentOut],
    summary="Supplier VEX documents imported for a version",
)
def list_documents(request: HttpRequest, version_id: int) -> list[dict[str, Any]]:
    version = inside_version(request, version_id)
    return [document_out(document) for document in selectors.documents_of(version)]


@router.get(
    "/documents/{vex_document_id}",
    response=DocumentDetailOut,
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
    version = visible_version(request, version_id, "export")
    try:
        content = selectors.export_version(version, format, timezone.now())
    except selectors.ExportImpossible as error:
        raise Conflict(str(error)) from error
    response = HttpResponse(content, content_type=selectors.EXPORT_FORMATS[format].media_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{selectors.export_filename(version, format)}"'
    )
    return response
