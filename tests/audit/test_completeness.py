"""Audit completeness: every row a write path adds, changes or removes is named by an event.

Each operation runs between two snapshots of every table of medvigil's apps;
each row that differs must be the object of an audit event written by that
operation, or a part of one (a row whose foreign key points at the object of
such an event: an SBOM's components, a user's role assignments). Tables and
fields that are bookkeeping, not records a regulator asks about, are listed in
IGNORED and IGNORED_TABLES with the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from django.apps import apps
from django.db.models import Model
from django_tasks_db.models import DBTaskResult

from medvigil.accounts import services as account_services
from medvigil.audit.models import AuditEvent, AuditEventLink, Signature
from medvigil.audit.signatures import sign
from medvigil.disclosure.advisories import deliveries
from medvigil.disclosure.advisories import selectors as advisory_selectors
from medvigil.disclosure.advisories import services as advisory_services
from medvigil.disclosure.advisories.models import AdvisoryDelivery, DeliveryState
from medvigil.operations.recovery import recover_lost_tasks
from medvigil.operations.services import retry_task
from medvigil.platform.refusals import Refusal
from medvigil.platform.workers import run_worker
from medvigil.portfolio import services as portfolio_services
from medvigil.reports import kinds as report_kinds
from medvigil.reports import services as report_services
from medvigil.reports.document import Paragraph, Report, Section
from medvigil.riskfile import services as riskfile_services
from medvigil.triage import services as triage_services
from medvigil.triage.models import Proposal
from medvigil.triage.statements import Statement
from medvigil.vex import services as vex_services
from medvigil.vulns import matching
from medvigil.vulns.models import Finding
from medvigil.vulns.tasks import rematch_all_task
from tests import factories
from tests.conftest import REPOSITORY
from tests.disclosure.advisory_helpers import (
    BASE_URL,
    advisory_data,
    cve_data,
    people_and_case,
)
from tests.operations.test_recovery import claimed_by_dead_worker
from tests.riskfile.conftest import MODEL
from tests.vex.conftest import Portfolio, portfolio  # noqa: F401 - the fixture
from tests.vex.test_import import supplier_cyclonedx
from tests.vulns.history import changes_of, findings_changed
from tests.web import tasks_for_tests

pytestmark = pytest.mark.django_db
MEDVIGIL_APPS = [
    "accounts",
    "portfolio",
    "sbom",
    "vulns",
    "reports",
    "triage",
    "riskfile",
    "vex",
    "disclosure",
    "operations",
]
IGNORED: dict[str, set[str]] = {
    # The time of the last match run that saw the finding: one UPDATE per run, not an event.
    # The triage_* columns copy the statement in force from the triage records, which are
    # audited themselves (medvigil.triage.standing): a copy the queue filters on.
    "vulns.finding": {
        "last_seen",
        "triage_status",
        "triage_pending",
        "triage_priority",
        "triage_rank",
        "triage_ssvc",
        "triage_kev",
        "triage_due",
    },
    # The audit trail itself, and signatures (each points at its own "signed" event).
    "audit.auditevent": set(),
}
IGNORED_TABLES = {
    # The matching index: derived from the components, rebuilt from them at will.
    "vulns.componentmatchkey",
    # The per-address counter of anonymous submissions (a rate limit, not a record).
    "disclosure.submissionrecord",
}
# Named in the trail under another name than their model's label.
AUDIT_NAMES = {DBTaskResult._meta.label_lower: "tasks.task"}
Snapshot = dict[tuple[str, str], dict[str, Any]]


def audited_models(tasks: bool = False) -> list[type[Model]]:
    """The apps' models, signatures (each a part of what it signs), and, when asked, tasks.

    Queueing and running tasks is the queue's own bookkeeping; what an operator
    does to a task (retry it, requeue or fail a lost one) is audited.
    """
    return [
        model
        for label in MEDVIGIL_APPS
        for model in apps.get_app_config(label).get_models()
        if model._meta.label_lower not in IGNORED_TABLES
    ] + [Signature, *([DBTaskResult] if tasks else [])]


def label_of(model: type[Model]) -> str:
    return AUDIT_NAMES.get(model._meta.label_lower, model._meta.label_lower)


def snapshot(tasks: bool = False) -> Snapshot:
    rows: Snapshot = {}
    for model in audited_models(tasks):
        label = label_of(model)
        ignored = IGNORED.get(label, set())
        for row in model._default_manager.values():
            rows[(label, str(row["id"]))] = {
                name: value for name, value in row.items() if name not in ignored
            }
    return rows


def parents(model: type[Model]) -> list[tuple[str, str]]:
    """(column, related model label) of each foreign key: the records a row is a part of."""
    return [
        (field.attname, field.related_model._meta.label_lower)
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is not None
    ]


def unaudited(before: Snapshot, after: Snapshot, named: set[tuple[str, str]]) -> list[Any]:
    links = {label_of(model): parents(model) for model in audited_models(tasks=True)}
    missing = []
    for key in set(before) | set(after):
        if before.get(key) == after.get(key) or key in named:
            continue
        row = after.get(key) or before[key]
        owners = {(label, str(row.get(column))) for column, label in links[key[0]]}
        if "object_type" in row:  # a signature is a part of the record it signs
            owners.add((row["object_type"], str(row["object_id"])))
        if not owners & named:
            missing.append(key)
    return sorted(missing)


@contextmanager
def every_change_audited(tasks: bool = False) -> Iterator[None]:
    last = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()
    before = snapshot(tasks)
    yield
    events = AuditEvent.objects.filter(sequence__gt=last or 0)
    named = set(events.values_list("object_type", "object_id"))
    # A batch event names each object it changed (matching: every finding of a chunk).
    links = AuditEventLink.objects.filter(event__in=events)
    named |= set(links.values_list("object_type", "object_id"))
    missing = unaudited(before, snapshot(tasks), named)
    assert missing == [], f"rows changed without an audit event naming them: {missing}"


def audited(operation: Callable[[], Any], tasks: bool = False) -> Any:
    with every_change_audited(tasks):
        return operation()


def test_accounts_and_portfolio_writes_are_audited() -> None:
    team = audited(lambda: factories.team("Pumps"))
    audited(lambda: factories.user(username="dana", teams=[team]))
    person = factories.user(username="erin")
    audited(lambda: account_services.set_active(person, False))
    audited(lambda: account_services.change_password(person, "another long passphrase 42"))
    product = audited(lambda: factories.product(owner=team))
    version = audited(lambda: factories.version(product, label="2.0", phase="deployed"))
    organisation = audited(lambda: factories.organisation("customer", "St. Example"))
    audited(lambda: portfolio_services.set_installed_base(version, user=None, count=10))
    audited(
        lambda: portfolio_services.record_deployment(
            version, user=None, organisation=organisation, units=3
        )
    )


def test_advisory_signatures_and_delivery_retries_are_audited(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world = audited(people_and_case)
    owner = factories.organisation("customer", "St. Owner Hospital")
    portfolio_services.set_installed_base(world.affected, user=None, count=10)
    portfolio_services.record_deployment(world.affected, user=None, organisation=owner, units=4)
    audited(lambda: advisory_services.set_webhook(owner, "http://127.0.0.1:9/closed-port"))
    audited(lambda: advisory_services.record_cve(world.case, world.reviewer, cve_data()))
    advisory = audited(
        lambda: advisory_services.create_advisory(world.case, world.author, advisory_data(world))
    )
    audited(lambda: advisory_services.review(advisory, world.reviewer, factories.PASSWORD))
    audited(lambda: advisory_services.approve(advisory, world.approver, factories.PASSWORD))
    advisory.refresh_from_db()
    assert advisory.state == "approved"
    assert Signature.objects.filter(object_id=str(advisory.pk)).count() == 2
    # Each state change has its own event, written right after its signature's.
    changes = AuditEvent.objects.filter(object_id=str(advisory.pk)).order_by("sequence")
    actions = [(event.action, event.changes.get("state")) for event in changes]
    assert actions[-4:] == [
        ("signed", None),
        ("advisory-state-changed", ["draft", "reviewed"]),
        ("signed", None),
        ("advisory-state-changed", ["reviewed", "approved"]),
    ]
    locations = advisory_selectors.locations(BASE_URL, advisory)
    revision = audited(lambda: advisory_services.publish(advisory, world.approver, locations))
    AdvisoryDelivery.objects.update(state=DeliveryState.FAILED, attempts=3)
    assert audited(lambda: deliveries.retry_deliveries(revision)) >= 1


@pytest.mark.django_db(transaction=True)
def test_sbom_import_matching_and_provenance_updates_are_audited() -> None:
    factories.feed_import(factories.demo_feed_folder())
    version = factories.sbom_version(version="1.2.0")
    sbom = REPOSITORY / "src/medvigil/sbom/demo_data/aic-app-1.2.0.cdx.json"
    audited(lambda: factories.sbom_document(version, sbom, role="application"))
    audited(lambda: matching.match_version(version))
    finding = Finding.objects.filter(version=version).first()
    assert finding is not None
    # As if the finding had been matched by an older advisory text.
    Finding.objects.filter(pk=finding.pk).update(provenance=[], confidence="stale")
    audited(lambda: matching.match_version(version))
    # One batch event for the run, found in the finding's own history with what changed.
    [changed] = changes_of(finding.pk, "provenance-changed")
    assert changed["changes"]["confidence"][0] == "stale"
    assert findings_changed("provenance-changed") == [finding.pk]


def test_triage_vex_and_riskfile_writes_are_audited(
    portfolio: Portfolio,  # noqa: F811 - the fixture imported above
) -> None:
    findings = portfolio.findings(portfolio.application)
    statement = Statement("affected", action_statement="Update to 1.2.1.")
    decision = audited(lambda: triage_services.decide(findings[0], portfolio.engineer, statement))
    audited(lambda: triage_services.approve(decision, portfolio.approver, factories.PASSWORD))
    audited(
        lambda: vex_services.import_vex(
            portfolio.application, supplier_cyclonedx(), "supplier.json", portfolio.engineer
        )
    )
    proposals = list(Proposal.objects.filter(state="open").order_by("pk"))
    assert len(proposals) >= 2
    audited(lambda: triage_services.confirm_proposal(proposals[0], portfolio.engineer))
    audited(lambda: triage_services.dismiss_proposal(proposals[1], portfolio.engineer, "Not ours."))
    version = portfolio.application
    audited(lambda: riskfile_services.import_model(version, MODEL.encode(), portfolio.engineer))
    audited(lambda: riskfile_services.regenerate_threats(version, portfolio.engineer))
    threat = version.threats.first()
    assert threat is not None
    audited(
        lambda: riskfile_services.create_risk(
            version, {"exploitability": "high"}, threat=threat, user=portfolio.engineer
        )
    )


def version_sheet(version: Any) -> Report:
    return Report(
        title="Version sheet",
        subject=f"{version.product.name} {version.version}",
        identifier=f"SHEET-{version.pk}",
        generated_at=datetime(2026, 11, 1, tzinfo=UTC),
        sections=(Section("Lifecycle", (Paragraph(f"Phase: {version.phase}"),)),),
    )


@pytest.fixture
def sheet_kind() -> Iterator[None]:
    report_kinds.register_kind("sheet", "Version sheet", version_sheet)
    yield
    report_kinds.KINDS.pop("sheet", None)


@pytest.mark.usefixtures("sheet_kind")
def test_issuing_and_signing_reports_are_audited() -> None:
    team = factories.team()
    version = factories.version(factories.product(owner=team), label="2.1", phase="production")
    author = factories.user(roles={"product-security"}, teams=[team])
    reviewer = factories.user(roles={"product-security"}, teams=[team])
    approver = factories.user(roles={"regulatory"}, teams=[team])
    issued = audited(lambda: report_services.issue(author, "sheet", version))
    with every_change_audited(), pytest.raises(Refusal):  # the author may not approve it
        sign(author, issued, "approved", factories.PASSWORD)
    audited(lambda: sign(reviewer, issued, "reviewed", factories.PASSWORD))
    audited(lambda: sign(approver, issued, "approved", factories.PASSWORD))
    second = audited(lambda: report_services.issue(author, "sheet", version))
    assert (issued.number, second.number) == (1, 2)
    actions = AuditEvent.objects.filter(object_type="reports.issuedreport").values_list(
        "action", flat=True
    )
    assert sorted(actions) == sorted(
        ["report-issued", "signature-refused", "signed", "signed", "report-issued"]
    )


@pytest.mark.django_db(transaction=True)
def test_a_failed_task_retried_and_lost_tasks_recovered_are_audited() -> None:
    tasks_for_tests.failing_work.enqueue("once")
    run_worker(batch=True)
    failed = DBTaskResult.objects.get(status="FAILED")
    retried = audited(lambda: retry_task(str(failed.pk)), tasks=True)
    assert DBTaskResult.objects.get(pk=retried).status == "READY"

    lost = rematch_all_task.enqueue()
    claimed_by_dead_worker(lost, 1)
    assert audited(recover_lost_tasks, tasks=True).requeued == [str(lost.id)]
    claimed_by_dead_worker(lost, 2)
    assert audited(lambda: retry_task(str(lost.id)), tasks=True) == str(lost.id)
    claimed_by_dead_worker(lost, 3)
    assert audited(recover_lost_tasks, tasks=True).failed == [str(lost.id)]
