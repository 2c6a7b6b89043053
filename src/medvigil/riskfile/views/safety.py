"""The safety links: safety risk entries, their import, links and reviews."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from medvigil.riskfile import forms, safety, selectors
from medvigil.riskfile.forms import refused, row_forms
from medvigil.riskfile.models import SafetyRiskEntry, SecurityRisk
from medvigil.riskfile.validation import refused_input
from medvigil.riskfile.views.common import base_context, listed


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
    context = base_context(
        request,
        version,
        entries=entries,
        risks=risks,
        **{"import_form": forms.SafetyImportForm(), **bound},
    )
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
