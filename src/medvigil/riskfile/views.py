"""Risk file pages (htmx): overview and diagram, threats, risks with the matrix, controls, safety.

Views only translate HTTP: reads through selectors, writes through services.
A refused write renders the same page again with the bound form: what was
typed stays, and each error shows beside its field (never a 500). A form shown
on each row of a list (a review, a verification) is kept on its own row.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from medvigil.core import risk as risk_engine
from medvigil.core.threats import CONTROL_CATEGORY_LABELS
from medvigil.platform import permissions
from medvigil.platform.refusals import Refusal
from medvigil.riskfile import controls as control_services
from medvigil.riskfile import forms, safety, selectors, services
from medvigil.riskfile.forms import refused, row_forms
from medvigil.riskfile.models import Control, SafetyRiskEntry, SecurityRisk, Threat
from medvigil.riskfile.validation import refused_input


def base_context(request: HttpRequest, version: Any, **extra: Any) -> dict[str, Any]:
    return {"version": version, "product": version.product,
            "may_change": permissions.can(request.user, "change", version), **extra}  # fmt: skip


def listed(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def overview_page(
    request: HttpRequest, version: Any, status: int = 200, **bound: Any
) -> HttpResponse:
    model = selectors.threat_model(version)
    context = base_context(
        request, version, threat_model=model, upload_form=forms.ModelUploadForm(),
        issues=selectors.blocking_issues(version), flags=selectors.review_flags(version),
        threat_count=selectors.threats(version).exclude(status="retired").count(),
        risk_count=selectors.risks(version).count(),
        control_count=selectors.controls(version).count(),
        elements=list(model.elements.all()) if model else [],
    )  # fmt: skip
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
        threat.typed = typed if row is not None and threat.pk == row.pk else None
    context = base_context(request, version, threats=threats, statuses=Threat.Status.choices,
                           **{"risk_form": forms.RiskForm(), **bound})  # fmt: skip
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
    if request.htmx:
        threat.refresh_from_db()
        threat.typed = form if status is not None else None
        context = {"threat": threat, "statuses": Threat.Status.choices, "may_change": True}
        return render(request, "riskfile/_threat_row.html", context, status=status or 200)
    if status is not None:
        return threats_page(request, threat.version, status, typed=form, row=threat)
    messages.success(request, f"Decision on {threat.identifier} recorded.")
    return redirect("riskfile:threats", threat.version_id)


def risks_page(
    request: HttpRequest,
    version: Any,
    status: int = 200,
    typed: Any = None,
    row: Any = None,
    **bound: Any,
) -> HttpResponse:
    risks = list(selectors.risks(version))
    row_forms(risks, "benefit_form", forms.BenefitRiskForm, typed, row)
    context = base_context(
        request, version, risks=risks,
        before=selectors.matrix_rows(version), after=selectors.matrix_rows(version, residual=True),
        severities=risk_engine.SEVERITY, regions=risk_engine.REGION_LABELS,
        **{"risk_form": forms.RiskForm(), **bound},
    )  # fmt: skip
    return render(request, "riskfile/risks.html", context, status=status)


@login_required
def risk_list(request: HttpRequest, version_id: int) -> HttpResponse:
    return risks_page(request, selectors.version(request.user, version_id))


def risk_values(data: dict[str, Any]) -> dict[str, Any]:
    values = dict(data)
    values.pop("threat", None)
    return values


@login_required
@require_POST
def risk_create(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.version(request.user, version_id, "change")
    form = forms.RiskForm(request.POST)

    def write(data: dict[str, Any]) -> None:
        threat = None
        if data.get("threat"):
            threat = selectors.threats(version).filter(pk=data["threat"]).first()
        services.create_risk(version, risk_values(data), threat=threat, user=request.user)

    status = refused(form, write)
    if status is not None:
        return risks_page(request, version, status, risk_form=form)
    messages.success(request, "Risk assessed.")
    return redirect("riskfile:risks", version.pk)


@login_required
@require_POST
def risk_update(request: HttpRequest, risk_id: int) -> HttpResponse:
    risk = selectors.one(request.user, SecurityRisk, risk_id, "change")
    form = forms.RiskForm(request.POST)
    status = refused(form, lambda data: services.update_risk(risk, risk_values(data), request.user))
    if status is not None:
        return risks_page(request, risk.version, status, risk_form=form)
    messages.success(request, f"{risk.identifier} updated.")
    return redirect("riskfile:risks", risk.version_id)


@login_required
@require_POST
def benefit_risk(request: HttpRequest, risk_id: int) -> HttpResponse:
    risk = selectors.one(request.user, SecurityRisk, risk_id, "change")
    form = forms.BenefitRiskForm(request.POST, auto_id=f"benefit_form{risk.pk}_%s")

    def write(data: dict[str, Any]) -> None:
        control_services.record_benefit_risk(
            risk, benefits=data["benefits"], conclusion=data["conclusion"], user=request.user,
            password=data["password"], otp_code=data["otp_code"] or None,
        )  # fmt: skip

    status = refused(form, write)
    if status is not None:
        return risks_page(request, risk.version, status, typed=form, row=risk)
    messages.success(request, f"Benefit-risk analysis of {risk.identifier} signed.")
    return redirect("riskfile:risks", risk.version_id)


def safety_page(
    request: HttpRequest,
    version: Any,
    status: int = 200,
    typed: Any = None,
    row: Any = None,
    **bound: Any,
) -> HttpResponse:
    entries = list(selectors.safety_entries(version))
    risks = list(selectors.risks(version))
    row_forms(entries, "review_form", forms.ReviewForm, typed, row)
    row_forms(risks, "review_form", forms.ReviewForm, typed, row)
    row_forms(risks, "link_form", forms.LinkForm, typed, row)
    context = base_context(request, version, entries=entries, risks=risks,
                           **{"import_form": forms.SafetyImportForm(), **bound})  # fmt: skip
    return render(request, "riskfile/safety.html", context, status=status)


@login_required
@require_POST
def safety_link(request: HttpRequest, risk_id: int) -> HttpResponse:
    risk = selectors.one(request.user, SecurityRisk, risk_id, "change")
    form = forms.LinkForm(request.POST, auto_id=f"link_form{risk.pk}_%s")

    def write(data: dict[str, Any]) -> None:
        wanted = listed(data["entries"])
        entries = list(selectors.safety_entries(risk.version).filter(identifier__in=wanted))
        missing = sorted(set(wanted) - {entry.identifier for entry in entries})
        if missing:
            message = f"No safety entry {', '.join(missing)} in this version."
            raise refused_input(message, "entries")
        safety.set_links(risk, entries, request.user)

    status = refused(form, write)
    if status is not None:
        return safety_page(request, risk.version, status, typed=form, row=risk)
    messages.success(request, f"Safety links of {risk.identifier} saved.")
    return redirect("riskfile:safety", risk.version_id)


def reviewed(request: HttpRequest, target: Any) -> int | None:
    form = forms.ReviewForm(request.POST, auto_id=f"review_form{target.pk}_%s")
    status = refused(form, lambda data: safety.mark_reviewed(target, data["note"], request.user))
    if status is None:
        messages.success(request, f"Review of {target.identifier} recorded.")
    else:
        target.typed_review = form
    return status


@login_required
@require_POST
def risk_reviewed(request: HttpRequest, risk_id: int) -> HttpResponse:
    risk = selectors.one(request.user, SecurityRisk, risk_id, "change")
    status = reviewed(request, risk)
    if status is not None:
        return safety_page(request, risk.version, status, typed=risk.typed_review, row=risk)
    return redirect("riskfile:safety", risk.version_id)


@login_required
@require_POST
def entry_reviewed(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = selectors.one(request.user, SafetyRiskEntry, entry_id, "change")
    status = reviewed(request, entry)
    if status is not None:
        return safety_page(request, entry.version, status, typed=entry.typed_review, row=entry)
    return redirect("riskfile:safety", entry.version_id)


def controls_page(
    request: HttpRequest,
    version: Any,
    status: int = 200,
    typed: Any = None,
    row: Any = None,
    **bound: Any,
) -> HttpResponse:
    controls = list(selectors.controls(version))
    row_forms(controls, "verification_form", forms.VerificationForm, typed, row)
    row_forms(controls, "review_form", forms.ImpactReviewForm, typed, row)
    context = base_context(request, version, controls=controls, labels=CONTROL_CATEGORY_LABELS,
                           **{"control_form": forms.ControlForm(), **bound})  # fmt: skip
    return render(request, "riskfile/controls.html", context, status=status)


@login_required
def control_list(request: HttpRequest, version_id: int) -> HttpResponse:
    return controls_page(request, selectors.version(request.user, version_id))


@login_required
@require_POST
def control_create(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.version(request.user, version_id, "change")
    form = forms.ControlForm(request.POST)

    def write(data: dict[str, Any]) -> None:
        risks = list(selectors.risks(version).filter(identifier__in=listed(data["risks"])))
        values = {**data, "elements": listed(data["elements"])}
        control_services.create_control(version, values, risks=risks, user=request.user)

    status = refused(form, write)
    if status is not None:
        return controls_page(request, version, status, control_form=form)
    messages.success(request, "Control added.")
    return redirect("riskfile:controls", version.pk)


@login_required
@require_POST
def verification_add(request: HttpRequest, control_id: int) -> HttpResponse:
    control = selectors.one(request.user, Control, control_id, "change")
    form = forms.VerificationForm(
        request.POST, request.FILES, auto_id=f"verification_form{control.pk}_%s"
    )

    def write(data: dict[str, Any]) -> None:
        evidence = data.get("evidence")
        control_services.add_verification(
            control, test_reference=data["test_reference"], result=data["result"],
            performed_on=data["performed_on"], evidence=evidence.read() if evidence else None,
            evidence_name=evidence.name if evidence else "", user=request.user,
        )  # fmt: skip

    status = refused(form, write)
    if status is not None:
        return controls_page(request, control.version, status, typed=form, row=control)
    messages.success(request, f"Verification of {control.identifier} recorded.")
    return redirect("riskfile:controls", control.version_id)


@login_required
@require_POST
def impact_review(request: HttpRequest, control_id: int) -> HttpResponse:
    control = selectors.one(request.user, Control, control_id, "change")
    form = forms.ImpactReviewForm(request.POST, auto_id=f"review_form{control.pk}_%s")
    status = refused(
        form, lambda data: control_services.review_impact(control, user=request.user, **data)
    )
    if status is not None:
        return controls_page(request, control.version, status, typed=form, row=control)
    messages.success(request, f"Impact review of {control.identifier} recorded.")
    return redirect("riskfile:controls", control.version_id)


@login_required
def safety_list(request: HttpRequest, version_id: int) -> HttpResponse:
    return safety_page(request, selectors.version(request.user, version_id))


@login_required
@require_POST
def safety_import(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.version(request.user, version_id, "change")
    form = forms.SafetyImportForm(request.POST, request.FILES)
    status = refused(
        form, lambda data: safety.import_safety_entries(version, data["file"].read(), request.user)
    )
    if status is not None:
        return safety_page(request, version, status, import_form=form)
    messages.success(request, "Safety risk file entries imported.")
    return redirect(reverse("riskfile:safety", args=[version.pk]))
