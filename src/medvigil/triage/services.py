"""Writes of triage decisions and proposals: one transaction each, with its audit event.

Callers check permissions first; a refused write raises `Refusal` and stores
nothing (invalid input 422, a state that does not allow it 409). A decision
is a new row every time (the rows of a key are its history). On a released
version it is effective only once signed "approved" by someone other than
its author (`approve`).
Proposals are never applied on their own: a person confirms, changes or
dismisses each one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from medvigil.audit import signatures
from medvigil.audit.services import record
from medvigil.platform.refusals import Kind, Refusal
from medvigil.triage import standing
from medvigil.triage.keys import FindingKey, as_key
from medvigil.triage.models import Decision, Proposal
from medvigil.triage.selectors import (
    effective_elsewhere,
    findings_with_same_component,
    open_finding_keys,
)
from medvigil.triage.statements import Statement
from medvigil.vulns.models import Finding

STATEMENT_FIELDS = (
    "status",
    "justification",
    "impact_statement",
    "action_statement",
    "fixed_in_version",
)


def actor(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


def statement_details(statement: Statement, key: FindingKey) -> dict[str, Any]:
    return {
        "version": key.version.pk,
        "vulnerability": key.vulnerability.canonical_id,
        "component": key.component_key,
        **{name: getattr(statement, name) for name in STATEMENT_FIELDS},
    }


def statement_of(row: Decision | Proposal) -> Statement:
    return Statement(
        row.status,
        row.justification,
        row.impact_statement,
        row.action_statement,
        row.fixed_in_version,
    )


def current_decision(key: FindingKey) -> Decision | None:
    return Decision.objects.filter(**key.lookup()).order_by("-created_at", "-id").first()


def create_decision(
    key: FindingKey, statement: Statement, user: Any, proposal: Proposal | None = None
) -> Decision:
    """One decision row and its audit event, inside the caller's transaction."""
    previous = current_decision(key)
    decision = Decision.objects.create(
        **key.fields(),
        **{name: getattr(statement, name) for name in STATEMENT_FIELDS},
        note=statement.note,
        requires_approval=key.version.is_released,
        proposal=proposal,
        created_by=actor(user),
    )
    details = statement_details(statement, key)
    details["previous_status"] = previous.status if previous else ""
    details["requires_approval"] = decision.requires_approval
    if proposal is not None:
        details["proposal"] = proposal.pk
    record("triage-decided", decision, details=details)
    standing.refresh([key])
    return decision


def decide(finding_or_key: Finding | FindingKey, user: Any, statement: Statement) -> Decision:
    """Record a decision on one finding; the same component elsewhere gets it as a proposal."""
    key = as_key(finding_or_key)
    cleaned = statement.cleaned()
    with transaction.atomic():
        decision = create_decision(key, cleaned, user)
        if not decision.requires_approval:
            offer_to_same_component(decision)
    return decision


def bulk_decide(
    targets: Iterable[Finding | FindingKey], user: Any, statement: Statement
) -> list[Decision]:
    """The same decision on every target, each its own row and audit event; all or nothing."""
    keys = [as_key(target) for target in targets]
    if not keys:
        raise Refusal(
            "Select at least one finding.", Kind.INVALID, {"findings": "Select at least one."}
        )
    cleaned = statement.cleaned()
    with transaction.atomic():
        decisions = [create_decision(key, cleaned, user) for key in keys]
        for decision in decisions:
            if not decision.requires_approval:
                offer_to_same_component(decision)
    return decisions


def approve(decision: Decision, user: Any, password: str, otp_code: str | None = None) -> Decision:
    """Sign a pending decision "approved" (re-authentication); it becomes effective."""
    if not decision.requires_approval:
        raise Refusal("This decision needs no approval: it was made before release.", Kind.CONFLICT)
    if decision.approved_at is not None:
        raise Refusal("This decision is already approved.", Kind.CONFLICT)
    latest = current_decision(
        FindingKey(decision.version, decision.vulnerability, decision.component_key)
    )
    if latest is not None and latest.pk != decision.pk:
        raise Refusal(
            "A newer decision replaced this one: approve the newest instead.", Kind.CONFLICT
        )
    signature = signatures.sign(user, decision, "approved", password, otp_code)
    with transaction.atomic():
        decision.approved_at = signature.signed_at
        decision.approved_by = user
        decision.save(update_fields=["approved_at", "approved_by"])
        record("triage-approved", decision, details={"signature": signature.pk})
        standing.refresh([key_of_record(decision)])
        offer_to_same_component(decision)
    return decision


def open_proposal_exists(key: FindingKey, statement: Statement, source_ref: str) -> bool:
    return Proposal.objects.filter(
        **key.lookup(),
        state=Proposal.State.OPEN,
        status=statement.status,
        justification=statement.justification,
        source_document_ref=source_ref,
    ).exists()


def create_proposal(
    key: FindingKey,
    statement: Statement,
    source: str,
    source_label: str,
    source_document_ref: str,
    source_decision: Decision | None = None,
) -> Proposal | None:
    if open_proposal_exists(key, statement, source_document_ref):
        return None
    proposal = Proposal.objects.create(
        **key.fields(),
        **{name: getattr(statement, name) for name in STATEMENT_FIELDS},
        source=source,
        source_label=source_label[:2000],
        source_document_ref=source_document_ref[:2000],
        source_decision=source_decision,
    )
    details = statement_details(statement, key)
    details.update(
        source=source,
        source_label=proposal.source_label,
        source_document_ref=proposal.source_document_ref,
    )
    record("triage-proposed", proposal, details=details)
    return proposal


