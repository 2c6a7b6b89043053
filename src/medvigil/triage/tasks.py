"""Background work of triage: sending due notices (interactive) and the due check (portfolio)."""

from __future__ import annotations

from typing import Any

from medvigil.audit.context import Actor, acting_as
from medvigil.platform.queues import interactive_task, portfolio_task

TASK_ACTOR = Actor(label="triage notifications")


@interactive_task
def send_notice_task(notice_id: int) -> dict[str, Any]:
    from medvigil.triage.models import DueNotification
    from medvigil.triage.notifications import send_notice

    notice = DueNotification.objects.filter(pk=notice_id).first()
    if notice is None:
        return {"skipped": "notice removed"}
    sent = send_notice(notice)
    return {"notice": sent.pk, "state": sent.state, "error": sent.last_error}


@portfolio_task
def check_due_task() -> dict[str, Any]:
    from medvigil.triage.notifications import check_due

    with acting_as(TASK_ACTOR):
        return {"created": [notice.pk for notice in check_due()]}
