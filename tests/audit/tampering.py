"""Helpers for the audit tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

from medvigil.audit import chain, triggers
from medvigil.audit.models import AuditEvent


@contextmanager
def triggers_dropped() -> Iterator[None]:
    """Let a test alter the audit table as an attacker with database access would."""
    with connection.cursor() as cursor:
        for statement in triggers.statements(connection.vendor, create=False):
            cursor.execute(statement)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for statement in triggers.statements(connection.vendor, create=True):
                cursor.execute(statement)


def delete_tail(count: int) -> None:
    """Cut the last `count` events, as an attacker hiding what was just done."""
    with triggers_dropped(), connection.cursor() as cursor:
        last = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True)[0]
        cursor.execute("DELETE FROM audit_auditevent WHERE sequence > %s", [last - count])


def rewrite_and_rehash(sequence: int, **changes: Any) -> None:
    """Change one event and recompute every later hash: the chain verifies again."""
    rows = AuditEvent.objects.order_by("sequence").filter(sequence__gte=sequence)
    events = list(rows.values("pk", "sequence", "previous_hash", *chain.CHAINED_FIELDS))
    previous = events[0]["previous_hash"]
    with triggers_dropped():
        for event in events:
            fields = {**event, **changes} if event["sequence"] == sequence else event
            new_hash = chain.event_hash(previous, fields)
            rewritten = changes if event["sequence"] == sequence else {}
            # The triggers are dropped, so the ORM's update goes through like raw SQL would.
            AuditEvent.objects.filter(pk=event["pk"]).update(
                **rewritten, previous_hash=previous, hash=new_hash
            )
            previous = new_hash
