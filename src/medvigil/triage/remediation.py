"""Remediation plans: what will be fixed where, communicated when; their due dates
come from `medvigil.triage.due_dates`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from medvigil.audit.services import changed_fields, record, snapshot
from medvigil.platform.refusals import Kind, Refusal
from medvigil.triage import standing
from medvigil.triage.due_dates import PLAN_FIELDS, apply_dates
from medvigil.triage.keys import FindingKey, as_key
from medvigil.triage.models import RemediationPlan
from medvigil.triage.scoring import ensure_assessment
from medvigil.triage.statements import MAX_TEXT
from medvigil.vulns.models import Finding


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
        standing.refresh([key])
        record(
            "triage-plan-saved", plan, changes=changed_fields(before, snapshot(plan, PLAN_FIELDS))
        )
    return plan
