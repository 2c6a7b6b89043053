"""Notices of soon-due and overdue remediation clocks, by email and signed webhook.

`check_due` finds every clock of an open remediation plan that is due within
`TRIAGE_SOON_DUE_DAYS` or overdue, and records one `DueNotification` per
plan, clock, due moment, threshold and channel (a unique row: each threshold
is notified once, even with several workers checking at once). Sending runs
from a task; a failure is recorded on the row and retried by the next check
until `TRIAGE_NOTIFY_MAX_ATTEMPTS`, so a notice is never lost silently.

The webhook body is JSON. `X-Medvigil-Timestamp` carries the Unix time and
`X-Medvigil-Signature` is `sha256=` + hex HMAC-SHA256 of
`<timestamp>.<body>` with `TRIAGE_WEBHOOK_SECRET`; a receiver recomputes it
and rejects old timestamps to stop replays.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from medvigil.audit.context import Actor, acting_as
from medvigil.audit.services import record
from medvigil.platform.queues import interactive_task, portfolio_task
from medvigil.triage.models import DueNotification, RemediationPlan
from medvigil.triage.policies import DECIDING_ROLES

CLOCKS = (
    ("remediation", "due_at", "remediated_at", "Remediation (priority policy)"),
    (
        "fda-communicate",
        "communicate_due_at",
        "communicated_at",
        "Customer communication (FDA 30 days)",
    ),
    (
        "fda-remediate",
        "remediate_due_at",
        "remediated_at",
        "Validated fix distributed (FDA 60 days)",
    ),
)


def soon_window() -> timedelta:
    return timedelta(days=int(getattr(settings, "TRIAGE_SOON_DUE_DAYS", 7)))


def webhook_url() -> str:
    return str(getattr(settings, "TRIAGE_WEBHOOK_URL", "") or "")


def channels() -> list[str]:
    chosen = [DueNotification.Channel.EMAIL.value]
    if webhook_url():
        chosen.append(DueNotification.Channel.WEBHOOK.value)
    return chosen


@dataclass(frozen=True)
class DueItem:
    plan: RemediationPlan
    clock: str
    label: str
    due_at: datetime
    threshold: str


def due_items(now: datetime) -> Iterator[DueItem]:
    """Every open clock of every plan that is soon due or overdue at `now`."""
    horizon = now + soon_window()
    plans = RemediationPlan.objects.select_related("version__product__team", "vulnerability")
    for plan in plans.filter(remediated_at__isnull=True).order_by("id"):
        for clock, due_field, met_field, label in CLOCKS:
            due = getattr(plan, due_field)
            if due is None or getattr(plan, met_field) is not None or due > horizon:
                continue
            threshold = "overdue" if due <= now else "soon_due"
            yield DueItem(plan, clock, label, due, threshold)


def recipients(plan: RemediationPlan) -> list[str]:
    """Deciders in the product's team, and the addresses in `TRIAGE_NOTIFY_EMAILS`."""
    team = plan.version.product.team
    users = (
        get_user_model()
        .objects.filter(
            is_active=True,
            teams=team,
            role_assignments__role__in=[str(role) for role in DECIDING_ROLES],
        )
        .exclude(email="")
    )
    found = {user.email for user in users}
    found.update(getattr(settings, "TRIAGE_NOTIFY_EMAILS", []))
    return sorted(found)


def payload(item: DueItem) -> dict[str, Any]:
    plan = item.plan
    return {
        "event": f"remediation.{item.threshold}",
        "clock": item.clock,
        "clock_label": item.label,
        "due_at": item.due_at.isoformat(),
        "product": plan.version.product.name,
        "version": plan.version.version,
        "version_id": plan.version_id,
        "vulnerability": plan.vulnerability.canonical_id,
        "component": plan.component_key,
        "fix_in_version": plan.fix_in_version,
    }


