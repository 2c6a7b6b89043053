"""Everything shown about one finding: its statement, history, proposals, scores, plan, clocks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from medvigil.audit.signatures import SignatureView, signature_status
from medvigil.core.deadlines import ClockState, due_soon
from medvigil.triage import due_dates, selectors
from medvigil.triage.keys import FindingKey, key_of
from medvigil.triage.models import Assessment, Decision, Proposal, RemediationPlan
from medvigil.triage.notifications import soon_window
from medvigil.vulns.models import Finding


@dataclass(frozen=True)
class DecisionRow:
    decision: Decision
    signatures: list[SignatureView]
    effective: bool


@dataclass(frozen=True)
class ClockRow:
    state: ClockState
    soon: bool


@dataclass(frozen=True)
class FindingDetail:
    finding: Finding
    key: FindingKey
    effective: Decision | None
    pending: Decision | None
    history: list[DecisionRow]
    proposals: list[Proposal]
    assessment: Assessment | None
    plan: RemediationPlan | None
    clocks: list[ClockRow]


def clock_rows(
    plan: RemediationPlan | None, assessment: Assessment | None, now: datetime, window: timedelta
) -> list[ClockRow]:
    if plan is None or assessment is None:
        return []
    running = due_dates.clocks_of(plan, assessment, now)
    return [ClockRow(state, due_soon(state, window)) for state in running.all]


def finding_detail(finding: Finding) -> FindingDetail:
    key = key_of(finding)
    past = selectors.history(key)
    effective = selectors.effective_of(past)
    assessment = Assessment.objects.filter(**key.lookup()).first()
    plan = RemediationPlan.objects.filter(**key.lookup()).first()
    rows = [
        DecisionRow(decision, signature_status(decision), decision == effective)
        for decision in past
    ]
    return FindingDetail(
        finding=finding,
        key=key,
        effective=effective,
        pending=selectors.pending_of(past),
        history=rows,
        proposals=selectors.open_proposals(key),
        assessment=assessment,
        plan=plan,
        clocks=clock_rows(plan, assessment, timezone.now(), soon_window()),
    )


def is_overdue(statement: selectors.VersionStatement, now: datetime) -> bool:
    plan = statement.plan
    if plan is None or plan.remediated_at is not None:
        return False
    dues = [plan.due_at, plan.remediate_due_at]
    if plan.communicated_at is None:
        dues.append(plan.communicate_due_at)
    return any(due is not None and due <= now for due in dues)
