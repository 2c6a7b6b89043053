"""The control pages: controls, their verification and the impact review of each."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from medvigil.core.threats import CONTROL_CATEGORY_LABELS
from medvigil.riskfile import controls as control_services
from medvigil.riskfile import forms, selectors
from medvigil.riskfile.forms import refused, row_forms
from medvigil.riskfile.models import Control
from medvigil.riskfile.views.common import base_context, listed


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
    context = base_context(
        request,
        version,
        controls=controls,
        labels=CONTROL_CATEGORY_LABELS,
        **{"control_form": forms.ControlForm(), **bound},
    )
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
            control,
            test_reference=data["test_reference"],
            result=data["result"],
            performed_on=data["performed_on"],
            evidence=evidence.read() if evidence else None,
            evidence_name=evidence.name if evidence else "",
            user=request.user,
        )

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
