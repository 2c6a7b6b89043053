"""Applying one chunk's matches to the stored findings: set-based writes, one audit event.

A chunk's findings are read once; what changed is written with one INSERT
per 1,000 new findings, one `UPDATE … FROM (VALUES …)` per 1,000 changed
findings and one `UPDATE … WHERE id IN (…)` per 1,000 findings only seen
again, never one statement per finding. What the chunk changed is audited
as one `vulns.findings.matched` event: its details group the findings by
what happened to them and why (opened by which advisories, closed for which
reason, …), and each finding is linked to the event (`concerning`), so the
history of every finding still answers who or what changed it, when and why.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection
from django.utils import timezone

from medvigil.audit.services import changed_fields, record
from medvigil.vulns.models import Finding
from medvigil.vulns.provenance import reason_to_close
from medvigil.vulns.signals import findings_created

BATCH_ACTION = "vulns.findings.matched"
WRITE_SIZE = 1000
CONFIDENCE_ORDER = {"high": 0, "medium": 1, "low": 2}
LIVE_STATES = (Finding.State.OPEN, Finding.State.CANDIDATE)
EXISTING_FIELDS = (
    "pk",
    "vulnerability_id",
    "component_id",
    "state",
    "review",
    "close_reason",
    "provenance",
    "method",
    "confidence",
)
# Written for a changed finding, besides `last_seen` (the run's moment for every row).
CHANGED_FIELDS = ("state", "close_reason", "closed_at", "provenance", "method", "confidence")


@dataclass
class Existing:
    """A stored finding as reconciliation needs it (read with `values_list`, not as a model)."""

    pk: int
    vulnerability_id: int
    component_id: int
    state: str
    review: str
    close_reason: str
    provenance: list[dict[str, Any]]
    method: str
    confidence: str
    closed_at: datetime | None = None


@dataclass
class Batch:
    """What one chunk changed, grouped by what happened and why: one audit event's details."""

    groups: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, action: str, finding: int, state: list[Any], **why: Any) -> None:
        key = json.dumps([action, state, why], sort_keys=True, default=str)
        group = self.groups.setdefault(key, {"action": action, "state": state, **why})
        group.setdefault("findings", []).append(finding)

    def details(self, scope: str) -> dict[str, Any]:
        counts: dict[str, int] = {}
        for group in self.groups.values():
            counts[group["action"]] = counts.get(group["action"], 0) + len(group["findings"])
        return {"scope": scope, "counts": counts, "groups": list(self.groups.values())}

    def findings(self) -> Iterator[int]:
        for group in self.groups.values():
            yield from group["findings"]


def summary(entries: list[dict[str, Any]], method: str, confidence: str) -> dict[str, Any]:
    """What a provenance change is audited as: the advisories, their ranges, and how."""
    return {
        "advisories": [entry["advisory"] for entry in entries],
        "matched": [f"{entry['advisory']}: {entry['matched']}" for entry in entries],
        "fixed": sorted({version for entry in entries for version in entry.get("fixed", ())}),
        "method": method,
        "confidence": confidence,
    }


def best_of(found: list[dict[str, Any]], candidate_rules: tuple[str, ...]) -> tuple[str, Any]:
    """The state the matches call for, the entries kept and the best of them."""
    bounded = [entry for entry in found if entry["rule"] not in candidate_rules]
    target = Finding.State.OPEN if bounded else Finding.State.CANDIDATE
    entries = bounded or found
    entries.sort(key=lambda item: (item["advisory"], item["source"], item["package"]))
    best = min(
        entries,
        key=lambda item: (item["method"] != "purl", CONFIDENCE_ORDER.get(item["confidence"], 3)),
    )
    return target, (entries, best)


