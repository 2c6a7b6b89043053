"""Triage pages (htmx-friendly, no inline script): a version's list, a finding, bulk, due dates.

Views only translate HTTP: reads through selectors, writes through services.
A refused write renders the same page again with the bound form: what was
typed stays, and each error shows beside its field (never a 500).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from medvigil.core.scoring import Priority
from medvigil.platform import permissions
from medvigil.platform.forms import show_refusal
from medvigil.platform.pagination import DEFAULT_LIMIT, MAXIMUM_LIMIT
from medvigil.platform.refusals import Kind, Refusal
from medvigil.portfolio.selectors import version_for
from medvigil.triage import access, detail, forms, listing, scoring, selectors, services
from medvigil.triage.keys import key_of
from medvigil.triage.models import Assessment, Environment, Status
from medvigil.triage.notifications import soon_window
from medvigil.triage.policies import DECIDING_ROLES, readable_versions
from medvigil.triage.remediation import PlanInput, save_plan
from medvigil.triage.statements import Statement


def to_finding(finding_id: int) -> HttpResponse:
    return redirect(reverse("triage:finding", args=[finding_id]))


def may_decide(request: HttpRequest) -> bool:
    return permissions.has_role(request.user, *DECIDING_ROLES)


def version_page(
    request: HttpRequest, version: Any, status: int = 200, **bound: Any
) -> HttpResponse:
    """The version's list; `bound` holds a refused form to show again as typed."""
    status_filter = request.GET.get("status", "")
    priority = request.GET.get("priority", "")
    overdue = request.GET.get("overdue") == "1"
    rows: list[selectors.VersionStatement] = []
    next_cursor = None
    try:
        limit = str(request.GET.get("limit") or DEFAULT_LIMIT)
        if not limit.isdigit() or not 1 <= int(limit) <= MAXIMUM_LIMIT:
            message = f"a number from 1 to {MAXIMUM_LIMIT}."
            raise Refusal(f"limit: {message}", Kind.INVALID, {"limit": message})
        found = listing.statement_findings(
            version, status_filter, priority, overdue, timezone.now()
        )
        rows, next_cursor = listing.page_of(
            version, found, listing.PAGE_ORDER, request.GET.get("cursor"), int(limit)
        )
    except Refusal as refusal:
        messages.error(request, refusal.message)
    following = request.GET.copy()
    following["cursor"] = next_cursor or ""
    link = f"{reverse('triage:version', args=[version.pk])}?{following.urlencode()}"
    environment = Environment.objects.filter(version=version).first()
    context = {
        "version": version,
        "product": version.product,
        "rows": rows,
        "next_link": link if next_cursor else "",
        "status": status_filter,
        "priority": priority,
        "overdue": overdue,
        "statuses": [*Status.choices, ("pending", "Pending approval")],
        "priorities": [value.value for value in Priority],
        "may_decide": may_decide(request),
        "environment": environment,
        "now": timezone.now(),
        "soon": timezone.now() + soon_window(),
        "environment_form": forms.EnvironmentForm(
            initial={
                "cvss3_metrics": environment.cvss3_metrics if environment else "",
                "cvss4_metrics": environment.cvss4_metrics if environment else "",
                "rationale": environment.rationale if environment else "",
            }
        ),
        **bound,
    }
    template = "triage/_rows.html" if request.headers.get("HX-Request") else "triage/version.html"
    return render(request, template, context, status=status)


@login_required
def version_list(request: HttpRequest, version_id: int) -> HttpResponse:
    version = version_for(request.user, version_id, within=readable_versions(request.user))
    return version_page(request, version)


def in_force(shown: detail.FindingDetail) -> str:
    return shown.effective.status if shown.effective else Status.UNDER_INVESTIGATION


def proposal_forms(proposal: Any) -> tuple[forms.DecisionForm, forms.DismissForm]:
    change = forms.DecisionForm(
        prefix="change",
        auto_id=f"proposal{proposal.pk}_%s",
        initial={
            name: getattr(proposal, name)
            for name in forms.DecisionForm.base_fields
            if name != "note"
        },
    )
    return change, forms.DismissForm(auto_id=f"dismiss{proposal.pk}_%s")


