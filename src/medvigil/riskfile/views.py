"""Risk file pages (htmx): overview and diagram, threats, risks with the matrix, controls, safety.

Views only translate HTTP: reads through selectors, writes through services.
A refused write comes back as a message listing each problem, never a 500.
"""

from __future__ import annotations

from collections.abc import Callable
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
from medvigil.riskfile.models import Control, SafetyRiskEntry, SecurityRisk, Threat

Write = Callable[[], Any]


def attempt(request: HttpRequest, write: Write, done: str) -> bool:
    """Run a service call; on refusal show each problem as an error message."""
    try:
        write()
    except Refusal as refusal:
        for problem in refusal.messages:
            messages.error(request, problem)
        return False
    messages.success(request, done)
    return True


def invalid(request: HttpRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        for error in errors:
            messages.error(request, f"{field}: {error}")


def base_context(request: HttpRequest, version: Any, **extra: Any) -> dict[str, Any]:
    return {"version": version, "product": version.product,
            "may_change": permissions.can(request.user, "change", version), **extra}  # fmt: skip


def listed(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


@login_required
def overview(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.version(request.user, version_id)
    model = selectors.threat_model(version)
    context = base_context(
        request, version, threat_model=model, upload_form=forms.ModelUploadForm(),
        issues=selectors.blocking_issues(version), flags=selectors.review_flags(version),
        threat_count=selectors.threats(version).exclude(status="retired").count(),
        risk_count=selectors.risks(version).count(),
        control_count=selectors.controls(version).count(),
        elements=list(model.elements.all()) if model else [],
    )  # fmt: skip
    return render(request, "riskfile/overview.html", context)


@login_required
@require_POST
def upload_model(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.version(request.user, version_id, "change")
    form = forms.ModelUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        invalid(request, form)
    else:
        content = form.cleaned_data["file"].read(services.MAX_MODEL_BYTES + 1)
        attempt(request, lambda: services.import_model(version, content, request.user),
                "Threat model imported; threats regenerated (decisions kept).")  # fmt: skip
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


@login_required
def threat_list(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.version(request.user, version_id)
    threats = list(selectors.threats(version))
    context = base_context(request, version, threats=threats, statuses=Threat.Status.choices,
                           risk_form=forms.RiskForm())  # fmt: skip
    return render(request, "riskfile/threats.html", context)


@login_required
@require_POST
def regenerate(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.version(request.user, version_id, "change")
    attempt(request, lambda: services.regenerate_threats(version, request.user),
            "Threats regenerated; decisions and edits kept.")  # fmt: skip
    return redirect("riskfile:threats", version.pk)


@login_required
@require_POST
def threat_decide(request: HttpRequest, threat_id: int) -> HttpResponse:
    threat = selectors.one(request.user, Threat, threat_id, "change")
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        invalid(request, form)
    else:
        attempt(request, lambda: services.decide_threat(threat, form.cleaned_data, request.user),
                f"Decision on {threat.identifier} recorded.")  # fmt: skip
    if request.htmx:
        threat.refresh_from_db()
        context = {"threat": threat, "statuses": Threat.Status.choices, "may_change": True}
        return render(request, "riskfile/_threat_row.html", context)
    return redirect("riskfile:threats", threat.version_id)


@login_required
def risk_list(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.version(request.user, version_id)
    context = base_context(
        request, version, risks=list(selectors.risks(version)),
        before=selectors.matrix_rows(version), after=selectors.matrix_rows(version, residual=True),
        severities=risk_engine.SEVERITY, regions=risk_engine.REGION_LABELS,
        risk_form=forms.RiskForm(), benefit_form=forms.BenefitRiskForm(),
    )  # fmt: skip
    return render(request, "riskfile/risks.html", context)


def risk_values(form: forms.RiskForm) -> dict[str, Any]:
    values = dict(form.cleaned_data)
    values.pop("threat", None)
    return values


@login_required
@require_POST
def risk_create(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.version(request.user, version_id, "change")
    form = forms.RiskForm(request.POST)
    if not form.is_valid():
        invalid(request, form)
        return redirect("riskfile:risks", version.pk)
    threat = None
    if form.cleaned_data.get("threat"):
        threat = selectors.threats(version).filter(pk=form.cleaned_data["threat"]).first()
    attempt(request, lambda: services.create_risk(version, risk_values(form), threat=threat,
                                                  user=request.user), "Risk assessed.")  # fmt: skip
    return redirect("riskfile:risks", version.pk)


@login_required
@require_POST
def risk_update(request: HttpRequest, risk_id: int) -> HttpResponse:
    risk = selectors.one(request.user, SecurityRisk, risk_id, "change")
    form = forms.RiskForm(request.POST)
    if not form.is_valid():
        invalid(request, form)
    else:
        attempt(request, lambda: services.update_risk(risk, risk_values(form), request.user),
                f"{risk.identifier} updated.")  # fmt: skip
    return redirect("riskfile:risks", risk.version_id)


@login_required
@require_POST
def benefit_risk(request: HttpRequest, risk_id: int) -> HttpResponse:
    risk = selectors.one(request.user, SecurityRisk, risk_id, "change")
    form = forms.BenefitRiskForm(request.POST)
    if not form.is_valid():
        invalid(request, form)
    else:
        data = form.cleaned_data
        attempt(request, lambda: control_services.record_benefit_risk(
            risk, benefits=data["benefits"], conclusion=data["conclusion"], user=request.user,
            password=data["password"], otp_code=data["otp_code"] or None),
            f"Benefit-risk analysis of {risk.identifier} signed.")  # fmt: skip
    return redirect("riskfile:risks", risk.version_id)


@login_required
@require_POST
def safety_link(request: HttpRequest, risk_id: int) -> HttpResponse:
    risk = selectors.one(request.user, SecurityRisk, risk_id, "change")
    form = forms.LinkForm(request.POST)
    if form.is_valid():
        wanted = listed(form.cleaned_data["entries"])
        entries = list(selectors.safety_entries(risk.version).filter(identifier__in=wanted))
        missing = sorted(set(wanted) - {entry.identifier for entry in entries})
        if missing:
            messages.error(request, f"No safety entry {', '.join(missing)} in this version.")
        else:
            attempt(request, lambda: safety.set_links(risk, entries, request.user),
                    f"Safety links of {risk.identifier} saved.")  # fmt: skip
    return redirect("riskfile:safety", risk.version_id)


def reviewed(request: HttpRequest, target: Any) -> None:
    form = forms.ReviewForm(request.POST)
    if not form.is_valid():
        invalid(request, form)
        return
    attempt(request, lambda: safety.mark_reviewed(target, form.cleaned_data["note"], request.user),
            f"Review of {target.identifier} recorded.")  # fmt: skip


@login_required
@require_POST
def risk_reviewed(request: HttpRequest, risk_id: int) -> HttpResponse:
    risk = selectors.one(request.user, SecurityRisk, risk_id, "change")
    reviewed(request, risk)
    return redirect("riskfile:safety", risk.version_id)


@login_required
@require_POST
def entry_reviewed(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = selectors.one(request.user, SafetyRiskEntry, entry_id, "change")
    reviewed(request, entry)
    return redirect("riskfile:safety", entry.version_id)


@login_required
def control_list(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.version(request.user, version_id)
    context = base_context(
        request, version, controls=list(selectors.controls(version)),
        labels=CONTROL_CATEGORY_LABELS, control_form=forms.ControlForm(),
        verification_form=forms.VerificationForm(), review_form=forms.ImpactReviewForm(),
    )  # fmt: skip
    return render(request, "riskfile/controls.html", context)


@login_required
@require_POST
def control_create(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.version(request.user, version_id, "change")
    form = forms.ControlForm(request.POST)
    if not form.is_valid():
        invalid(request, form)
        return redirect("riskfile:controls", version.pk)
    data = form.cleaned_data
    risks = list(selectors.risks(version).filter(identifier__in=listed(data["risks"])))
    values = {**data, "elements": listed(data["elements"])}
    attempt(
        request,
        lambda: control_services.create_control(version, values, risks=risks, user=request.user),
        "Control added.",
    )
    return redirect("riskfile:controls", version.pk)


@login_required
@require_POST
def verification_add(request: HttpRequest, control_id: int) -> HttpResponse:
    control = selectors.one(request.user, Control, control_id, "change")
    form = forms.VerificationForm(request.POST, request.FILES)
    if not form.is_valid():
        invalid(request, form)
    else:
        data, evidence = form.cleaned_data, form.cleaned_data.get("evidence")
        attempt(request, lambda: control_services.add_verification(
            control, test_reference=data["test_reference"], result=data["result"],
            performed_on=data["performed_on"], evidence=evidence.read() if evidence else None,
            evidence_name=evidence.name if evidence else "", user=request.user),
            f"Verification of {control.identifier} recorded.")  # fmt: skip
    return redirect("riskfile:controls", control.version_id)


@login_required
@require_POST
def impact_review(request: HttpRequest, control_id: int) -> HttpResponse:
    control = selectors.one(request.user, Control, control_id, "change")
    form = forms.ImpactReviewForm(request.POST)
    if not form.is_valid():
        invalid(request, form)
    else:
        attempt(request, lambda: control_services.review_impact(control, user=request.user,
                                                                **form.cleaned_data),
                f"Impact review of {control.identifier} recorded.")  # fmt: skip
    return redirect("riskfile:controls", control.version_id)


@login_required
def safety_list(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.version(request.user, version_id)
    context = base_context(
        request, version, entries=list(selectors.safety_entries(version)),
        risks=list(selectors.risks(version)), import_form=forms.SafetyImportForm(),
        link_form=forms.LinkForm(), review_form=forms.ReviewForm(),
    )  # fmt: skip
    return render(request, "riskfile/safety.html", context)


@login_required
@require_POST
def safety_import(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.version(request.user, version_id, "change")
    form = forms.SafetyImportForm(request.POST, request.FILES)
    if not form.is_valid():
        invalid(request, form)
    else:
        content = form.cleaned_data["file"].read()
        attempt(request, lambda: safety.import_safety_entries(version, content, request.user),
                "Safety risk file entries imported.")  # fmt: skip
    return redirect(reverse("riskfile:safety", args=[version.pk]))