class Reconciler:
    """Reconciles one chunk; `report` is the run's `MatchReport` (counts added to it)."""

    def __init__(
        self,
        scope: str,
        report: Any,
        descriptions: dict[int, tuple[str, str, str, str]],
        withdrawn_reason: Callable[[list[dict[str, Any]]], str],
        candidate_rules: tuple[str, ...],
    ) -> None:
        self.scope = scope
        self.report = report
        self.descriptions = descriptions
        self.withdrawn_reason = withdrawn_reason
        self.candidate_rules = candidate_rules
        self.batch = Batch()
        self.created: list[Finding] = []
        self.changed: list[Existing] = []
        self.seen: list[int] = []

    def run(
        self,
        component_ids: list[int],
        owners: dict[int, int],
        wanted: dict[tuple[int, int], list[dict[str, Any]]],
    ) -> None:
        now = timezone.now()
        existing = {
            (row.vulnerability_id, row.component_id): row
            for row in (
                Existing(*values)
                for values in Finding.objects.filter(component_id__in=component_ids)
                .order_by()
                .values_list(*EXISTING_FIELDS)
            )
        }
        for key, found in wanted.items():
            target, (entries, best) = best_of(found, self.candidate_rules)
            finding = existing.get(key)
            if finding is None:
                self.create(key, owners, target, entries, best, now)
            else:
                self.update(finding, target, entries, best)
        reasons: dict[tuple[int, frozenset[str]], str] = {}
        for key, finding in existing.items():
            if key not in wanted and finding.state in LIVE_STATES:
                self.close(finding, reasons, now)
        self.write(now)

    def create(
        self,
        key: tuple[int, int],
        owners: dict[int, int],
        target: str,
        entries: list[dict[str, Any]],
        best: dict[str, Any],
        now: datetime,
    ) -> None:
        vulnerability_id, component_id = key
        name, version, purl, cpe = self.descriptions[component_id]
        self.created.append(
            Finding(
                vulnerability_id=vulnerability_id,
                component_id=component_id,
                component_name=name,
                component_version=version,
                component_purl=purl,
                component_cpe=cpe,
                state=target,
                version_id=owners[component_id],
                provenance=entries,
                method=best["method"],
                confidence=best["confidence"],
                first_seen=now,
                last_seen=now,
            )
        )

    def update(
        self, finding: Existing, target: str, entries: list[dict[str, Any]], best: dict[str, Any]
    ) -> None:
        before = finding.state
        if target == Finding.State.CANDIDATE and finding.review == "confirmed":
            target = Finding.State.OPEN
        elif target == Finding.State.CANDIDATE and finding.review == "dismissed":
            target = Finding.State.CLOSED
        if target == Finding.State.CLOSED:
            # Dismissed on review: stays closed with the reviewer's reason.
            self.seen.append(finding.pk)
            self.report.unchanged += 1
            return
        if before != target:
            reason = finding.close_reason
            finding.state, finding.close_reason, finding.closed_at = target, "", None
            finding.provenance, finding.method = entries, best["method"]
            finding.confidence = best["confidence"]
            self.changed.append(finding)
            reopened = before == Finding.State.CLOSED
            self.report.reopened += reopened
            self.report.updated += not reopened
            why = {"closed_because": reason} if reason else {}
            action = "reopened" if reopened else "state-changed"
            self.batch.add(action, finding.pk, [before, target], **why)
        elif finding.provenance != entries:
            previous = summary(finding.provenance, finding.method, finding.confidence)
            finding.provenance, finding.method = entries, best["method"]
            finding.confidence = best["confidence"]
            self.changed.append(finding)
            self.report.updated += 1
            changes = changed_fields(previous, summary(entries, finding.method, finding.confidence))
            self.batch.add(
                "provenance-changed",
                finding.pk,
                [before, before],
                changes=changes or {"explanation": ["reworded", "reworded"]},
            )
        else:
            self.seen.append(finding.pk)
            self.report.unchanged += 1

    def close(
        self, finding: Existing, reasons: dict[tuple[int, frozenset[str]], str], now: datetime
    ) -> None:
        before = finding.state
        finding.state, finding.closed_at = Finding.State.CLOSED, now
        withdrawn = self.withdrawn_reason(finding.provenance)
        if withdrawn:
            finding.close_reason = withdrawn
        else:
            cause = (
                finding.vulnerability_id,
                frozenset(entry["advisory"] for entry in finding.provenance),
            )
            if cause not in reasons:
                reasons[cause] = reason_to_close(finding.vulnerability_id, finding.provenance)
            finding.close_reason = reasons[cause]
        self.changed.append(finding)
        self.report.closed += 1
        self.batch.add("closed", finding.pk, [before, "closed"], reason=finding.close_reason)

    def write(self, now: datetime) -> None:
        Finding.objects.bulk_create(self.created, batch_size=WRITE_SIZE)
        findings_created.send(sender=Finding, findings=self.created)
        for finding in self.created:
            candidate = finding.state == Finding.State.CANDIDATE
            self.report.candidates += candidate
            self.report.opened += not candidate
            self.batch.add(
                "candidate" if candidate else "opened",
                finding.pk,
                [None, finding.state],
                advisories=[entry["advisory"] for entry in finding.provenance],
            )
        for start in range(0, len(self.changed), WRITE_SIZE):
            update_rows(self.changed[start : start + WRITE_SIZE], now)
        # Findings only seen again get the time of this run: one UPDATE per 1,000.
        for start in range(0, len(self.seen), WRITE_SIZE):
            Finding.objects.filter(pk__in=self.seen[start : start + WRITE_SIZE]).update(
                last_seen=now
            )
        if self.batch.groups:
            # Last in the transaction: the audit chain's lock is held only until the commit.
            record(
                BATCH_ACTION,
                ("vulns.finding", ""),
                details=self.batch.details(self.scope),
                concerning=[("vulns.finding", str(pk)) for pk in self.batch.findings()],
            )


