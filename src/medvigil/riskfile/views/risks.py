"""The security risk pages: the list with the matrix, assessment, changes, benefit-risk."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from medvigil.core import risk as risk_engine
from medvigil.riskfile import controls as control_services
from medvigil.riskfile import forms, selectors, services
from medvigil.riskfile.forms import refused, row_forms
from medvigil.riskfile.models import SecurityRisk
from medvigil.riskfile.views.common import base_context


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
    row_forms(risks, "approval_form", forms.ApprovalForm, typed, row)
    approved = {
        risk.pk for risk in risks if control_services.is_signed(getattr(risk, "benefit_risk", None))
    }
    context = base_context(
        request,
        version,
        risks=risks,
        before=selectors.matrix_rows(version),
        after=selectors.matrix_rows(version, residual=True),
        severities=risk_engine.SEVERITY,
        regions=risk_engine.REGION_LABELS,
        approved_benefit_risks=approved,
        **{"risk_form": forms.RiskForm(), **bound},
    )
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
            risk,
            benefits=data["benefits"],
            conclusion=data["conclusion"],
            user=request.user,
            password=data["password"],
            otp_code=data["otp_code"] or None,
        )

    status = refused(form, write)
    if status is not None:
        return risks_page(request, risk.version, status, typed=form, row=risk)
    messages.success(
        request, f"Benefit-risk analysis of {risk.identifier} signed; another person approves it."
    )
    return redirect("riskfile:risks", risk.version_id)


@login_required
@require_POST
def benefit_risk_approve(request: HttpRequest, risk_id: int) -> HttpResponse:
    risk = selectors.one(request.user, SecurityRisk, risk_id, "change")
    form = forms.ApprovalForm(request.POST, auto_id=f"approval_form{risk.pk}_%s")

    def write(data: dict[str, Any]) -> None:
        control_services.approve_benefit_risk(
            risk, user=request.user, password=data["password"], otp_code=data["otp_code"] or None
        )

    status = refused(form, write)
    if status is not None:
        return risks_page(request, risk.version, status, typed=form, row=risk)
    messages.success(request, f"Benefit-risk analysis of {risk.identifier} approved.")
    return redirect("riskfile:risks", risk.version_id)
