"""Remediation plans and their clocks.

Due dates come from `medvigil.core.deadlines`: the remediation policy per
priority (settings `TRIAGE_REMEDIATION_DAYS`) and, for an uncontrolled risk,
FDA's 30-day customer communication and 60-day fix clocks, all counted from
when the manufacturer learned of the vulnerability, in `TRIAGE_TIME_ZONE`
with the holidays of `TRIAGE_HOLIDAY_COUNTRY`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from medvigil.audit.services import changed_fields, record, snapshot
from medvigil.core import deadlines as clocks
from medvigil.platform.refusals import Kind, Refusal
from medvigil.triage.keys import FindingKey, as_key
from medvigil.triage.models import Assessment, RemediationPlan
from medvigil.triage.statements import MAX_TEXT
from medvigil.vulns.models import Finding

PLAN_FIELDS = ("fix_in_version", "compensating_controls", "customer_communication",
               "communicated_at", "remediated_at", "due_at", "communicate_due_at",
               "remediate_due_at")  # fmt: skip


def time_zone() -> str:
    return str(getattr(settings, "TRIAGE_TIME_ZONE", "America/New_York"))


def policy() -> clocks.RemediationPolicy:
    days = getattr(settings, "TRIAGE_REMEDIATION_DAYS", clocks.postmarket.DEFAULT_REMEDIATION_DAYS)
    return clocks.remediation_policy(
        days,
        str(getattr(settings, "TRIAGE_HOLIDAY_COUNTRY", "US")),
        getattr(settings, "TRIAGE_HOLIDAY_SUBDIVISION", None),
    )


def clocks_of(
    plan: RemediationPlan, assessment: Assessment, now: datetime
) -> clocks.RemediationClocks:
    return clocks.remediation_clocks(
        assessment.learned_at, assessment.priority,
        assessment.control_status == Assessment.ControlStatus.UNCONTROLLED,
        policy(), time_zone(), now, plan.communicated_at, plan.remediated_at,
    )  # fmt: skip


def apply_dates(plan: RemediationPlan, assessment: Assessment) -> None:
    running = clocks_of(plan, assessment, timezone.now())
    plan.due_at = running.policy.due_at
    regulatory = {state.rule.key: state.due_at for state in running.regulatory}
    plan.communicate_due_at = regulatory.get(clocks.COMMUNICATE_UNCONTROLLED.key)
    plan.remediate_due_at = regulatory.get(clocks.REMEDIATE_UNCONTROLLED.key)


def refresh_plan_dates(key: FindingKey, assessment: Assessment) -> RemediationPlan | None:
    """Recompute a plan's due dates after its scores changed (inside the caller's transaction)."""
    plan = RemediationPlan.objects.filter(**key.lookup()).first()
    if plan is None:
        return None
    before = snapshot(plan, PLAN_FIELDS)
    apply_dates(plan, assessment)
    changes = changed_fields(before, snapshot(plan, PLAN_FIELDS))
    if changes:
        plan.save()
        record("triage-plan-dates", plan, changes=changes)
    return plan


@dataclass(frozen=True)
class PlanInput:
    fix_in_version: str = ""
    compensating_controls: str = ""
    customer_communication: str = ""
    communicated_at: datetime | None = None
    remediated_at: datetime | None = None


def validate(values: PlanInput) -> None:
    errors: dict[str, str] = {}
    if len(values.fix_in_version) > 100:
        errors["fix_in_version"] = "At most 100 characters."
    for name in ("compensating_controls", "customer_communication"):
        if len(getattr(values, name)) > MAX_TEXT:
            errors[name] = f"At most {MAX_TEXT} characters."
    now = timezone.now()
    for name in ("communicated_at", "remediated_at"):
        moment = getattr(values, name)
        if moment is not None and (moment.tzinfo is None or moment > now):
            errors[name] = "A moment in the past, with its time zone."
    if errors:
        message = "The plan was not saved: " + " ".join(errors.values())
        raise Refusal(message, Kind.INVALID, errors)


def save_plan(
    finding_or_key: Finding | FindingKey, user: Any, values: PlanInput
) -> RemediationPlan:
    """Create or change the plan of one finding and recompute its due dates."""
    from medvigil.triage.scoring import ensure_assessment

    validate(values)
    key = as_key(finding_or_key)
    with transaction.atomic():
        assessment = ensure_assessment(key)
        plan = RemediationPlan.objects.filter(**key.lookup()).first()
        created = plan is None
        if plan is None:
            plan = RemediationPlan(**key.fields())
        before = {} if created else snapshot(plan, PLAN_FIELDS)
        plan.fix_in_version = values.fix_in_version.strip()
        plan.compensating_controls = values.compensating_controls.strip()
        plan.customer_communication = values.customer_communication.strip()
        plan.communicated_at = values.communicated_at
        plan.remediated_at = values.remediated_at
        apply_dates(plan, assessment)
        plan.updated_by = user if getattr(user, "pk", None) else None
        plan.save()
        record(
            "triage-plan-saved", plan, changes=changed_fields(before, snapshot(plan, PLAN_FIELDS))
        )
    return plan