def update_rows(rows: list[Existing], now: datetime) -> None:
    """One `UPDATE … FROM (VALUES …)` for many findings, each with its own values."""
    fields = [column for column in Finding._meta.concrete_fields if column.name in CHANGED_FIELDS]
    fields.sort(key=lambda column: CHANGED_FIELDS.index(column.name))
    row_markers = "(" + ", ".join(["%s"] * (len(fields) + 1)) + ")"  # id, then each field
    parameters: list[Any] = []
    for row in rows:
        parameters.append(row.pk)
        for model_field in fields:
            parameters.append(
                model_field.get_db_prep_save(getattr(row, model_field.name), connection)
            )
    values = ", ".join([row_markers] * len(rows))
    columns = ", ".join(["id", *CHANGED_FIELDS])
    table = Finding._meta.db_table
    if connection.vendor == "postgresql":
        casts = {"closed_at": "::timestamptz", "provenance": "::jsonb"}
        assignments = ", ".join(
            f"{name} = source.{name}{casts.get(name, '')}" for name in CHANGED_FIELDS
        )
        source = f"(VALUES {values}) AS source ({columns})"
    else:
        assignments = ", ".join(f"{name} = source.{name}" for name in CHANGED_FIELDS)
        renamed = ", ".join(
            f"column{position + 1} AS {name}"
            for position, name in enumerate(["id", *CHANGED_FIELDS])
        )
        source = f"(SELECT {renamed} FROM (VALUES {values})) AS source"  # noqa: S608 - our names
    statement = (
        f"UPDATE {table} SET {assignments}, last_seen = %s "  # noqa: S608 - names are ours
        f"FROM {source} WHERE {table}.id = source.id"
    )
    [seen] = [column for column in Finding._meta.concrete_fields if column.name == "last_seen"]
    last_seen = seen.get_db_prep_save(now, connection)
    with connection.cursor() as cursor:
        cursor.execute(statement, [last_seen, *parameters])
