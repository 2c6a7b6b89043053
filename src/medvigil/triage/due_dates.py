"""Due dates of remediation plans, recomputed whenever scores change.

They come from `medvigil.core.deadlines`: the remediation policy per priority
(settings `TRIAGE_REMEDIATION_DAYS`) and, for an uncontrolled risk, FDA's
30-day customer communication and 60-day fix clocks, all counted from when the
manufacturer learned of the vulnerability, in `TRIAGE_TIME_ZONE` with the
holidays of `TRIAGE_HOLIDAY_COUNTRY`.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils import timezone

from medvigil.audit.services import changed_fields, record, snapshot
from medvigil.core import deadlines as clocks
from medvigil.triage.keys import FindingKey
from medvigil.triage.models import Assessment, RemediationPlan

PLAN_FIELDS = (
    "fix_in_version",
    "compensating_controls",
    "customer_communication",
    "communicated_at",
    "remediated_at",
    "due_at",
    "communicate_due_at",
    "remediate_due_at",
)


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
        assessment.learned_at,
        assessment.priority,
        assessment.control_status == Assessment.ControlStatus.UNCONTROLLED,
        policy(),
        time_zone(),
        now,
        plan.communicated_at,
        plan.remediated_at,
    )


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