def check_due(now: datetime | None = None) -> list[DueNotification]:
    """Record the notices newly due and queue them, with the failed ones to retry."""
    moment = now or timezone.now()
    created: list[DueNotification] = []
    for item in due_items(moment):
        for channel in channels():
            lookup = {
                "plan": item.plan,
                "clock": item.clock,
                "due_at": item.due_at,
                "threshold": item.threshold,
                "channel": channel,
            }
            if DueNotification.objects.filter(**lookup).exists():
                continue
            try:
                with transaction.atomic():
                    notice = DueNotification.objects.create(**lookup, payload=payload(item))
                    record(
                        "triage-notice-created",
                        notice.plan,
                        details={
                            "notice": notice.pk,
                            "clock": item.clock,
                            "threshold": item.threshold,
                            "channel": channel,
                        },
                    )
            except IntegrityError:
                continue  # another worker recorded it first
            created.append(notice)
    limit = int(getattr(settings, "TRIAGE_NOTIFY_MAX_ATTEMPTS", 10))
    retry = DueNotification.objects.filter(state=DueNotification.State.FAILED, attempts__lt=limit)
    for notice in [*created, *retry]:
        send_notice_task.enqueue(notice.pk)
    return created


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def post_webhook(body: bytes) -> None:
    url = webhook_url()
    if not url.startswith(("https://", "http://")):
        raise ValueError("TRIAGE_WEBHOOK_URL must be an http(s) address.")
    timestamp = str(int(time.time()))
    secret = str(getattr(settings, "TRIAGE_WEBHOOK_SECRET", "") or "")
    if not secret:
        raise ValueError("TRIAGE_WEBHOOK_SECRET is not set: webhooks are sent signed only.")
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-Medvigil-Timestamp": timestamp,
            "X-Medvigil-Signature": signature(secret, timestamp, body),
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (scheme checked)
        if not 200 <= response.status < 300:
            raise ValueError(f"The webhook answered {response.status}.")


def email_text(data: dict[str, Any]) -> tuple[str, str]:
    when = "is overdue" if data["event"].endswith("overdue") else "is due soon"
    subject = f"[medvigil] {data['vulnerability']} in {data['product']} {data['version']} {when}"
    body = (
        f"{data['clock_label']} {when}: due {data['due_at']}.\n\n"
        f"Product: {data['product']} {data['version']}\n"
        f"Vulnerability: {data['vulnerability']}\nComponent: {data['component']}\n"
        f"Fix planned in: {data['fix_in_version'] or 'not planned yet'}\n"
    )
    return subject, body


def send_notice(notice: DueNotification) -> DueNotification:
    """Send one notice; success or failure is stored on the row (never raised)."""
    if notice.state == DueNotification.State.SENT:
        return notice
    try:
        if notice.channel == DueNotification.Channel.WEBHOOK:
            post_webhook(json.dumps(notice.payload, sort_keys=True).encode())
        else:
            to = recipients(notice.plan)
            if not to:
                raise ValueError("Nobody to notify: no decider of the team has an email address.")
            subject, body = email_text(notice.payload)
            send_mail(subject, body, None, to)
    except Exception as error:  # every failure is kept on the notice and retried
        notice.state, notice.last_error = DueNotification.State.FAILED, str(error)[:2000]
    else:
        notice.state, notice.last_error = DueNotification.State.SENT, ""
        notice.sent_at = timezone.now()
    notice.attempts += 1
    notice.save(update_fields=["state", "last_error", "sent_at", "attempts"])
    return notice


_last_check: dict[str, float] = {}


def check_due_if_time() -> bool:
    """The workers' periodic check: at most every `TRIAGE_NOTIFY_MINUTES` per process."""
    minutes = int(getattr(settings, "TRIAGE_NOTIFY_MINUTES", 60))
    if minutes <= 0:
        return False
    now = time.monotonic()
    if now - _last_check.get("due", -1e12) < minutes * 60:
        return False
    _last_check["due"] = now
    check_due()
    return True


# Background work: sending a notice is interactive, the due check is portfolio work.
TASK_ACTOR = Actor(label="triage notifications")


@interactive_task
def send_notice_task(notice_id: int) -> dict[str, Any]:
    notice = DueNotification.objects.filter(pk=notice_id).first()
    if notice is None:
        return {"skipped": "notice removed"}
    sent = send_notice(notice)
    return {"notice": sent.pk, "state": sent.state, "error": sent.last_error}


@portfolio_task
def check_due_task() -> dict[str, Any]:
    with acting_as(TASK_ACTOR):
        return {"created": [notice.pk for notice in check_due()]}
