"""The states of a case and the moves between them (ISO/IEC 30111 phases, simplified).

received → acknowledged → triaged (with an outcome) → remediation → disclosed → closed.
Only a valid report goes to remediation; a duplicate, a non-vulnerability or
an out-of-scope report closes after triage.
"""

from __future__ import annotations

from medvigil.disclosure.cases.models import CaseState, TriageOutcome

NEXT_STATES: dict[str, tuple[str, ...]] = {
    CaseState.RECEIVED: (CaseState.ACKNOWLEDGED,),
    CaseState.ACKNOWLEDGED: (CaseState.TRIAGED,),
    CaseState.TRIAGED: (CaseState.REMEDIATION, CaseState.CLOSED),
    CaseState.REMEDIATION: (CaseState.DISCLOSED, CaseState.CLOSED),
    CaseState.DISCLOSED: (CaseState.CLOSED,),
    CaseState.CLOSED: (),
}
DATE_FIELD = {
    CaseState.ACKNOWLEDGED: "acknowledged_at",
    CaseState.TRIAGED: "triaged_at",
    CaseState.REMEDIATION: "remediation_at",
    CaseState.DISCLOSED: "disclosed_at",
    CaseState.CLOSED: "closed_at",
}
OPEN_STATES = frozenset(set(CaseState.values) - {CaseState.CLOSED})


def next_states(state: str) -> tuple[str, ...]:
    return NEXT_STATES.get(state, ())


def refusal(state: str, target: str, outcome: str, current_outcome: str) -> str | None:
    """Why the move is not allowed, or None when it is."""
    if target not in next_states(state):
        allowed = ", ".join(next_states(state)) or "none (the case is closed)"
        return f"A {state} case cannot move to {target}; allowed: {allowed}."
    if target == CaseState.TRIAGED and outcome not in TriageOutcome.values:
        return "Triage needs an outcome: " + ", ".join(TriageOutcome.values) + "."
    if target != CaseState.TRIAGED and outcome:
        return "Only triage sets an outcome."
    if target == CaseState.REMEDIATION and current_outcome != TriageOutcome.VALID:
        return "Only a case triaged as a valid vulnerability goes to remediation."
    return None
