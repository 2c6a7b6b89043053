"""Helpers for the audit tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

from medvigil.audit import triggers


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
