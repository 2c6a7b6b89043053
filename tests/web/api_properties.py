"""The machinery of the property-based API run (tests/web/test_api_properties.py).

The API is reached in process through Django's WSGI handler, the way Django's
test client does it (the test's database transaction stays open); the database
fingerprint tells whether a refused request changed anything.
"""

from __future__ import annotations

import hashlib
import traceback
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections, connection

# Rows that every authenticated request rewrites: the token's last use.
BOOKKEEPING_COLUMNS = {"accounts_apitoken": {"last_used_at", "last_used_address"}}
# A refusal that must be on record (a failed signature, a rate limit reached) is audited.
REFUSAL_RECORDS = (
    "signature-refused",
    "sign-in-failed",
    "mfa-verification-failed",
    "mfa-enrolment-failed",
    "password-reset-rate-limited",
    "disclosure-rate-limited",
)
AUDIT_TABLE = "audit_auditevent"
# Rate limits count attempts, refused ones included (that is their point).
BOOKKEEPING_TABLES = {"platform_raterecord"}


class InProcessApplication:
    """Django's WSGI handler, with the server errors it swallows kept for the report.

    Like Django's test client, the handler must not close the database
    connection at the start and end of a request: the test's transaction
    (and the rolled-back savepoint around each example) lives on it.
    """

    def __init__(self) -> None:
        self.handler = WSGIHandler()
        self.errors: list[str] = []

    def remember(self, **_: Any) -> None:
        self.errors.append(traceback.format_exc())

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        got_request_exception.connect(self.remember)
        try:
            response = self.handler(environ, start_response)
            content = b"".join(response)
            response.close()  # sends request_finished, as a WSGI server would
            return [content]
        finally:
            got_request_exception.disconnect(self.remember)
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


def project_tables() -> list[tuple[str, list[str]]]:
    """Every table of the installed models, with the columns whose change counts."""
    tables = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        table = model._meta.db_table
        if table in BOOKKEEPING_TABLES:
            continue
        skipped = BOOKKEEPING_COLUMNS.get(table, set())
        columns = [
            field.column
            for field in model._meta.local_concrete_fields
            if field.column not in skipped
        ]
        tables.append((table, columns))
    return sorted(tables)


def fingerprint(tables: list[tuple[str, list[str]]]) -> dict[str, str]:
    """A digest of every row of every table: any insert, update or delete changes it."""
    digests = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, columns in tables:
            names = ", ".join(quote(column) for column in columns)
            query = f"SELECT {names} FROM {quote(table)}"  # noqa: S608 - model metadata
            if table == AUDIT_TABLE:
                marks = ", ".join(["%s"] * len(REFUSAL_RECORDS))
                query += f" WHERE {quote('action')} NOT IN ({marks})"
            cursor.execute(query, REFUSAL_RECORDS if table == AUDIT_TABLE else None)
            rows = "\n".join(sorted(repr(row) for row in cursor.fetchall()))
            digests[table] = hashlib.sha256(rows.encode()).hexdigest()
    return digests


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(table for table in before if before[table] != after.get(table))