def propose(
    finding_or_key: Finding | FindingKey,
    status: str,
    justification: str = "",
    impact: str = "",
    action: str = "",
    source_label: str = "",
    source_document_ref: str = "",
    *,
    source: str = Proposal.Source.SUPPLIER_VEX,
    fixed_in_version: str = "",
) -> Proposal | None:
    """Offer a statement on a finding for a person to confirm (supplier VEX and the like).

    Returns None when the same open proposal from the same document is
    already there. A supplier's statement may lack its justification, impact
    or action (many CSAF VEX documents give none): the proposal is kept and the
    person confirming it must complete it. Raises an invalid `Refusal` for values
    the VEX rules do not know.
    """
    if source not in Proposal.Source.values:
        unknown = f"Unknown proposal source {source!r}."
        raise Refusal(unknown, Kind.INVALID, {"source": "Unknown source."})
    if not source_label.strip():
        missing = "Say where the proposal comes from."
        raise Refusal(missing, Kind.INVALID, {"source_label": "Required."})
    statement = Statement(status, justification, impact, action, fixed_in_version).cleaned(
        complete=source != Proposal.Source.SUPPLIER_VEX
    )
    with transaction.atomic():
        return create_proposal(
            as_key(finding_or_key),
            statement,
            source,
            source_label.strip(),
            source_document_ref.strip(),
        )


def resolve(proposal: Proposal, user: Any, state: str) -> None:
    proposal.state = state
    proposal.resolved_at = timezone.now()
    proposal.resolved_by = actor(user)
    proposal.save(update_fields=["state", "resolved_at", "resolved_by"])


def already_resolved(proposal: Proposal) -> Refusal:
    state = proposal.get_state_display().lower()
    return Refusal(f"This proposal is already {state}.", Kind.CONFLICT)


def key_of_record(row: Decision | Proposal) -> FindingKey:
    return FindingKey(
        version=row.version,
        vulnerability=row.vulnerability,
        component_key=row.component_key,
        component_name=row.component_name,
        component_version=row.component_version,
        component_purl=row.component_purl,
        finding=row.finding,
    )


def confirm_proposal(proposal: Proposal, user: Any, changed: Statement | None = None) -> Decision:
    """Turn a proposal into a decision, as offered or as the person changed it."""
    if proposal.state != Proposal.State.OPEN:
        raise already_resolved(proposal)
    offered = statement_of(proposal)
    statement = (changed or offered).cleaned()
    state = Proposal.State.CONFIRMED if statement == offered else Proposal.State.CHANGED
    if not statement.note:
        statement = Statement(**{**statement.__dict__, "note": f"From {proposal.source_label}"})
    with transaction.atomic():
        decision = create_decision(key_of_record(proposal), statement, user, proposal=proposal)
        resolve(proposal, user, state)
        record("triage-proposal-" + state, proposal, details={"decision": decision.pk})
        if not decision.requires_approval:
            offer_to_same_component(decision)
    return decision


def dismiss_proposal(proposal: Proposal, user: Any, reason: str) -> Proposal:
    if proposal.state != Proposal.State.OPEN:
        raise already_resolved(proposal)
    if not reason.strip():
        raise Refusal("Say why the proposal is dismissed.", Kind.INVALID, {"reason": "Required."})
    with transaction.atomic():
        resolve(proposal, user, Proposal.State.DISMISSED)
        record("triage-proposal-dismissed", proposal, details={"reason": reason.strip()[:2000]})
    return proposal


def offer_to_same_component(decision: Decision) -> list[Proposal]:
    """Propose an effective decision to every other open finding of the same component version."""
    if decision.pending_approval:
        return []
    statement = statement_of(decision)
    label = f"Decision on {decision.version} ({decision.created_at:%Y-%m-%d})"
    made: list[Proposal] = []
    for key in findings_with_same_component(decision):
        latest = current_decision(key)
        if latest is not None and (
            latest.created_at >= decision.created_at or statement_of(latest) == statement
        ):
            continue
        proposal = create_proposal(
            key,
            statement,
            Proposal.Source.EARLIER_DECISION,
            label,
            f"triage.decision/{decision.pk}",
            decision,
        )
        if proposal is not None:
            made.append(proposal)
    return made


def offer_earlier_decisions(version: Any) -> list[Proposal]:
    """For a version's open findings, propose the effective decisions made elsewhere."""
    made: list[Proposal] = []
    with transaction.atomic():
        for key in open_finding_keys(version):
            if current_decision(key) is not None:
                continue
            earlier = effective_elsewhere(key)
            if earlier is None:
                continue
            statement = statement_of(earlier)
            label = f"Decision on {earlier.version} ({earlier.created_at:%Y-%m-%d})"
            proposal = create_proposal(
                key,
                statement,
                Proposal.Source.EARLIER_DECISION,
                label,
                f"triage.decision/{earlier.pk}",
                earlier,
            )
            if proposal is not None:
                made.append(proposal)
    return made