def finding_context(request: HttpRequest, finding: Any, **bound: Any) -> dict[str, Any]:
    """Everything the finding page shows, with the blank forms; `bound` replaces some of them.

    `bound` may hold a refused form by its context name, and `proposal_forms`:
    {proposal id: (change form, dismiss form)} for a refused proposal.
    """
    shown = detail.finding_detail(finding)
    assessment, plan = shown.assessment, shown.plan
    rubric_initial = dict(assessment.rubric_answers) if assessment else {}
    rubric_initial["rubric_rationale"] = assessment.rubric_rationale if assessment else ""
    score_fields = forms.ScoresForm.base_fields
    refused_proposals = bound.pop("proposal_forms", {})
    context = {
        "finding": finding,
        "detail": shown,
        "version": finding.version,
        "product": finding.version.product,
        "may_decide": may_decide(request),
        "decision_form": forms.DecisionForm(initial={"status": in_force(shown)}),
        "approval_form": forms.ApprovalForm(),
        "proposals": [
            (proposal, *refused_proposals.get(proposal.pk, proposal_forms(proposal)))
            for proposal in shown.proposals
        ],
        "scores_form": forms.ScoresForm(
            initial={name: getattr(assessment, name) for name in score_fields}
            if assessment
            else None
        ),
        "rubric_form": forms.RubricForm(initial=rubric_initial),
        "plan_form": forms.PlanForm(
            initial={name: getattr(plan, name) for name in forms.PlanForm.base_fields}
            if plan
            else None
        ),
    }
    if assessment is not None and assessment.ssvc_automatable is not None:
        context["scores_form"].initial["ssvc_automatable"] = (
            "yes" if assessment.ssvc_automatable else "no"
        )
    context.update(bound)
    return context


def finding_again(request: HttpRequest, finding: Any, status: int, **bound: Any) -> HttpResponse:
    """The finding page again after a refused write, the refused form as it was typed."""
    context = finding_context(request, finding, **bound)
    return render(request, "triage/finding.html", context, status=status)


@login_required
def finding_page(request: HttpRequest, finding_id: int) -> HttpResponse:
    finding = access.finding_for(request.user, finding_id)
    return render(request, "triage/finding.html", finding_context(request, finding))


def statement_of(form: forms.DecisionForm) -> Statement:
    return Statement(**form.cleaned_data)


@login_required
@require_POST
def decide(request: HttpRequest, finding_id: int) -> HttpResponse:
    finding = access.finding_for(request.user, finding_id, decide=True)
    form = forms.DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide(finding, request.user, statement_of(form))
        except Refusal as refusal:
            show_refusal(form, refusal)
            return finding_again(request, finding, refusal.status, decision_form=form)
        messages.success(request, "Decision recorded.")
        return to_finding(finding.pk)
    return finding_again(request, finding, 422, decision_form=form)


def back_to(record: Any) -> HttpResponse:
    if record.finding_id is not None:
        return to_finding(record.finding_id)
    return redirect(reverse("triage:version", args=[record.version_id]))


def refused_on(
    request: HttpRequest, record: Any, form: Any, status: int, **bound: Any
) -> HttpResponse:
    """The finding page of a decision or proposal again, its refused `form` as typed.

    A record whose finding is gone has no page for the form: its version's list
    then says what was refused.
    """
    if record.finding_id is not None:
        finding = access.finding_for(request.user, record.finding_id)
        return finding_again(request, finding, status, **bound)
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
    return back_to(record)


@login_required
@require_POST
def approve(request: HttpRequest, decision_id: int) -> HttpResponse:
    decision = access.decision_for(request.user, decision_id, decide=True)
    form = forms.ApprovalForm(request.POST)
    if not form.is_valid():
        return refused_on(request, decision, form, 422, approval_form=form)
    data = form.cleaned_data
    try:
        services.approve(decision, request.user, data["password"], data["otp_code"] or None)
    except Refusal as refusal:
        show_refusal(form, refusal)
        return refused_on(request, decision, form, refusal.status, approval_form=form)
    messages.success(request, "Decision approved and signed.")
    return back_to(decision)


