"""Sending deliveries: each claimed by one worker, every attempt recorded, failures retried.

A worker claims a batch of deliveries with one conditional UPDATE (still
due → `sending`, with the worker's own token); of two workers, each row goes
to one, the other finds it no longer due. A failure stores the error and the
next attempt 1, 2, 4 … minutes later, until `ALERTS_MAX_ATTEMPTS`, then
`gave-up`. A delivery left `sending` by a worker that died is retried after
`ALERTS_CLAIM_TIMEOUT_MINUTES` (the only case where a message may go out
twice: the receiver got it, the worker died before recording so). Emails of
a batch share one SMTP session.

Digest deliveries wait as `held` until their `next_attempt_at` (the next
`ALERTS_DIGEST_HOUR`), then go out as one message per address or webhook.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import get_connection
from django.db.models import F, Q
from django.utils import timezone

from medvigil.alerts import channels
from medvigil.alerts.models import AlertEvent, Delivery, Mode
from medvigil.audit.context import Actor, acting_as
from medvigil.audit.services import record

TASK_ACTOR = Actor(label="alerts")
RETRYABLE = (Delivery.State.PENDING, Delivery.State.FAILED)


def next_digest_at(now: datetime) -> datetime:
    """The next moment at `ALERTS_DIGEST_HOUR` (UTC) after `now`."""
    moment = datetime.combine(now.date(), time(settings.ALERTS_DIGEST_HOUR), tzinfo=now.tzinfo)
    return moment if moment > now else moment + timedelta(days=1)


def backoff(attempts: int) -> timedelta:
    return timedelta(minutes=2 ** min(attempts - 1, 10))


def due(now: datetime) -> Q:
    stale = now - timedelta(minutes=settings.ALERTS_CLAIM_TIMEOUT_MINUTES)
    return Q(state__in=RETRYABLE, next_attempt_at__lte=now) | Q(
        state=Delivery.State.SENDING, claimed_at__lt=stale
    )


def claim(condition: Q, ids: Sequence[int], now: datetime) -> list[Delivery]:
    """The rows this worker won: one UPDATE moves those still matching to `sending`, with a token.

    Of two workers claiming the same rows, the second UPDATE finds them no
    longer matching `condition` (SQLite serialises writers; PostgreSQL
    re-checks the row after the first commits).
    """
    token = uuid.uuid4().hex
    Delivery.objects.filter(condition, pk__in=list(ids)).update(
        state=Delivery.State.SENDING, claimed_at=now, claim=token
    )
    related = Delivery.objects.select_related("event", "recipient", "webhook")
    return list(related.filter(claim=token, state=Delivery.State.SENDING).order_by("pk"))


def send(delivery: Delivery, events: Sequence[AlertEvent], digest: bool, connection: Any) -> None:
    if delivery.channel == Delivery.Channel.EMAIL:
        address = delivery.recipient.email if delivery.recipient else ""
        if not address:
            raise ValueError("The recipient has no email address.")
        channels.send_email(address, events, digest, connection)
        return
    if delivery.webhook is None:
        raise ValueError("The webhook was removed.")
    channels.post(delivery.webhook, channels.webhook_body(delivery.webhook, events, digest))


def settle_sent(ids: list[int], now: datetime) -> None:
    Delivery.objects.filter(pk__in=ids).update(
        state=Delivery.State.SENT, sent_at=now, last_error="", attempts=F("attempts") + 1
    )


def settle_failed(ids: list[int], error: str, attempts: int, now: datetime, *, held: bool) -> str:
    """Record a failed attempt on every row it covered; retried later, or given up."""
    gave_up = attempts >= settings.ALERTS_MAX_ATTEMPTS
    retry_state = Delivery.State.HELD if held else Delivery.State.FAILED
    state = Delivery.State.GAVE_UP if gave_up else retry_state
    Delivery.objects.filter(pk__in=ids).update(
        state=state,
        last_error=error[:2000],
        attempts=attempts,
        next_attempt_at=now + backoff(attempts),
    )
    return state


def attempt(delivery: Delivery, events: Sequence[AlertEvent], digest: bool, connection: Any) -> str:
    try:
        send(delivery, events, digest, connection)
    except Exception as error:  # every failure is kept on the row and retried
        return f"{type(error).__name__}: {error}"
    return ""


def deliver_due(now: datetime | None = None, limit: int = 500) -> Counter[str]:
    """Send the immediate deliveries that are due, a batch at a time; how many ended how."""
    moment = now or timezone.now()
    condition = due(moment) & Q(mode=Mode.IMMEDIATE)
    tally: Counter[str] = Counter()
    while True:
        rows = Delivery.objects.filter(condition).order_by("next_attempt_at", "pk")
        ids = list(rows.values_list("pk", flat=True)[:limit])
        won = claim(condition, ids, moment) if ids else []
        if not won:
            break
        sent: list[int] = []
        with get_connection() as connection:  # one SMTP session for the batch
            for delivery in won:
                error = attempt(delivery, [delivery.event], False, connection)
                if error:
                    state = settle_failed(
                        [delivery.pk], error, delivery.attempts + 1, moment, held=False
                    )
                    tally[state] += 1
                else:
                    sent.append(delivery.pk)
        settle_sent(sent, moment)
        tally[Delivery.State.SENT] += len(sent)
    if tally:
        with acting_as(TASK_ACTOR):
            record("alerts.delivered", ("alerts.delivery", ""), details=dict(tally))
    return tally


def send_digests(now: datetime | None = None, *, force: bool = False) -> Counter[str]:
    """Send the held deliveries as one message per address or webhook (all of them: `force`)."""
    moment = now or timezone.now()
    stale = moment - timedelta(minutes=settings.ALERTS_CLAIM_TIMEOUT_MINUTES)
    held = Q(state=Delivery.State.HELD)
    if not force:
        held &= Q(next_attempt_at__lte=moment)
    condition = held | Q(state=Delivery.State.SENDING, claimed_at__lt=stale, mode=Mode.DIGEST)
    ids = list(Delivery.objects.filter(condition).values_list("pk", flat=True))
    won = claim(condition, ids, moment) if ids else []
    groups: dict[tuple[str, str], list[Delivery]] = defaultdict(list)
    for delivery in sorted(won, key=lambda row: (row.event.occurred_at, row.pk)):
        groups[(delivery.channel, delivery.target)].append(delivery)
    tally: Counter[str] = Counter()
    with get_connection() as connection:
        for group in groups.values():
            error = attempt(group[0], [row.event for row in group], True, connection)
            ids_of_group = [row.pk for row in group]
            if error:
                attempts = max(row.attempts for row in group) + 1
                state = settle_failed(ids_of_group, error, attempts, moment, held=True)
            else:
                settle_sent(ids_of_group, moment)
                state = Delivery.State.SENT
            tally[state] += len(group)
            tally["messages"] += 1
    if tally:
        with acting_as(TASK_ACTOR):
            record("alerts.digest-sent", ("alerts.delivery", ""), details=dict(tally))
    return tally
