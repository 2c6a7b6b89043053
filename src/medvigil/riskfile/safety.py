"""The link to the ISO 14971 safety risk file: CSV import, two-way links, review flags.

A change on either side flags the other for review: a changed security risk
flags its linked safety entries, a changed (re-imported) safety entry flags
its linked security risks. A reviewer clears a flag with `mark_reviewed`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from medvigil.audit.services import record
from medvigil.core.risk import SEVERITY
from medvigil.platform.refusals import FieldError, Kind, Refusal
from medvigil.portfolio.models import ProductVersion
from medvigil.riskfile.models import SafetyRiskEntry, SecurityRisk
from medvigil.riskfile.validation import refused_input

COLUMNS = ("id", "hazard", "hazardous_situation", "harm")
CONTENT = ("hazard", "hazardous_situation", "harm", "severity")


def read_csv(content: bytes) -> list[dict[str, str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise refused_input("The safety risk file is not UTF-8 text.") from error
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise refused_input(
            f"The CSV needs the columns {', '.join(COLUMNS)} (and optionally severity); "
            f"missing: {', '.join(missing)}."
        )
    rows, problems, seen = [], [], set()
    try:
        for number, raw in enumerate(reader, start=2):
            row = {key.strip(): (value or "").strip() for key, value in raw.items() if key}
            if not row.get("id"):
                problems.append(f"line {number}: the id is empty")
            elif row["id"] in seen:
                problems.append(f"line {number}: id {row['id']!r} appears twice")
            severity = row.get("severity", "").lower()
            if severity and severity not in SEVERITY:
                problems.append(
                    f"line {number}: severity {severity!r} is not one of {', '.join(SEVERITY)}"
                )
            seen.add(row.get("id", ""))
            rows.append({**row, "severity": severity})
    except csv.Error as error:
        raise refused_input(f"The CSV cannot be read: {error}") from error
    if problems:
        errors = [FieldError((), problem) for problem in problems]
        raise Refusal("The safety risk file has errors.", Kind.INVALID, errors)
    return rows


@transaction.atomic
def import_safety_entries(
    version: ProductVersion, content: bytes, user: Any = None
) -> dict[str, int]:
    """Create or update entries by id; an entry whose content changed flags its risks."""
    rows = read_csv(content)
    counts = {"created": 0, "changed": 0, "unchanged": 0}
    for row in rows:
        entry = SafetyRiskEntry.objects.filter(version=version, identifier=row["id"]).first()
        values = {key: row.get(key, "") for key in CONTENT}
        if entry is None:
            SafetyRiskEntry.objects.create(version=version, identifier=row["id"], **values)
            counts["created"] += 1
            continue
        changed = [key for key in CONTENT if getattr(entry, key) != values[key]]
        if not changed:
            counts["unchanged"] += 1
            continue
        for key in changed:
            setattr(entry, key, values[key])
        entry.save()
        counts["changed"] += 1
        flag_risks_of(entry, f"Safety entry {entry.identifier} changed: {', '.join(changed)}.")
    record("safety-entries-imported", version, details=counts)
    return counts


def flag_risks_of(entry: SafetyRiskEntry, reason: str) -> None:
    for risk in entry.security_risks.all():  # type: ignore[attr-defined]
        risk.needs_review, risk.review_reason = True, reason
        risk.save(update_fields=["needs_review", "review_reason", "updated_at"])
        record("risk-flagged-for-review", risk, details={"reason": reason})


def flag_entries_of(risk: SecurityRisk, reason: str) -> None:
    for entry in risk.safety_entries.all():
        entry.needs_review, entry.review_reason = True, reason
        entry.save(update_fields=["needs_review", "review_reason", "updated_at"])
        record("safety-entry-flagged-for-review", entry, details={"reason": reason})


@transaction.atomic
def set_links(risk: SecurityRisk, entries: Iterable[SafetyRiskEntry], user: Any = None) -> None:
    chosen = list(entries)
    if any(entry.version_id != risk.version_id for entry in chosen):
        raise refused_input("A risk links only to safety entries of its own version.", "entries")
    before = sorted(risk.safety_entries.values_list("identifier", flat=True))
    risk.safety_entries.set(chosen)
    after = sorted(entry.identifier for entry in chosen)
    record("risk-safety-links-set", risk, changes={"safety_entries": [before, after]})


@transaction.atomic
def mark_reviewed(target: SecurityRisk | SafetyRiskEntry, note: str, user: Any = None) -> None:
    """Clear the review flag after checking the linked record (the note says what was done)."""
    if not note.strip():
        raise refused_input("Say what the review found.", "note")
    reason = target.review_reason
    target.needs_review, target.review_reason = False, ""
    target.save(update_fields=["needs_review", "review_reason", "updated_at"])
    record("review-recorded", target, details={"reason": reason, "note": note})
