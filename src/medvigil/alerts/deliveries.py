"""Sending deliveries: each claimed by one worker, every attempt recorded, failures retried.

A worker claims a delivery with a compare-and-set UPDATE (its state as read
→ `sending`); of two workers, one wins and sends, the other skips. A failure
stores the error and the next attempt 1, 2, 4 … minutes later, until
`ALERTS_MAX_ATTEMPTS`, then `gave-up`. A delivery left `sending` by a worker
that died is retried after `ALERTS_CLAIM_TIMEOUT_MINUTES` (the only case where
a message may go out twice: the receiver got it, the worker died before
recording so).

Digest deliveries wait as `held` until their `next_attempt_at` (the next
`ALERTS_DIGEST_HOUR`), then go out as one message per address or webhook.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from medvigil.alerts import channels
from medvigil.alerts.models import AlertEvent, Delivery
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


def claim(rows: Sequence[tuple[int, str]], now: datetime) -> list[int]:
    """The ids this worker won: each row moves from the state it was read in to `sending`."""
    won = []
    for pk, state in rows:
        if Delivery.objects.filter(pk=pk, state=state).update(
            state=Delivery.State.SENDING, claimed_at=now
        ):
            won.append(pk)
    return won


def send(delivery: Delivery, events: Sequence[AlertEvent], digest: bool) -> None:
    if delivery.channel == Delivery.Channel.EMAIL:
        address = delivery.recipient.email if delivery.recipient else ""
        if not address:
            raise ValueError("The recipient has no email address.")
        channels.send_email(address, events, digest)
        return
    if delivery.webhook is None:
        raise ValueError("The webhook was removed.")
    channels.post(delivery.webhook, channels.webhook_body(delivery.webhook, events, digest))


def settle(ids: list[int], error: str, attempts: int, now: datetime, *, held: bool) -> str:
    """Record the outcome of one attempt on every row it covered."""
    if not error:
        Delivery.objects.filter(pk__in=ids).update(
            state=Delivery.State.SENT, sent_at=now, last_error="", attempts=attempts
        )
        return Delivery.State.SENT
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


def attempt(delivery: Delivery, events: Sequence[AlertEvent], digest: bool) -> str:
    try:
        send(delivery, events, digest)
    except Exception as error:  # every failure is kept on the row and retried
        return f"{type(error).__name__}: {error}"
    return ""


def deliver_due(now: datetime | None = None, limit: int = 500) -> Counter[str]:
    """Send the immediate deliveries that are due; how many ended in each state."""
    moment = now or timezone.now()
    rows = Delivery.objects.filter(due(moment), mode="immediate").order_by("next_attempt_at", "pk")
    candidates = list(rows.values_list("pk", "state")[:limit])
    tally: Counter[str] = Counter()
    won = claim(candidates, moment)
    related = Delivery.objects.select_related("event", "recipient", "webhook")
    for delivery in related.filter(pk__in=won).order_by("pk"):
        error = attempt(delivery, [delivery.event], digest=False)
        tally[settle([delivery.pk], error, delivery.attempts + 1, moment, held=False)] += 1
    if tally:
        with acting_as(TASK_ACTOR):
            record("alerts.delivered", ("alerts.delivery", ""), details=dict(tally))
    return tally


def send_digests(now: datetime | None = None, *, force: bool = False) -> Counter[str]:
    """Send the held deliveries as one message per address or webhook (all of them: `force`)."""
    moment = now or timezone.now()
    held = Delivery.objects.filter(state=Delivery.State.HELD)
    if not force:
        held = held.filter(next_attempt_at__lte=moment)
    stale = moment - timedelta(minutes=settings.ALERTS_CLAIM_TIMEOUT_MINUTES)
    stuck = Q(state=Delivery.State.SENDING, claimed_at__lt=stale, mode="digest")
    candidates = list(
        (held | Delivery.objects.filter(stuck)).values_list("pk", "state").order_by("pk")
    )
    won = claim(candidates, moment)
    groups: dict[tuple[str, str], list[Delivery]] = defaultdict(list)
    related = Delivery.objects.select_related("event", "recipient", "webhook")
    for delivery in related.filter(pk__in=won).order_by("event__occurred_at", "pk"):
        groups[(delivery.channel, delivery.target)].append(delivery)
    tally: Counter[str] = Counter()
    for group in groups.values():
        error = attempt(group[0], [row.event for row in group], digest=True)
        attempts = max(row.attempts for row in group) + 1
        state = settle([row.pk for row in group], error, attempts, moment, held=True)
        tally[state] += len(group)
        tally["messages"] += 1
    if tally:
        with acting_as(TASK_ACTOR):
            record("alerts.digest-sent", ("alerts.delivery", ""), details=dict(tally))
    return tally
