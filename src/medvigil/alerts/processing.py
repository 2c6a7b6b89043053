"""The periodic pass: read new audit events, scan clocks, fan out, deliver.

Every worker runs `process` with its heartbeat. Each step is safe when
several workers run it at once:

- the audit cursor moves by compare-and-set in the transaction that stores
  the events it read; a worker that loses the race rolls its work back;
- a worker claims events to fan out (`fanned_out_at` set where still empty)
  in the transaction that inserts their alerts and deliveries;
- the unique keys of events, alerts and deliveries make a repeat harmless;
- deliveries are claimed one by one (see `deliveries`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from medvigil.alerts import deliveries, events
from medvigil.alerts.fanout import fan_out
from medvigil.alerts.models import AlertEvent, Cursor
from medvigil.audit.context import acting_as
from medvigil.audit.models import AuditEvent
from medvigil.audit.services import record

AUDIT_CURSOR = "audit"
CLOCK_CURSOR = "clocks"
CLOCK_SCAN_SECONDS = 3600


class LostRace(Exception):
    """Another worker moved the cursor first: this worker's reading is rolled back."""


@dataclass
class Pass:
    audit_events: int = 0
    events_offered: int = 0
    fanned_out: int = 0
    alerts: int = 0
    deliveries: Counter[str] = field(default_factory=Counter)
    digests: Counter[str] = field(default_factory=Counter)


def cursor(name: str) -> Cursor:
    row = Cursor.objects.filter(name=name).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            # A new installation starts at the head: alerts are about what happens from now on.
            head = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True)
            start = (head.first() or 0) if name == AUDIT_CURSOR else 0
            return Cursor.objects.create(name=name, position=start)
    except IntegrityError:  # another worker created it first
        return Cursor.objects.get(name=name)


def move(row: Cursor, position: int, now: datetime) -> None:
    if not Cursor.objects.filter(pk=row.pk, position=row.position).update(
        position=position, moved_at=now
    ):
        raise LostRace


def read_audit(now: datetime) -> tuple[int, int]:
    """Store the events of the audit events after the cursor; (audit events read, offered)."""
    row = cursor(AUDIT_CURSOR)
    head = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()
    if head is None or head <= row.position:
        return 0, 0
    batch = settings.ALERTS_BATCH_SIZE
    watched = list(
        AuditEvent.objects.filter(
            sequence__gt=row.position, sequence__lte=head, action__in=events.WATCHED_ACTIONS
        ).order_by("sequence")[:batch]
    )
    end = watched[-1].sequence if len(watched) == batch else head
    try:
        with transaction.atomic():
            offered = events.store(events.drafts_from_audit(watched))
            move(row, end, now)
    except LostRace:
        return 0, 0
    return len(watched), offered


def scan_clocks(now: datetime, *, force: bool = False) -> int:
    row = cursor(CLOCK_CURSOR)
    stamp = int(now.timestamp())
    if not force and stamp - row.position < CLOCK_SCAN_SECONDS:
        return 0
    try:
        with transaction.atomic():
            move(row, stamp, now)
            return events.store(events.clock_drafts(now))
    except LostRace:
        return 0


def fan_out_pending(now: datetime) -> tuple[int, int]:
    """Fan out the events not yet fanned out, a batch at a time; (events, alerts offered)."""
    total_events = total_alerts = 0
    while True:
        with transaction.atomic():
            ids = list(
                AlertEvent.objects.filter(fanned_out_at__isnull=True)
                .order_by("pk")
                .values_list("pk", flat=True)[: settings.ALERTS_BATCH_SIZE]
            )
            if not ids:
                return total_events, total_alerts
            AlertEvent.objects.filter(pk__in=ids, fanned_out_at__isnull=True).update(
                fanned_out_at=now
            )
            claimed = list(AlertEvent.objects.filter(pk__in=ids, fanned_out_at=now))
            outcome = fan_out(claimed, now)
        total_events += outcome.events
        total_alerts += outcome.alerts


def process(now: datetime | None = None, *, deliver: bool = True) -> Pass:
    """One full pass (what each worker heartbeat runs)."""
    moment = now or timezone.now()
    result = Pass()
    with acting_as(deliveries.TASK_ACTOR):
        while True:
            read, offered = read_audit(moment)
            result.audit_events += read
            result.events_offered += offered
            if read < settings.ALERTS_BATCH_SIZE:
                break
        result.events_offered += scan_clocks(moment)
        result.fanned_out, result.alerts = fan_out_pending(moment)
        if result.fanned_out:
            record(
                "alerts.fanned-out",
                ("alerts.alertevent", ""),
                details={"events": result.fanned_out, "alerts": result.alerts},
            )
    if deliver:
        result.deliveries = deliveries.deliver_due(moment)
        result.digests = deliveries.send_digests(moment)
    return result
