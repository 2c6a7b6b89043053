"""The threat model pages: overview, model upload and export, diagram, threats."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from medvigil.platform.refusals import Refusal
from medvigil.riskfile import forms, selectors, services
from medvigil.riskfile.forms import refused
from medvigil.riskfile.models import Threat
from medvigil.riskfile.views.common import base_context


def overview_page(
    request: HttpRequest, version: Any, status: int = 200, **bound: Any
) -> HttpResponse:
    model = selectors.threat_model(version)
    context = base_context(
        request,
        version,
        threat_model=model,
        upload_form=forms.ModelUploadForm(),
        issues=selectors.blocking_issues(version),
        flags=selectors.review_flags(version),
        threat_count=selectors.threats(version).exclude(status="retired").count(),
        risk_count=selectors.risks(version).count(),
        control_count=selectors.controls(version).count(),
        elements=list(model.elements.all()) if model else [],
    )
    context.update(bound)
    return render(request, "riskfile/overview.html", context, status=status)


@login_required
def overview(request: HttpRequest, version_id: int) -> HttpResponse:
    return overview_page(request, selectors.version(request.user, version_id))


@login_required
@require_POST
def upload_model(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.version(request.user, version_id, "change")
    form = forms.ModelUploadForm(request.POST, request.FILES)

    def write(data: dict[str, Any]) -> None:
        content = data["file"].read(services.MAX_MODEL_BYTES + 1)
        services.import_model(version, content, request.user)

    status = refused(form, write)
    if status is not None:
        return overview_page(request, version, status, upload_form=form)
    messages.success(request, "Threat model imported; threats regenerated (decisions kept).")
    return redirect("riskfile:version", version.pk)


@login_required
def export_model(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.version(request.user, version_id)
    model = selectors.threat_model(version)
    if model is None:
        raise Http404("No threat model yet.")
    response = HttpResponse(model.document, content_type="application/yaml; charset=utf-8")
    name = f"{version.product.model_number}-{version.version}.threatmodel.yaml"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def diagram(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.version(request.user, version_id)
    model = selectors.threat_model(version)
    if model is None or not model.diagram_svg:
        raise Http404("No diagram yet.")
    response = HttpResponse(model.diagram_svg, content_type="image/svg+xml")
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


def threats_page(
    request: HttpRequest,
    version: Any,
    status: int = 200,
    typed: Any = None,
    row: Any = None,
    **bound: Any,
) -> HttpResponse:
    threats = list(selectors.threats(version))
    for threat in threats:
        # the refused row keeps what was typed; the template reads it from the threat
        threat.typed = typed if row is not None and threat.pk == row.pk else None  # type: ignore[attr-defined]
    context = base_context(
        request,
        version,
        threats=threats,
        statuses=Threat.Status.choices,
        **{"risk_form": forms.RiskForm(), **bound},
    )
    return render(request, "riskfile/threats.html", context, status=status)


@login_required
def threat_list(request: HttpRequest, version_id: int) -> HttpResponse:
    return threats_page(request, selectors.version(request.user, version_id))


@login_required
@require_POST
def regenerate(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.version(request.user, version_id, "change")
    try:
        services.regenerate_threats(version, request.user)
    except Refusal as refusal:  # a button, nothing typed to keep: say why
        messages.error(request, refusal.message)
    else:
        messages.success(request, "Threats regenerated; decisions and edits kept.")
    return redirect("riskfile:threats", version.pk)


@login_required
@require_POST
def threat_decide(request: HttpRequest, threat_id: int) -> HttpResponse:
    threat = selectors.one(request.user, Threat, threat_id, "change")
    form = forms.DecisionForm(request.POST)
    status = refused(form, lambda data: services.decide_threat(threat, data, request.user))
    if getattr(request, "htmx", False):
        threat.refresh_from_db()
        threat.typed = form if status is not None else None
        context = {"threat": threat, "statuses": Threat.Status.choices, "may_change": True}
        return render(request, "riskfile/_threat_row.html", context, status=status or 200)
    if status is not None:
        return threats_page(request, threat.version, status, typed=form, row=threat)
    messages.success(request, f"Decision on {threat.identifier} recorded.")
    return redirect("riskfile:threats", threat.version_id)
