"""What a finding's audit history says happened to it, as its history page and API read it."""

from __future__ import annotations

from typing import Any

from medvigil.audit.models import AuditEvent
from medvigil.audit.selectors import object_events

BATCH = "vulns.findings.matched"


def changes_of(finding_id: int, action: str | None = None) -> list[dict[str, Any]]:
    """The groups of the batch events in the finding's history that name it, oldest first.

    Each group says what happened (`action`), the states before and after,
    and why (`advisories`, `reason`, `closed_because`, `changes`).
    """
    found = []
    events = object_events("vulns.finding", str(finding_id)).order_by("sequence")
    for event in events.filter(action=BATCH):
        for group in event.details["groups"]:
            if finding_id in group["findings"] and action in (None, group["action"]):
                found.append({**group, "event": event})
    return found


def findings_changed(action: str) -> list[int]:
    """Every finding the batch events of the whole trail say `action` happened to."""
    return [
        pk
        for event in AuditEvent.objects.filter(action=BATCH).order_by("sequence")
        for group in event.details["groups"]
        if group["action"] == action
        for pk in group["findings"]
    ]
