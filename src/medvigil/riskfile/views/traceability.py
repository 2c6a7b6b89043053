"""Risk file pages for vulnerabilities and traceability: links, re-evaluation, matrix, exports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from medvigil.core.risk import GAP_LABELS
from medvigil.reports.document import Report
from medvigil.reports.kinds import FORMATS
from medvigil.reports.render import to_pdf, to_xlsx
from medvigil.riskfile import forms, selectors, vulnerabilities
from medvigil.riskfile.forms import refused, row_forms
from medvigil.riskfile.models import SecurityRisk, VulnerabilityLink
from medvigil.riskfile.reports import build_traceability
from medvigil.riskfile.traceability import traceability
from medvigil.riskfile.validation import refused_input
from medvigil.riskfile.views.common import base_context

EXPORTS: dict[str, Callable[[Report], bytes]] = {"xlsx": to_xlsx, "pdf": to_pdf}


def vulnerabilities_page(
    request: HttpRequest,
    version: Any,
    status: int = 200,
    typed: Any = None,
    row: Any = None,
    **bound: Any,
) -> HttpResponse:
    risks = list(selectors.risks(version))
    flagged = [risk for risk in risks if risk.reevaluation_needed]
    row_forms(flagged, "review_form", forms.ReviewForm, typed, row)
    context = base_context(
        request,
        version,
        links=list(selectors.vulnerability_links(version)),
        flagged=flagged,
        thresholds=vulnerabilities.thresholds(),
        **{"link_form": forms.VulnerabilityLinkForm(), **bound},
    )
    return render(request, "riskfile/vulnerabilities.html", context, status=status)


@login_required
def vulnerability_list(request: HttpRequest, version_id: int) -> HttpResponse:
    return vulnerabilities_page(request, selectors.version(request.user, version_id))


@login_required
@require_POST
def vulnerability_link(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.version(request.user, version_id, "change")
    form = forms.VulnerabilityLinkForm(request.POST)
    linked: list[str] = []

    def write(data: dict[str, Any]) -> None:
        target = data["target"].strip()
        threat = selectors.threats(version).filter(identifier=target).first()
        risk = selectors.risks(version).filter(identifier=target).first()
        if threat is None and risk is None:
            message = f"No threat or risk {target!r} in this version."
            raise refused_input(message, "target")
        targets = selectors.link_targets(
            version,
            data["vulnerability"],
            data["finding"],
            threat.pk if threat else None,
            risk.pk if risk else None,
        )
        vulnerabilities.link_vulnerability(
            version, rationale=data["rationale"], user=request.user, **targets
        )
        linked.append(f"{targets['vulnerability'].canonical_id} linked to {target}.")

    status = refused(form, write)
    if status is not None:
        return vulnerabilities_page(request, version, status, link_form=form)
    messages.success(request, linked[0])
    return redirect("riskfile:vulnerabilities", version.pk)


@login_required
@require_POST
def vulnerability_unlink(request: HttpRequest, link_id: int) -> HttpResponse:
    link = selectors.one(request.user, VulnerabilityLink, link_id, "change")
    name, version_id = link.vulnerability.canonical_id, link.version_id
    vulnerabilities.unlink(link, request.user)
    messages.success(request, f"Link of {name} removed.")
    return redirect("riskfile:vulnerabilities", version_id)


@login_required
@require_POST
def risk_reevaluated(request: HttpRequest, risk_id: int) -> HttpResponse:
    risk = selectors.one(request.user, SecurityRisk, risk_id, "change")
    form = forms.ReviewForm(request.POST, auto_id=f"review_form{risk.pk}_%s")
    status = refused(
        form, lambda data: vulnerabilities.mark_reevaluated(risk, data["note"], request.user)
    )
    if status is not None:
        return vulnerabilities_page(request, risk.version, status, typed=form, row=risk)
    messages.success(request, f"Re-evaluation of {risk.identifier} recorded.")
    return redirect("riskfile:vulnerabilities", risk.version_id)


@login_required
def traceability_page(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.version(request.user, version_id)
    result = traceability(version)
    rows = [(row, [GAP_LABELS[gap] for gap in row.gaps]) for row in result.rows]
    counts = [(GAP_LABELS[gap], count) for gap, count in result.gap_counts.items()]
    context = base_context(request, version, rows=rows, counts=counts, gap_rows=len(result.flagged))
    return render(request, "riskfile/traceability.html", context)


@login_required
def traceability_export(request: HttpRequest, version_id: int) -> HttpResponse:
    """The matrix as XLSX (default) or PDF: `?format=xlsx|pdf`."""
    version = selectors.version(request.user, version_id)
    format_name = request.GET.get("format", "xlsx")
    if format_name not in EXPORTS:
        raise Http404("Export as xlsx or pdf.")
    content = EXPORTS[format_name](build_traceability(version))
    content_type, extension = FORMATS[format_name]
    response = HttpResponse(content, content_type=content_type)
    name = f"{version.product.model_number}-{version.version}-traceability.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
