"""CSV and JSON exports of the audit trail; every export is itself an audit event.

An exported event carries every chained field plus `previous_hash` and
`hash`, so a reader can recompute the chain of a complete export with the
rules in docs/audit.md.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from medvigil.audit import chain
from medvigil.audit.context import Actor
from medvigil.audit.models import AuditEvent
from medvigil.audit.selectors import EventFilter, events
from medvigil.audit.services import record
from medvigil.platform.json import dumps
from medvigil.platform.refusals import Refusal

FORMATS = ("csv", "json")
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV
# injection"); such a cell, and one starting with the apostrophe itself, gets an
# apostrophe in front, which a reader of the CSV drops to recover the value.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
COLUMNS = (*chain.CHAINED_FIELDS, "previous_hash", "hash")
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


@dataclass(frozen=True)
class Export:
    format: str
    content: str
    count: int

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]

    @property
    def filename(self) -> str:
        return f"medvigil-audit-{timezone.now():%Y%m%dT%H%M%SZ}.{self.format}"


def event_document(event: AuditEvent) -> dict[str, Any]:
    document = {name: getattr(event, name) for name in COLUMNS}
    document["occurred_at"] = chain.canonical_value(event.occurred_at)
    return document


def neutral_cell(value: Any) -> Any:
    """The cell as a spreadsheet shows it as text, never as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def as_csv(documents: Iterable[dict[str, Any]]) -> str:
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for document in documents:
        row = dict(document)
        for name in ("changes", "details"):
            row[name] = json.dumps(row[name], sort_keys=True, ensure_ascii=False)
        writer.writerow({name: neutral_cell(value) for name, value in row.items()})
    return output.getvalue()


def as_json(documents: list[dict[str, Any]], filters: EventFilter) -> str:
    return dumps(
        {
            "exported_at": timezone.now(),
            "filters": filters.as_details(),
            "count": len(documents),
            "events": documents,
        }
    )


def export_events(filters: EventFilter, format_name: str, *, actor: Actor | None = None) -> Export:
    """The filtered events, oldest first, in `format_name`; records "audit-exported".

    The export event is appended after the rows are read, so an export never
    contains its own event.
    """
    if format_name not in FORMATS:
        message = f"Unknown export format {format_name!r}; use csv or json."
        raise Refusal(message, errors={"format": message})
    with transaction.atomic():
        documents = [
            event_document(event) for event in events(filters).order_by("sequence").iterator()
        ]
        content = as_csv(documents) if format_name == "csv" else as_json(documents, filters)
        record(
            "audit-exported",
            ("audit.auditevent", ""),
            details={
                "format": format_name,
                "filters": filters.as_details(),
                "count": len(documents),
            },
            actor=actor,
        )
    return Export(format_name, content, len(documents))
