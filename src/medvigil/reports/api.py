"""The reports API at /api/v1/reports: list, issue and download issued reports.

Signing stays on the page, where the signer re-enters the password.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status

from medvigil.platform.pagination import Page, PageQuery, paginate
from medvigil.platform.refusals import Kind, Refusal
from medvigil.reports import kinds, selectors, services
from medvigil.reports.kinds import FORMATS
from medvigil.reports.models import IssuedReport

router = Router(tags=["reports"])


class KindOut(Schema):
    slug: str
    label: str


class IssuedReportOut(Schema):
    id: int
    kind: str
    version_id: int
    number: int
    identifier: str
    title: str
    sha256: str
    created_by: str
    created_at: datetime
    formats: list[str]


def issued_out(report: IssuedReport) -> dict[str, Any]:
    return {
        "id": report.pk,
        "kind": report.kind,
        "version_id": report.version_id,
        "number": report.number,
        "identifier": report.identifier,
        "title": report.title,
        "sha256": report.sha256,
        "created_by": report.created_by.get_username(),
        "created_at": report.created_at,
        "formats": list(FORMATS),
    }


@router.get("/kinds", response=list[KindOut], summary="Kinds of report offered per version")
def list_kinds(request: HttpRequest) -> list[dict[str, str]]:
    return [{"slug": kind.slug, "label": kind.label} for kind in kinds.all_kinds()]


@router.get(
    "/versions/{version_id}", response=Page[IssuedReportOut], summary="Reports issued for a version"
)
def version_reports(
    request: HttpRequest, version_id: int, page: Query[PageQuery]
) -> dict[str, Any]:
    version = selectors.version(request.user, version_id)
    return paginate(selectors.issued_for(version), page, serialize=issued_out)


@router.post(
    "/versions/{version_id}/{kind}",
    response={201: IssuedReportOut},
    summary="Issue a report of this kind from the live data",
)
def issue(request: HttpRequest, version_id: int, kind: str) -> Status:
    version = selectors.version(request.user, version_id, "change")
    if kind not in kinds.KINDS:
        raise Refusal(f"No kind of report {kind!r}.", Kind.MISSING)
    return Status(201, issued_out(services.issue(request.user, kind, version)))


@router.get("/{report_id}", response=IssuedReportOut, summary="An issued report")
def detail(request: HttpRequest, report_id: int) -> dict[str, Any]:
    return issued_out(selectors.issued(request.user, report_id))


@router.get("/{report_id}/download/{output}", summary="An issued report as pdf, docx, xlsx or html")
def download(request: HttpRequest, report_id: int, output: str) -> HttpResponse:
    report = selectors.issued(request.user, report_id, "export")
    if output not in FORMATS:
        raise Refusal(f"No format {output!r}; use one of {', '.join(FORMATS)}.", Kind.MISSING)
    content, media_type, name = selectors.rendered(report, output)
    response = HttpResponse(content, content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
