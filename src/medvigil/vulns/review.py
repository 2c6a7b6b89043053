"""A person's review of a candidate: a CPE criterion that names every version of a product.

Confirming makes it an open finding (the component really is that product,
in an affected version); dismissing closes it with the reviewer's reason.
Either way re-matching respects the review until a bounded advisory names
the component, which makes an ordinary finding again.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from medvigil.audit.services import record
from medvigil.platform.refusals import Kind, Refusal
from medvigil.vulns.models import Finding

DECISIONS = ("confirm", "dismiss")


def review_candidate(finding: Finding, user: Any, decision: str, note: str) -> Finding:
    """Confirm or dismiss a candidate; the caller checked that the user may change it."""
    note = note.strip()
    if decision not in DECISIONS:
        message = f"A review confirms or dismisses, not {decision!r}."
        raise Refusal(message, errors={"decision": message})
    if not note:
        message = "Say why: the note is what the next reader of this finding relies on."
        raise Refusal(message, errors={"note": message})
    with transaction.atomic():
        current = Finding.objects.select_for_update().get(pk=finding.pk)
        if current.state != Finding.State.CANDIDATE:
            raise Refusal(
                f"Only a candidate is reviewed; this finding is {current.get_state_display()}.",
                Kind.CONFLICT,
            )
        now = timezone.now()
        current.review_note, current.reviewed_by, current.reviewed_at = note, user, now
        if decision == "confirm":
            current.state, current.review = Finding.State.OPEN, "confirmed"
        else:
            current.state, current.review = Finding.State.CLOSED, "dismissed"
            current.close_reason, current.closed_at = f"dismissed on review: {note}", now
        current.save(
            update_fields=[
                "state",
                "review",
                "review_note",
                "reviewed_by",
                "reviewed_at",
                "close_reason",
                "closed_at",
            ]
        )
        action = "confirmed" if decision == "confirm" else "dismissed"
        record(
            f"vulns.finding.candidate-{action}",
            current,
            changes={"state": [Finding.State.CANDIDATE, current.state]},
            details={"note": note},
        )
    return current
