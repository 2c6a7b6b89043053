"""Triage pages (htmx-friendly, no inline script): a version's list, a finding, bulk, due dates.

Views only translate HTTP: reads through selectors, writes through services.
A refused write comes back as messages naming each problem, never a 500.
"""

from __future__ import annotations

from collections.abc import Callable
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
from medvigil.triage import access, detail, forms, scoring, selectors, services
from medvigil.triage.keys import key_of
from medvigil.triage.models import Assessment, Environment, Status
from medvigil.triage.notifications import soon_window
from medvigil.triage.policies import DECIDING_ROLES
from medvigil.triage.remediation import PlanInput, save_plan
from medvigil.triage.statements import Statement, TriageError


def attempt(request: HttpRequest, write: Callable[[], Any], done: str) -> bool:
    try:
        write()
    except TriageError as error:
        for field, problem in (error.errors or {"": str(error)}).items():
            messages.error(request, f"{field.replace('_', ' ')}: {problem}" if field else problem)
        return False
    messages.success(request, done)
    return True


def invalid(request: HttpRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        for error in errors:
            messages.error(request, f"{field.replace('_', ' ')}: {error}")


def to_finding(finding_id: int) -> HttpResponse:
    return redirect(reverse("triage:finding", args=[finding_id]))


def may_decide(request: HttpRequest) -> bool:
    return permissions.has_role(request.user, *DECIDING_ROLES)


@login_required
def version_list(request: HttpRequest, version_id: int) -> HttpResponse:
    version = access.version_for(request.user, version_id)
    status = request.GET.get("status", "")
    priority = request.GET.get("priority", "")
    overdue = request.GET.get("overdue") == "1"
    rows = detail.filtered(selectors.version_statements(version), status, priority, overdue)
    environment = Environment.objects.filter(version=version).first()
    context = {
        "version": version, "product": version.product, "rows": rows,
        "status": status, "priority": priority, "overdue": overdue,
        "statuses": [*Status.choices, ("pending", "Pending approval")],
        "priorities": [value.value for value in Priority], "may_decide": may_decide(request),
        "environment": environment, "now": timezone.now(),
        "soon": timezone.now() + soon_window(),
        "environment_form": forms.EnvironmentForm(initial={
            "cvss3_metrics": environment.cvss3_metrics if environment else "",
            "cvss4_metrics": environment.cvss4_metrics if environment else "",
            "rationale": environment.rationale if environment else ""}),
    }  # fmt: skip
    template = "triage/_rows.html" if request.headers.get("HX-Request") else "triage/version.html"
    return render(request, template, context)


@login_required
def finding_page(request: HttpRequest, finding_id: int) -> HttpResponse:
    finding = access.finding_for(request.user, finding_id)
    shown = detail.finding_detail(finding)
    assessment, plan = shown.assessment, shown.plan
    rubric_initial = dict(assessment.rubric_answers) if assessment else {}
    rubric_initial["rubric_rationale"] = assessment.rubric_rationale if assessment else ""
    score_fields = forms.ScoresForm.base_fields
    context = {
        "finding": finding, "detail": shown, "version": finding.version,
        "product": finding.version.product, "may_decide": may_decide(request),
        "decision_form": forms.DecisionForm(initial={"status": "under_investigation"}),
        "approval_form": forms.ApprovalForm(), "dismiss_form": forms.DismissForm(),
        "proposals": [(proposal, forms.DecisionForm(
            prefix="change", auto_id=f"proposal{proposal.pk}_%s", initial={
                name: getattr(proposal, name) for name in forms.DecisionForm.base_fields
                if name != "note"})) for proposal in shown.proposals],
        "scores_form": forms.ScoresForm(initial={
            name: getattr(assessment, name) for name in score_fields} if assessment else None),
        "rubric_form": forms.RubricForm(initial=rubric_initial),
        "plan_form": forms.PlanForm(initial={
            name: getattr(plan, name) for name in forms.PlanForm.base_fields} if plan else None),
    }  # fmt: skip
    if assessment is not None and assessment.ssvc_automatable is not None:
        context["scores_form"].initial["ssvc_automatable"] = (
            "yes" if assessment.ssvc_automatable else "no"
        )
    return render(request, "triage/finding.html", context)


def statement_of(form: forms.DecisionForm) -> Statement:
    return Statement(**form.cleaned_data)


@login_required
@require_POST
def decide(request: HttpRequest, finding_id: int) -> HttpResponse:
    finding = access.finding_for(request.user, finding_id, decide=True)
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        invalid(request, form)
    else:
        attempt(request, lambda: services.decide(finding, request.user, statement_of(form)),
                "Decision recorded.")  # fmt: skip
    return to_finding(finding.pk)


@login_required
@require_POST
def approve(request: HttpRequest, decision_id: int) -> HttpResponse:
    decision = access.decision_for(request.user, decision_id, decide=True)
    form = forms.ApprovalForm(request.POST)
    if not form.is_valid():
        invalid(request, form)
    else:
        data = form.cleaned_data
        attempt(request, lambda: services.approve(decision, request.user, data["password"],
                                                  data["otp_code"] or None),
                "Decision approved and signed.")  # fmt: skip
    if decision.finding_id is not None:
        return to_finding(decision.finding_id)
    return redirect(reverse("triage:version", args=[decision.version_id]))


@login_required
@require_POST
def confirm(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = access.proposal_for(request.user, proposal_id, decide=True)
    changed = None
    if request.POST.get("change-status"):
        form = forms.DecisionForm(request.POST, prefix="change")
        if not form.is_valid():
            invalid(request, form)
            return back_to(proposal)
        changed = statement_of(form)
    attempt(request, lambda: services.confirm_proposal(proposal, request.user, changed),
            "Proposal confirmed as a decision.")  # fmt: skip
    return back_to(proposal)


def back_to(record: Any) -> HttpResponse:
    if record.finding_id is not None:
        return to_finding(record.finding_id)
    return redirect(reverse("triage:version", args=[record.version_id]))


@login_required
@require_POST
def dismiss(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = access.proposal_for(request.user, proposal_id, decide=True)
    form = forms.DismissForm(request.POST)
    if not form.is_valid():
        invalid(request, form)
    else:
        reason = form.cleaned_data["reason"]
        attempt(request, lambda: services.dismiss_proposal(proposal, request.user, reason),
                "Proposal dismissed.")  # fmt: skip
    return back_to(proposal)


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
    if not form.is_valid() or (questionnaire is not None and not questionnaire.is_valid()):
        invalid(request, form)
        if questionnaire is not None:
            invalid(request, questionnaire)
        return to_finding(finding.pk)
    values = {name: value for name, value in form.cleaned_data.items()}
    if questionnaire is not None and rubric_was_answered(finding, questionnaire):
        values["rubric_answers"] = questionnaire.answers()
        values["rubric_rationale"] = questionnaire.cleaned_data["rubric_rationale"]
    attempt(request, lambda: scoring.save_scores(finding, request.user,
                                                 scoring.ScoreInput(**values)),
            "Scores saved.")  # fmt: skip
    return to_finding(finding.pk)


@login_required
@require_POST
def save_remediation(request: HttpRequest, finding_id: int) -> HttpResponse:
    finding = access.finding_for(request.user, finding_id, decide=True)
    form = forms.PlanForm(request.POST)
    if not form.is_valid():
        invalid(request, form)
    else:
        plan = PlanInput(**form.cleaned_data)
        attempt(request, lambda: save_plan(finding, request.user, plan), "Plan saved.")
    return to_finding(finding.pk)


@login_required
@require_POST
def environment(request: HttpRequest, version_id: int) -> HttpResponse:
    version = access.version_for(request.user, version_id, decide=True)
    form = forms.EnvironmentForm(request.POST)
    if not form.is_valid():
        invalid(request, form)
    else:
        data = form.cleaned_data
        attempt(request, lambda: scoring.set_environment(
            version, request.user, data["cvss3_metrics"], data["cvss4_metrics"], data["rationale"]),
            "Environment saved; every finding of the version was rescored.")  # fmt: skip
    return redirect(reverse("triage:version", args=[version.pk]))


@login_required
@require_POST
def gather(request: HttpRequest, version_id: int) -> HttpResponse:
    version = access.version_for(request.user, version_id, decide=True)
    made = services.offer_earlier_decisions(version)
    messages.success(request, f"{len(made)} proposal(s) from earlier decisions to review.")
    return redirect(reverse("triage:version", args=[version.pk]))