@login_required
@require_POST
def confirm(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = access.proposal_for(request.user, proposal_id, decide=True)
    change, dismissal = proposal_forms(proposal)
    changed = None
    if request.POST.get("change-status"):
        change = forms.DecisionForm(
            request.POST, prefix="change", auto_id=f"proposal{proposal.pk}_%s"
        )
        if not change.is_valid():
            forms_shown = {proposal.pk: (change, dismissal)}
            return refused_on(request, proposal, change, 422, proposal_forms=forms_shown)
        changed = statement_of(change)
    try:
        services.confirm_proposal(proposal, request.user, changed)
    except Refusal as refusal:
        if not change.is_bound:  # confirmed as offered: show the offer to complete it
            change = forms.DecisionForm(
                {f"change-{name}": value for name, value in change.initial.items()},
                prefix="change",
                auto_id=f"proposal{proposal.pk}_%s",
            )
        show_refusal(change, refusal)
        forms_shown = {proposal.pk: (change, dismissal)}
        return refused_on(request, proposal, change, refusal.status, proposal_forms=forms_shown)
    messages.success(request, "Proposal confirmed as a decision.")
    return back_to(proposal)


@login_required
@require_POST
def dismiss(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = access.proposal_for(request.user, proposal_id, decide=True)
    change, _ = proposal_forms(proposal)
    form = forms.DismissForm(request.POST, auto_id=f"dismiss{proposal.pk}_%s")
    status = 422
    if form.is_valid():
        try:
            services.dismiss_proposal(proposal, request.user, form.cleaned_data["reason"])
        except Refusal as refusal:
            show_refusal(form, refusal)
            status = refusal.status
        else:
            messages.success(request, "Proposal dismissed.")
            return back_to(proposal)
    forms_shown = {proposal.pk: (change, form)}
    return refused_on(request, proposal, form, status, proposal_forms=forms_shown)


def rubric_was_answered(finding: Any, questionnaire: forms.RubricForm) -> bool:
    """Untouched (every answer unknown, nothing stored yet): not a rubric assessment of 10.0."""
    answers = questionnaire.answers()
    if any(value != "unknown" for value in answers.values()):
        return True
    key = key_of(finding)
    return Assessment.objects.filter(**key.lookup()).exclude(rubric_answers={}).exists()


@login_required
@require_POST
def save_scores(request: HttpRequest, finding_id: int) -> HttpResponse:
    finding = access.finding_for(request.user, finding_id, decide=True)
    form = forms.ScoresForm(request.POST)
    questionnaire = forms.RubricForm(request.POST) if "XAVN" in request.POST else None
    bound: dict[str, Any] = {"scores_form": form}
    if questionnaire is not None:
        bound["rubric_form"] = questionnaire
    if not form.is_valid() or (questionnaire is not None and not questionnaire.is_valid()):
        return finding_again(request, finding, 422, **bound)
    values = {name: value for name, value in form.cleaned_data.items()}
    if questionnaire is not None and rubric_was_answered(finding, questionnaire):
        values["rubric_answers"] = questionnaire.answers()
        values["rubric_rationale"] = questionnaire.cleaned_data["rubric_rationale"]
    try:
        scoring.save_scores(finding, request.user, scoring.ScoreInput(**values))
    except Refusal as refusal:
        show_refusal(form, refusal)
        return finding_again(request, finding, refusal.status, **bound)
    messages.success(request, "Scores saved.")
    return to_finding(finding.pk)


@login_required
@require_POST
def save_remediation(request: HttpRequest, finding_id: int) -> HttpResponse:
    finding = access.finding_for(request.user, finding_id, decide=True)
    form = forms.PlanForm(request.POST)
    if form.is_valid():
        try:
            save_plan(finding, request.user, PlanInput(**form.cleaned_data))
        except Refusal as refusal:
            show_refusal(form, refusal)
            return finding_again(request, finding, refusal.status, plan_form=form)
        messages.success(request, "Plan saved.")
        return to_finding(finding.pk)
    return finding_again(request, finding, 422, plan_form=form)


@login_required
@require_POST
def environment(request: HttpRequest, version_id: int) -> HttpResponse:
    version = version_for(request.user, version_id, within=readable_versions(request.user))
    access.require_decider(request.user)
    form = forms.EnvironmentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            scoring.set_environment(
                version,
                request.user,
                data["cvss3_metrics"],
                data["cvss4_metrics"],
                data["rationale"],
            )
        except Refusal as refusal:
            show_refusal(form, refusal)
            return version_page(request, version, refusal.status, environment_form=form)
        messages.success(request, "Environment saved; every finding of the version was rescored.")
        return redirect(reverse("triage:version", args=[version.pk]))
    return version_page(request, version, 422, environment_form=form)


@login_required
@require_POST
def gather(request: HttpRequest, version_id: int) -> HttpResponse:
    version = version_for(request.user, version_id, within=readable_versions(request.user))
    access.require_decider(request.user)
    made = services.offer_earlier_decisions(version)
    messages.success(request, f"{len(made)} proposal(s) from earlier decisions to review.")
    return redirect(reverse("triage:version", args=[version.pk]))
