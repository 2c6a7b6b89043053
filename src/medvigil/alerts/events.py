"""Turning what happened into alert events, each once, by a key.

The audit trail records every write with its action; `events_from_audit`
reads the events after a stored cursor and keeps the ones a subscriber may
want. State scans (KEV, EPSS, changed advisories, clocks) add events keyed
by what crossed which line, so noticing the same thing twice adds nothing.

A supplier document arriving is either a supplier VEX document imported for a
version (`vex.imported`) or what the supplier intake records under
`SUPPLIER_DOCUMENT_ACTION` for a supplier's SBOM, VEX or advisory; the event's
object and `details["version"]` or `details["product"]` say what it is about.
Other code may also call `raise_event` directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q

from medvigil.alerts.models import AlertEvent, EventKind, Subscription
from medvigil.audit.models import AuditEvent
from medvigil.disclosure.models import Case
from medvigil.portfolio.models import ProductVersion
from medvigil.triage.models import Assessment
from medvigil.triage.notifications import due_items
from medvigil.vulns.models import Advisory, EpssScore, Finding, KevEntry

FINDING_OPENED = "vulns.finding.opened"
FINDING_REOPENED = "vulns.finding.reopened"
# Matching audits each chunk as one event; its groups name the findings opened and reopened.
FINDINGS_MATCHED = "vulns.findings.matched"
KEV_IMPORTED = "vulns.kev.imported"
EPSS_IMPORTED = "vulns.epss.imported"
ADVISORIES_IMPORTED = "vulns.advisories.imported"
CASE_RECEIVED = "disclosure-case-received"
SUPPLIER_DOCUMENT_ACTION = "suppliers.document-received"
SUPPLIER_VEX_IMPORTED = "vex.imported"
WATCHED_ACTIONS = (
    FINDING_OPENED,
    FINDING_REOPENED,
    FINDINGS_MATCHED,
    KEV_IMPORTED,
    EPSS_IMPORTED,
    ADVISORIES_IMPORTED,
    CASE_RECEIVED,
    SUPPLIER_DOCUMENT_ACTION,
    SUPPLIER_VEX_IMPORTED,
)
# An advisories batch is saved just before its audit event: look that far back for its rows.
ADVISORY_WINDOW = timedelta(minutes=30)
# Created and updated in one save are microseconds apart: a new advisory, not a change.
SAME_SAVE = timedelta(seconds=1)
RANKS = {"critical": 4, "high": 3, "medium": 2, "low": 1}


def rank(level: str) -> int:
    return RANKS.get(level, 0)


@dataclass
class Draft:
    """An event about to be stored (unique by `key`)."""

    key: str
    kind: str
    occurred_at: datetime
    title: str
    object_type: str
    object_id: str
    version_id: int | None = None
    product_id: int | None = None
    severity: str = ""
    priority: str = ""
    threshold: float | None = None
    details: dict[str, Any] = field(default_factory=dict)
    audit_sequence: int | None = None

    def row(self) -> AlertEvent:
        return AlertEvent(
            key=self.key[:200],
            kind=self.kind,
            occurred_at=self.occurred_at,
            title=self.title[:300],
            object_type=self.object_type,
            object_id=self.object_id,
            version_id=self.version_id,
            product_id=self.product_id,
            severity=self.severity,
            priority=self.priority,
            threshold=self.threshold,
            details=self.details,
            audit_sequence=self.audit_sequence,
        )


def store(drafts: Iterable[Draft]) -> int:
    """Insert the drafts; one already stored (same key) is left alone. How many were offered."""
    rows = [draft.row() for draft in drafts]
    AlertEvent.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)


def raise_event(draft: Draft) -> None:
    """For code that knows of an event first-hand (e.g. the supplier intake)."""
    store([draft])


def finding_rows(ids: Iterable[int]) -> dict[int, Finding]:
    rows = Finding.objects.select_related("vulnerability", "version__product")
    found: dict[int, Finding] = {}
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), 2000):
        found.update(rows.in_bulk(wanted[start : start + 2000]))
    return found


def priorities(findings: Iterable[Finding]) -> dict[int, str]:
    ids = [finding.pk for finding in findings]
    found: dict[int, str] = {}
    for start in range(0, len(ids), 2000):
        rows = Assessment.objects.filter(finding_id__in=ids[start : start + 2000])
        found.update(dict(rows.values_list("finding_id", "priority")))
    return {key: value for key, value in found.items() if key is not None}


def finding_draft(
    finding: Finding, kind: str, key: str, title: str, when: datetime, priority: str = ""
) -> Draft:
    version = finding.version
    return Draft(
        key=key,
        kind=kind,
        occurred_at=when,
        title=f"{title}: {finding.vulnerability.canonical_id} in {finding.component_label} "
        f"({version.product.name} {version.version})",
        object_type="vulns.finding",
        object_id=str(finding.pk),
        version_id=version.pk,
        product_id=version.product_id,
        severity=finding.vulnerability.severity,
        priority=priority,
        details={
            "vulnerability": finding.vulnerability.canonical_id,
            "component": finding.component_label,
            "purl": finding.component_purl,
            "product": version.product.name,
            "version": version.version,
            "score": finding.vulnerability.score,
        },
    )


def opened_findings(events: list[AuditEvent]) -> list[tuple[int, bool, AuditEvent]]:
    """(finding id, reopened, event) for each finding the events opened or reopened."""
    found = []
    for event in events:
        if event.action == FINDINGS_MATCHED:
            for group in event.details.get("groups", ()):
                if group.get("action") in ("opened", "reopened"):
                    reopened = group["action"] == "reopened"
                    found += [(int(pk), reopened, event) for pk in group.get("findings", ())]
        elif event.object_id.isdigit():
            found.append((int(event.object_id), event.action == FINDING_REOPENED, event))
    return found


def new_finding_drafts(opened: list[tuple[int, bool, AuditEvent]]) -> list[Draft]:
    findings = finding_rows(pk for pk, _reopened, _event in opened)
    ranked = priorities(findings.values())
    drafts = []
    for pk, reopened, event in opened:
        finding = findings.get(pk)
        if finding is None:
            continue
        key = f"finding-new:{finding.pk}"
        if reopened:
            key = f"finding-new:{finding.pk}:{event.sequence}"
        draft = finding_draft(
            finding,
            EventKind.FINDING_NEW,
            key,
            "New finding",
            event.occurred_at,
            ranked.get(finding.pk, ""),
        )
        draft.audit_sequence = event.sequence
        drafts.append(draft)
    return drafts


def open_findings(ids: Iterable[int] | None = None) -> Any:
    rows = Finding.objects.filter(state=Finding.State.OPEN)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.select_related("vulnerability", "version__product")


def kev_drafts(when: datetime, finding_ids: Iterable[int] | None = None) -> list[Draft]:
    """Open findings whose vulnerability (or an alias) is in the KEV catalogue."""
    listed = KevEntry.objects.values("cve_id")
    rows = open_findings(finding_ids).filter(
        Q(vulnerability__canonical_id__in=listed) | Q(vulnerability__aliases__identifier__in=listed)
    )
    entries = dict(KevEntry.objects.values_list("cve_id", "date_added"))
    drafts = []
    for finding in rows.distinct():
        draft = finding_draft(
            finding, EventKind.FINDING_KEV, f"kev:{finding.pk}", "In CISA KEV", when
        )
        added = entries.get(finding.vulnerability.canonical_id)
        draft.details["kev_date_added"] = added.isoformat() if added else ""
        drafts.append(draft)
    return drafts


def epss_thresholds() -> list[float]:
    values = Subscription.objects.filter(active=True, epss_threshold__isnull=False)
    return sorted(
        {float(value) for value in values.values_list("epss_threshold", flat=True) if value}
    )


def epss_drafts(when: datetime, finding_ids: Iterable[int] | None = None) -> list[Draft]:
    """Open findings whose EPSS probability is at or above a threshold someone watches."""
    thresholds = epss_thresholds()
    if not thresholds:
        return []
    rows = list(open_findings(finding_ids).filter(vulnerability__canonical_id__startswith="CVE-"))
    scores = dict(
        EpssScore.objects.filter(
            cve_id__in={finding.vulnerability.canonical_id for finding in rows},
            probability__gte=thresholds[0],
        ).values_list("cve_id", "probability")
    )
    drafts = []
    for finding in rows:
        probability = scores.get(finding.vulnerability.canonical_id)
        for threshold in thresholds:
            if probability is None or probability < threshold:
                continue
            draft = finding_draft(
                finding,
                EventKind.EPSS_CROSSED,
                f"epss:{finding.pk}:{threshold}",
                f"EPSS {probability:.3f} ≥ {threshold:g}",
                when,
            )
            draft.threshold = threshold
            draft.details["epss"] = probability
            drafts.append(draft)
    return drafts


def advisory_drafts(event: AuditEvent) -> list[Draft]:
    """Open findings of the vulnerabilities whose advisories this batch changed or withdrew."""
    changed = Advisory.objects.filter(
        updated_at__gte=event.occurred_at - ADVISORY_WINDOW,
        updated_at__lte=event.occurred_at,
        vulnerability__isnull=False,
    ).values_list(
        "pk",
        "identifier",
        "vulnerability_id",
        "withdrawn",
        "content_hash",
        "imported_at",
        "updated_at",
    )
    by_vulnerability: dict[int, list[tuple[int, str, bool, str]]] = {}
    for pk, identifier, vulnerability_id, withdrawn, content_hash, imported, updated in changed:
        if withdrawn is None and updated - imported < SAME_SAVE:
            continue
        by_vulnerability.setdefault(vulnerability_id, []).append(
            (pk, identifier, withdrawn is not None, content_hash)
        )
    drafts = []
    rows = open_findings().filter(vulnerability_id__in=list(by_vulnerability))
    for finding in rows:
        for pk, identifier, gone, content_hash in by_vulnerability[finding.vulnerability_id]:
            what = "Advisory withdrawn" if gone else "Advisory changed"
            draft = finding_draft(
                finding,
                EventKind.ADVISORY_CHANGED,
                f"advisory:{finding.pk}:{pk}:{content_hash[:16]}",
                f"{what} ({identifier})",
                event.occurred_at,
            )
            draft.details.update({"advisory": identifier, "withdrawn": gone})
            draft.audit_sequence = event.sequence
            drafts.append(draft)
    return drafts


def case_drafts(events: list[AuditEvent]) -> list[Draft]:
    ids = [int(event.object_id) for event in events if event.object_id.isdigit()]
    cases = Case.objects.select_related("product").in_bulk(ids)
    drafts = []
    for event in events:
        case = cases.get(int(event.object_id)) if event.object_id.isdigit() else None
        if case is None:
            continue
        about = case.product.name if case.product else (case.product_text or "no product named")
        drafts.append(
            Draft(
                key=f"disclosure-report:{case.pk}",
                kind=EventKind.DISCLOSURE_REPORT,
                occurred_at=event.occurred_at,
                title=f"New disclosure report {case.number} ({about})",
                object_type="disclosure.case",
                object_id=str(case.pk),
                product_id=case.product_id,
                details={"case": case.number, "product": about},
                audit_sequence=event.sequence,
            )
        )
    return drafts


def supplier_drafts(events: list[AuditEvent]) -> list[Draft]:
    """Documents from suppliers, as the supplier intake records them (see the module doc)."""
    version_ids = [event.details.get("version") for event in events]
    versions = ProductVersion.objects.select_related("product").in_bulk(
        [value for value in version_ids if isinstance(value, int)]
    )
    drafts = []
    for event in events:
        wanted = event.details.get("version")
        version = versions.get(wanted) if isinstance(wanted, int) else None
        product = event.details.get("product")
        drafts.append(
            Draft(
                key=f"supplier-document:{event.sequence}",
                kind=EventKind.SUPPLIER_DOCUMENT,
                occurred_at=event.occurred_at,
                title=f"Supplier document: {event.object_label or event.object_type}",
                object_type=event.object_type,
                object_id=event.object_id,
                version_id=version.pk if version else None,
                product_id=version.product_id
                if version
                else (product if isinstance(product, int) else None),
                details={key: value for key, value in event.details.items() if key != "raw"},
                audit_sequence=event.sequence,
            )
        )
    return drafts


def drafts_from_audit(events: list[AuditEvent]) -> list[Draft]:
    """The alert events that a batch of audit events gives rise to."""
    by_action: dict[str, list[AuditEvent]] = {}
    for event in events:
        by_action.setdefault(event.action, []).append(event)
    opened = opened_findings(
        by_action.get(FINDING_OPENED, [])
        + by_action.get(FINDING_REOPENED, [])
        + by_action.get(FINDINGS_MATCHED, [])
    )
    drafts = new_finding_drafts(opened)
    latest = events[-1].occurred_at if events else None
    if latest is not None and KEV_IMPORTED in by_action:
        drafts += kev_drafts(latest)
    elif latest is not None and opened:
        drafts += kev_drafts(latest, [pk for pk, _reopened, _event in opened])
    if latest is not None and EPSS_IMPORTED in by_action:
        drafts += epss_drafts(latest)
    elif latest is not None and opened:
        drafts += epss_drafts(latest, [pk for pk, _reopened, _event in opened])
    for event in by_action.get(ADVISORIES_IMPORTED, []):
        drafts += advisory_drafts(event)
    drafts += case_drafts(by_action.get(CASE_RECEIVED, []))
    drafts += supplier_drafts(
        by_action.get(SUPPLIER_DOCUMENT_ACTION, []) + by_action.get(SUPPLIER_VEX_IMPORTED, [])
    )
    return drafts


def clock_drafts(now: datetime) -> list[Draft]:
    """Remediation clocks due soon or overdue: once per plan, clock, threshold and due day."""
    drafts = []
    for item in due_items(now):
        plan = item.plan
        version = plan.version
        label = "overdue" if item.threshold == "overdue" else "due soon"
        drafts.append(
            Draft(
                key=f"clock:{plan.pk}:{item.clock}:{item.threshold}:{item.due_at.date()}",
                kind=EventKind.CLOCK_DUE,
                occurred_at=now,
                title=f"{item.label} {label}: {plan.vulnerability.canonical_id} in "
                f"{plan.component_key} ({version.product.name} {version.version})",
                object_type="triage.remediationplan",
                object_id=str(plan.pk),
                version_id=version.pk,
                product_id=version.product_id,
                details={
                    "clock": item.clock,
                    "threshold": item.threshold,
                    "due_at": item.due_at.isoformat(),
                    "vulnerability": plan.vulnerability.canonical_id,
                    "product": version.product.name,
                    "version": version.version,
                },
            )
        )
    return drafts
