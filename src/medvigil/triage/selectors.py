"""Reads of triage for views, the API, VEX exports and reports.

`version_statements(version)` is the one answer to "what do we say about
each finding of this version": the effective decision (signed where the
version is released), its scores and its remediation plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet

from medvigil.portfolio.models import ProductVersion
from medvigil.triage.keys import FindingKey, key_of
from medvigil.triage.models import Assessment, Decision, Proposal, RemediationPlan, Status
from medvigil.vulns.models import Finding

# What a statement does not need of a finding and its component (JSON read for nothing).
UNUSED = (
    "provenance",
    "component__hashes",
    "component__licenses",
    "component__properties",
    "component__warnings",
    "vulnerability__summary",
)


def open_findings(version: ProductVersion) -> QuerySet[Finding]:
    return (
        Finding.objects.filter(version=version, state=Finding.State.OPEN)
        .select_related("vulnerability", "component")
        .defer(*UNUSED)
        .order_by("vulnerability__canonical_id", "id")
    )


def open_finding_keys(version: ProductVersion) -> Iterator[FindingKey]:
    for finding in open_findings(version):
        finding.version = version  # the one instance, not one query per finding
        yield key_of(finding)


def key_tuple(row: Any) -> tuple[int, int, str]:
    return (row.version_id, row.vulnerability_id, row.component_key)


def decisions_by_key(
    version: ProductVersion, scope: dict[str, Any] | None = None
) -> dict[tuple[int, int, str], list[Decision]]:
    """Every decision of the version (within `scope`), newest first, grouped by key."""
    grouped: dict[tuple[int, int, str], list[Decision]] = {}
    rows = Decision.objects.filter(version=version, **(scope or {}))
    for decision in rows.order_by("-created_at", "-id"):
        grouped.setdefault(key_tuple(decision), []).append(decision)
    return grouped


def effective_of(history: Iterable[Decision]) -> Decision | None:
    """The newest decision that needs no approval or has it."""
    return next((decision for decision in history if not decision.pending_approval), None)


def pending_of(history: list[Decision]) -> Decision | None:
    """The newest decision when it waits for approval."""
    return history[0] if history and history[0].pending_approval else None


def history(key: FindingKey) -> list[Decision]:
    return list(
        Decision.objects.filter(**key.lookup())
        .select_related("created_by", "approved_by")
        .order_by("-created_at", "-id")
    )


def effective_decision(key: FindingKey) -> Decision | None:
    return effective_of(history(key))


def findings_with_same_component(decision: Decision) -> list[FindingKey]:
    """Open findings of other versions with the same vulnerability and component version."""
    rows = (
        Finding.objects.filter(vulnerability_id=decision.vulnerability_id, state=Finding.State.OPEN)
        .exclude(version_id=decision.version_id)
        .select_related("vulnerability", "component", "version__product")
    )
    return [key for key in map(key_of, rows) if key.component_key == decision.component_key]


def effective_elsewhere(key: FindingKey) -> Decision | None:
    """The newest effective decision on the same component version in another version."""
    rows = (
        Decision.objects.filter(vulnerability=key.vulnerability, component_key=key.component_key)
        .exclude(version=key.version)
        .select_related("version__product")
        .order_by("-created_at", "-id")
    )
    return effective_of(rows)


def open_proposals(key: FindingKey) -> list[Proposal]:
    return list(Proposal.objects.filter(**key.lookup(), state=Proposal.State.OPEN))


@dataclass(frozen=True)
class ScoresSummary:
    cvss3_vector: str
    cvss3_base: float | None
    cvss3_environmental: float | None
    cvss4_vector: str
    cvss4_base: float | None
    rubric_vector: str
    rubric_score: float | None
    epss_probability: float | None
    epss_percentile: float | None
    kev_listed: bool
    kev_date_added: date | None
    kev_due_date: date | None
    exploit_maturity: str
    ssvc_outcome: str
    ssvc_vector: str
    harm_severity: str
    patients_exposed: int | None
    control_status: str
    control_rationale: str
    priority: str


@dataclass(frozen=True)
class PlanSummary:
    fix_in_version: str
    compensating_controls: str
    customer_communication: str
    due_at: datetime | None
    communicate_due_at: datetime | None
    remediate_due_at: datetime | None
    communicated_at: datetime | None
    remediated_at: datetime | None


@dataclass(frozen=True)
class VersionStatement:
    """What the manufacturer states about one finding of a version."""

    finding_id: int
    vulnerability_id: str
    aliases: list[str]
    component_name: str
    component_version: str
    component_purl: str
    component_key: str
    status: str
    justification: str
    impact_statement: str
    action_statement: str
    fixed_in_version: str
    decided_at: datetime | None
    approved_at: datetime | None
    first_seen: datetime
    pending_approval: bool
    decision_id: int | None
    scores: ScoresSummary | None
    plan: PlanSummary | None
    open_proposals: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


KEY_FIELDS = ("version_id", "vulnerability_id", "component_key")


def rows_by_key(
    model: Any, version: ProductVersion, fields: Iterable[str], scope: dict[str, Any] | None = None
) -> dict[Any, Any]:
    """The version's rows of `model` as dicts of `fields`, by key (no model instances: faster)."""
    rows = model.objects.filter(version=version, **(scope or {})).values(*KEY_FIELDS, *fields)
    return {tuple(row[name] for name in KEY_FIELDS): row for row in rows}


