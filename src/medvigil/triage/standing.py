"""The statement in force of each finding, copied onto the finding for the queue.

The triage queue filters and sorts every open finding of the portfolio by
the statement in force (status, pending approval), its priority, SSVC
outcome, KEV listing and remediation due date. Those live in the keyed
triage records (decisions, assessments, plans); rebuilding them per request
grows with the portfolio. So every writer of those records calls `refresh`
with the keys it changed, and the values go onto the findings of each key
(`Finding.triage_*`), where one indexed query reads them.

Writers: `services.create_decision` and `services.approve` (decisions,
proposals confirmed, VEX imports), `scoring` (scores, environment),
`remediation.save_plan` and `due_dates` (plans), and matching, through the
`vulns.signals.findings_created` signal, for a new finding row of a key that
already has records (an SBOM replaced). A finding closed and reopened keeps
its row, and so its values.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from medvigil.core.scoring import Priority
from medvigil.triage.keys import FindingKey, component_fields, component_key
from medvigil.triage.models import Assessment, Decision, RemediationPlan, Status
from medvigil.vulns.models import NO_DUE, UNSCORED_RANK, Finding

RANKS = {value.value: value.rank for value in Priority}
DEFAULTS: dict[str, Any] = {
    "triage_status": Status.UNDER_INVESTIGATION.value,
    "triage_pending": False,
    "triage_priority": "unscored",
    "triage_rank": UNSCORED_RANK,
    "triage_ssvc": "",
    "triage_kev": False,
    "triage_due": NO_DUE,
}
Identity = tuple[int, int, str]
# What `identity_of` reads of a finding besides its version and vulnerability.
COMPONENT_FIELDS = ("component_id", "component_name", "component_version", "component_purl")


def values_of(
    decisions: list[Decision], assessment: Assessment | None, plan: RemediationPlan | None
) -> dict[str, Any]:
    """The queue's columns for one key, from its decisions (newest first), scores and plan."""
    effective = next((row for row in decisions if not row.pending_approval), None)
    values = dict(DEFAULTS)
    if effective is not None:
        values["triage_status"] = effective.status
    values["triage_pending"] = bool(decisions) and decisions[0].pending_approval
    if assessment is not None:
        values["triage_priority"] = assessment.priority
        values["triage_rank"] = RANKS.get(assessment.priority, UNSCORED_RANK)
        values["triage_ssvc"] = assessment.ssvc_outcome
        values["triage_kev"] = assessment.kev_listed
    if plan is not None and plan.remediated_at is None and plan.due_at is not None:
        values["triage_due"] = plan.due_at
    return values


def identity_of(finding: Finding) -> Identity:
    # The finding's copy of its component (made when found) costs no query.
    copied = (finding.component_name, finding.component_version, finding.component_purl)
    name, version, purl = copied if finding.component_name else component_fields(finding)
    return (finding.version_id, finding.vulnerability_id, component_key(name, version, purl))


def refresh(keys: Iterable[FindingKey]) -> int:
    """Copy the statement in force of each key onto its findings; findings written."""
    pairs: dict[tuple[int, int], set[str]] = defaultdict(set)
    for key in keys:
        pairs[(key.version.pk, key.vulnerability.pk)].add(key.component_key)
    written = 0
    for (version_id, vulnerability_id), wanted in pairs.items():
        rows = Finding.objects.filter(version_id=version_id, vulnerability_id=vulnerability_id)
        findings = [row for row in rows if identity_of(row)[2] in wanted]
        written += write(findings)
    return written


def refresh_findings(findings: Iterable[Finding]) -> int:
    """Set the values of new finding rows whose key already has triage records."""
    by_pair: dict[tuple[int, int], list[Finding]] = defaultdict(list)
    for finding in findings:
        by_pair[(finding.version_id, finding.vulnerability_id)].append(finding)
    if not by_pair:
        return 0
    versions = {version for version, _ in by_pair}
    vulnerabilities = {vulnerability for _, vulnerability in by_pair}
    recorded: set[tuple[int, int]] = set()
    for model in (Decision, Assessment, RemediationPlan):
        recorded.update(
            model.objects.filter(
                version_id__in=versions, vulnerability_id__in=vulnerabilities
            ).values_list("version_id", "vulnerability_id")
        )
    return write([row for pair in recorded & set(by_pair) for row in by_pair[pair]])


def write(findings: list[Finding]) -> int:
    """Compute and store the values of `findings` (any state), few UPDATEs per key."""
    if not findings:
        return 0
    identities = {finding.pk: identity_of(finding) for finding in findings}
    versions = {identity[0] for identity in identities.values()}
    vulnerabilities = {identity[1] for identity in identities.values()}
    scope = {"version_id__in": versions, "vulnerability_id__in": vulnerabilities}
    decisions: dict[Identity, list[Decision]] = defaultdict(list)
    for decision in Decision.objects.filter(**scope).order_by("-created_at", "-id"):
        decisions[key_of_record(decision)].append(decision)
    assessments = {key_of_record(row): row for row in Assessment.objects.filter(**scope)}
    plans = {key_of_record(row): row for row in RemediationPlan.objects.filter(**scope)}
    by_identity: dict[Identity, list[int]] = defaultdict(list)
    for pk, identity in identities.items():
        by_identity[identity].append(pk)
    for identity, ids in by_identity.items():
        values = values_of(
            decisions.get(identity, []), assessments.get(identity), plans.get(identity)
        )
        Finding.objects.filter(pk__in=ids).update(**values)
    return len(identities)


def key_of_record(row: Any) -> Identity:
    return (row.version_id, row.vulnerability_id, row.component_key)
