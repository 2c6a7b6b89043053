"""Bulk decisions across versions and products, and the portfolio's due dates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from medvigil.platform.forms import show_refusal
from medvigil.platform.refusals import Refusal
from medvigil.triage import access, forms, services
from medvigil.triage.models import RemediationPlan
from medvigil.triage.notifications import soon_window
from medvigil.triage.policies import readable_versions
from medvigil.triage.statements import Statement
from medvigil.vulns.models import Finding, VulnerabilityAlias

LISTED = 500


def matching_findings(user: object, identifier: str) -> list[Finding]:
    """Open findings of one vulnerability (by any id) in every version the user may see."""
    alias = VulnerabilityAlias.objects.filter(identifier__iexact=identifier.strip()).first()
    if alias is None:
        return []
    rows = Finding.objects.filter(
        version__in=readable_versions(user),
        vulnerability_id=alias.vulnerability_id,
        state=Finding.State.OPEN,
    ).select_related("version__product", "component", "vulnerability")
    return list(rows.order_by("version__product__name", "version__version", "id")[:LISTED])


@login_required
def bulk(request: HttpRequest) -> HttpResponse:
    access.require_decider(request.user)
    access.require_inside(request.user)
    identifier = request.GET.get("vulnerability", "") or request.POST.get("vulnerability", "")
    form = forms.DecisionForm(request.POST or None)
    status = 200
    selected = [int(value) for value in request.POST.getlist("finding") if value.isdigit()]
    if request.method == "POST":
        status = 422
        if form.is_valid():
            findings = access.findings_for(request.user, selected)
            try:
                made = services.bulk_decide(findings, request.user, Statement(**form.cleaned_data))
            except Refusal as refusal:
                show_refusal(form, refusal)
                status = refusal.status
            else:
                messages.success(request, f"{len(made)} decision(s) recorded, each audited.")
                return redirect(f"{reverse('triage:bulk')}?vulnerability={identifier}")
    context = {
        "identifier": identifier,
        "findings": matching_findings(request.user, identifier),
        "form": form,
        "selected": set(selected),
    }
    return render(request, "triage/bulk.html", context, status=status)


@login_required
def due(request: HttpRequest) -> HttpResponse:
    access.require_inside(request.user)
    now = timezone.now()
    horizon = now + soon_window()
    plans = (
        RemediationPlan.objects.filter(
            version__in=readable_versions(request.user),
            remediated_at__isnull=True,
            due_at__lte=horizon,
        )
        .select_related("version__product", "vulnerability")
        .order_by("due_at")
    )
    rows = [
        {"plan": plan, "overdue": plan.due_at is not None and plan.due_at <= now}
        for plan in plans[:LISTED]
    ]
    versions = (
        readable_versions(request.user)
        .filter(pk__in=Finding.objects.filter(state=Finding.State.OPEN).values("version_id"))
        .select_related("product")
        .order_by("product__name", "version")
    )
    context = {"rows": rows, "now": now, "versions": versions}
    return render(request, "triage/due.html", context)