def scores_summary(values: Any) -> ScoresSummary | None:
    if values is None:
        return None
    return ScoresSummary(**{name: values[name] for name in ScoresSummary.__dataclass_fields__})


def plan_summary(values: Any) -> PlanSummary | None:
    if values is None:
        return None
    return PlanSummary(**{name: values[name] for name in PlanSummary.__dataclass_fields__})


def version_statements(
    version: ProductVersion, findings: Iterable[Finding] | None = None
) -> list[VersionStatement]:
    """Per open finding of `version` (or of `findings`, one page of them): the effective
    decision, scores and plan.

    A finding with no effective decision is under investigation (its newest
    decision, when waiting for approval, is reported by `pending_approval`).
    The caller checks that the reader may see the version.
    """
    rows = list(open_findings(version) if findings is None else findings)
    # One page reads only the records of its own vulnerabilities: a constant number of queries.
    scope = (
        {} if findings is None else {"vulnerability_id__in": {row.vulnerability_id for row in rows}}
    )
    decisions = decisions_by_key(version, scope)
    assessments = rows_by_key(Assessment, version, ScoresSummary.__dataclass_fields__, scope)
    plans = rows_by_key(RemediationPlan, version, PlanSummary.__dataclass_fields__, scope)
    proposals: dict[tuple[int, int, str], int] = {}
    for row in Proposal.objects.filter(version=version, state=Proposal.State.OPEN, **scope):
        proposals[key_tuple(row)] = proposals.get(key_tuple(row), 0) + 1
    statements = []
    for finding in rows:
        finding.version = version
        key = key_of(finding)
        identity = (version.pk, finding.vulnerability_id, key.component_key)
        past = decisions.get(identity, [])
        effective = effective_of(past)
        statements.append(
            VersionStatement(
                finding_id=finding.pk,
                vulnerability_id=finding.vulnerability.canonical_id,
                aliases=[
                    alias
                    for alias in finding.vulnerability.members
                    if alias != finding.vulnerability.canonical_id
                ],
                component_name=key.component_name,
                component_version=key.component_version,
                component_purl=key.component_purl,
                component_key=key.component_key,
                status=effective.status if effective else Status.UNDER_INVESTIGATION,
                justification=effective.justification if effective else "",
                impact_statement=effective.impact_statement if effective else "",
                action_statement=effective.action_statement if effective else "",
                fixed_in_version=effective.fixed_in_version if effective else "",
                decided_at=effective.created_at if effective else None,
                approved_at=effective.approved_at if effective else None,
                first_seen=finding.first_seen,
                pending_approval=pending_of(past) is not None,
                decision_id=effective.pk if effective else None,
                scores=scores_summary(assessments.get(identity)),
                plan=plan_summary(plans.get(identity)),
                open_proposals=proposals.get(identity, 0),
            )
        )
    return statements
