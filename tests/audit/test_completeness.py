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
from typing import Any

import pytest
from django.apps import apps
from django.db.models import Model

from medvigil.accounts import services as account_services
from medvigil.audit.models import AuditEvent, AuditEventLink, Signature
from medvigil.disclosure.advisories import deliveries
from medvigil.disclosure.advisories import selectors as advisory_selectors
from medvigil.disclosure.advisories import services as advisory_services
from medvigil.disclosure.advisories.models import AdvisoryDelivery, DeliveryState
from medvigil.portfolio import services as portfolio_services
from medvigil.riskfile import services as riskfile_services
from medvigil.triage import services as triage_services
from medvigil.triage.models import Proposal
from medvigil.triage.statements import Statement
from medvigil.vex import services as vex_services
from medvigil.vulns import matching
from medvigil.vulns.models import Finding
from tests import factories
from tests.conftest import REPOSITORY
from tests.disclosure.advisory_helpers import (
    BASE_URL,
    advisory_data,
    cve_data,
    people_and_case,
)
from tests.riskfile.conftest import MODEL
from tests.vex.conftest import Portfolio, portfolio  # noqa: F401 - the fixture
from tests.vex.test_import import supplier_cyclonedx
from tests.vulns.history import changes_of, findings_changed

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
    "vulns.finding": {"last_seen"},
    # The audit trail itself, and signatures (each points at its own "signed" event).
    "audit.auditevent": set(),
}
IGNORED_TABLES = {
    # The matching index: derived from the components, rebuilt from them at will.
    "vulns.componentmatchkey",
    # The per-address counter of anonymous submissions (a rate limit, not a record).
    "disclosure.submissionrecord",
}
Snapshot = dict[tuple[str, str], dict[str, Any]]


def audited_models() -> list[type[Model]]:
    return [
        model
        for label in MEDVIGIL_APPS
        for model in apps.get_app_config(label).get_models()
        if model._meta.label_lower not in IGNORED_TABLES
    ]


def snapshot() -> Snapshot:
    rows: Snapshot = {}
    for model in audited_models():
        label = model._meta.label_lower
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
    links = {model._meta.label_lower: parents(model) for model in audited_models()}
    missing = []
    for key in set(before) | set(after):
        if before.get(key) == after.get(key) or key in named:
            continue
        row = after.get(key) or before[key]
        owners = {(label, str(row.get(column))) for column, label in links[key[0]]}
        if not owners & named:
            missing.append(key)
    return sorted(missing)


@contextmanager
def every_change_audited() -> Iterator[None]:
    last = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()
    before = snapshot()
    yield
    events = AuditEvent.objects.filter(sequence__gt=last or 0)
    named = set(events.values_list("object_type", "object_id"))
    # A batch event names each object it changed (matching: every finding of a chunk).
    links = AuditEventLink.objects.filter(event__in=events)
    named |= set(links.values_list("object_type", "object_id"))
    missing = unaudited(before, snapshot(), named)
    assert missing == [], f"rows changed without an audit event naming them: {missing}"


def audited(operation: Callable[[], Any]) -> Any:
    with every_change_audited():
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
