"""Reads of issued reports, always through the viewer's permissions."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from medvigil.audit.signatures import SignatureView, signature_status
from medvigil.platform import permissions
from medvigil.portfolio.models import ProductVersion
from medvigil.portfolio.selectors import version_for
from medvigil.reports import render
from medvigil.reports.kinds import FORMATS
from medvigil.reports.models import IssuedReport
from medvigil.reports.policies import readable_versions


def version(user: Any, version_id: int, action: str = "view") -> ProductVersion:
    """The version gate, narrowed to the versions whose reports this user may read."""
    return version_for(user, version_id, action, within=readable_versions(user))


def issued(user: Any, report_id: int, action: str = "view") -> IssuedReport:
    found = permissions.get_visible(
        user, IssuedReport.objects.select_related("version__product", "created_by"), pk=report_id
    )
    permissions.require(user, action, found)
    return found


def issued_for(version: ProductVersion) -> QuerySet[IssuedReport]:
    return IssuedReport.objects.filter(version=version).select_related("created_by")


def rendered(report: IssuedReport, output: str) -> tuple[bytes, str, str]:
    """The issued report in `output` format: content, media type, file name."""
    media_type, extension = FORMATS[output]
    document = report.document()
    signatures: list[SignatureView] = signature_status(report)
    if output == "pdf":
        content = render.to_pdf(document, signatures)
    elif output == "docx":
        content = render.to_docx(document, signatures)
    elif output == "xlsx":
        content = render.to_xlsx(document)
    else:
        content = render.to_html(document, signatures).encode("utf-8")
    safe_name = "".join(
        char if char.isalnum() or char in "-_." else "-" for char in report.identifier
    )
    return content, media_type, f"{safe_name}.{extension}"
