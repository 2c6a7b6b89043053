"""Each kind of event: KEV, EPSS, changed advisories, clocks; each once, whoever notices it."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.utils import timezone

from medvigil.alerts import events, selectors, services
from medvigil.alerts.deliveries import claim, due
from medvigil.alerts.fanout import fan_out
from medvigil.alerts.models import Alert, AlertEvent, Delivery
from medvigil.alerts.processing import (
    AUDIT_CURSOR,
    LostRace,
    cursor,
    move,
    process,
    read_audit,
    scan_clocks,
)
from medvigil.alerts.services import SubscriptionData
from medvigil.audit.models import AuditEvent
from medvigil.disclosure.intake.services import ReportData, submit_report
from medvigil.platform.roles import Role
from medvigil.triage import scoring
from medvigil.triage.remediation import PlanInput, save_plan
from medvigil.vex import services as vex_services
from medvigil.vulns import matching
from medvigil.vulns.models import Advisory, Finding
from tests import factories
from tests.alerts.conftest import AIC_SBOM, World
from tests.conftest import REPOSITORY
from tests.vex.test_import import supplier_cyclonedx

MINIMIST = "CVE-2021-44906"
KEV = REPOSITORY / "src/medvigil/vulns/demo_data/kev-subset.json"
OSV = REPOSITORY / "src/medvigil/vulns/demo_data/osv"


def subscribe(world: World, **values: Any) -> None:
    services.create_subscription(world.engineer, SubscriptionData(name="Watch", **values))


def open_findings(world: World) -> list[Finding]:
    matching.match_document(factories.sbom_document(world.version, AIC_SBOM, role="application"))
    return list(Finding.objects.filter(version=world.version, state="open"))


def kinds_in_inbox(world: World) -> list[tuple[str, str]]:
    return sorted(
        (alert.event.kind, alert.event.details["vulnerability"])
        for alert in selectors.inbox(world.engineer)
    )


@pytest.mark.django_db
def test_a_finding_whose_vulnerability_enters_kev_is_told_once(world: World) -> None:
    subscribe(world, kinds=["finding-kev"])
    open_findings(world)
    process()
    assert kinds_in_inbox(world) == []  # the real KEV excerpt does not list minimist
    catalogue = json.loads(KEV.read_bytes())
    entry = {**catalogue["vulnerabilities"][0], "cveID": MINIMIST, "dateAdded": "2026-12-01"}
    catalogue["vulnerabilities"].append(entry)
    catalogue["count"] += 1
    factories.feed_import(json.dumps(catalogue).encode(), "kev", name="kev-next.json")
    process()
    process()
    assert kinds_in_inbox(world) == [("finding-kev", MINIMIST)]
    event = AlertEvent.objects.get(kind="finding-kev")
    assert event.details["kev_date_added"] == "2026-12-01"


@pytest.mark.django_db
def test_an_epss_score_crossing_the_threshold_is_told_once_per_threshold(world: World) -> None:
    subscribe(world, kinds=["epss-crossed"], epss_threshold=0.5)
    open_findings(world)
    process()
    header = "#model_version:v2025.03.14,score_date:2026-12-01T00:00:00Z\ncve,epss,percentile\n"
    factories.feed_import(f"{header}{MINIMIST},0.40000,0.9\n".encode(), "epss", name="a.csv")
    process()
    assert kinds_in_inbox(world) == []  # below the line
    factories.feed_import(f"{header}{MINIMIST},0.71000,0.99\n".encode(), "epss", name="b.csv")
    process()
    factories.feed_import(f"{header}{MINIMIST},0.72000,0.99\n".encode(), "epss", name="c.csv")
    process()
    assert kinds_in_inbox(world) == [("epss-crossed", MINIMIST)]
    assert AlertEvent.objects.get(kind="epss-crossed").details["epss"] == pytest.approx(0.71)


@pytest.mark.django_db
def test_an_advisory_changed_under_an_open_finding_is_told(world: World) -> None:
    subscribe(world, kinds=["advisory-changed"])
    findings = open_findings(world)
    process()
    minimist = next(f for f in findings if f.vulnerability.canonical_id == MINIMIST)
    stored = Advisory.objects.get(vulnerability=minimist.vulnerability, source="osv")
    # Imported yesterday; today the feed brings a newer record of it, now withdrawn.
    Advisory.objects.filter(pk=stored.pk).update(
        imported_at=timezone.now() - datetime.timedelta(days=1)
    )
    document = json.loads((OSV / f"{stored.identifier}.json").read_bytes())
    document["modified"] = "2026-12-01T00:00:00Z"
    document["withdrawn"] = "2026-12-01T00:00:00Z"
    factories.feed_import(json.dumps(document).encode(), "osv", name="changed.json")
    process()
    process()
    [alert] = selectors.inbox(world.engineer)
    assert alert.event.kind == "advisory-changed"
    assert alert.event.details["withdrawn"] is True
    assert alert.event.title.startswith(f"Advisory withdrawn ({stored.identifier})")


@pytest.mark.django_db
def test_remediation_clocks_due_soon_then_overdue(world: World) -> None:
    subscribe(world, kinds=["clock-due"])
    findings = open_findings(world)
    finding = next(f for f in findings if f.vulnerability.canonical_id == MINIMIST)
    scoring.save_scores(
        finding,
        world.engineer,
        scoring.ScoreInput(
            learned_at=timezone.now() - datetime.timedelta(days=26),
            control_status="uncontrolled",
            control_rationale="No control on site.",
        ),
    )
    save_plan(finding, world.engineer, PlanInput(fix_in_version="1.2.1"))
    process()
    process()
    soon = {alert.event.details["clock"] for alert in selectors.inbox(world.engineer)}
    assert soon == {"fda-communicate", "remediation"}
    assert {alert.event.details["threshold"] for alert in selectors.inbox(world.engineer)} == {
        "soon_due"
    }
    later = timezone.now() + datetime.timedelta(days=5)
    assert scan_clocks(later, force=True) == 2
    assert scan_clocks(later, force=True) == 2  # offered again, stored once
    process(later)
    thresholds = sorted(
        (alert.event.details["clock"], alert.event.details["threshold"])
        for alert in selectors.inbox(world.engineer)
    )
    assert thresholds == [
        ("fda-communicate", "overdue"),
        ("fda-communicate", "soon_due"),
        ("remediation", "overdue"),
        ("remediation", "soon_due"),
    ]


@pytest.mark.django_db
def test_a_second_worker_or_a_retry_adds_nothing(world: World) -> None:
    """The interleavings of two workers, step by step: each loses the race or adds nothing."""
    hook, _ = services.create_webhook(world.engineer, "Mine", "http://127.0.0.1:9/unreachable")
    subscribe(world, kinds=["finding-new"], email=True, webhook_id=hook.pk)
    findings = open_findings(world)
    stale = cursor(AUDIT_CURSOR)  # worker B read the cursor ...
    process(deliver=False)  # ... worker A did the whole pass meanwhile ...
    with pytest.raises(LostRace):  # ... so B cannot move it: its reading is rolled back
        move(stale, stale.position + 1, timezone.now())
    assert read_audit(timezone.now()) == (0, 0)

    audit = list(AuditEvent.objects.filter(action="vulns.findings.matched"))
    assert events.store(events.drafts_from_audit(audit)) == len(findings)  # offered again
    assert AlertEvent.objects.count() == len(findings)  # stored once

    fan_out(list(AlertEvent.objects.all()), timezone.now())  # a retried fan-out
    assert Alert.objects.count() == len(findings)
    assert Delivery.objects.count() == 2 * len(findings)

    pending = list(Delivery.objects.values_list("pk", flat=True))
    now = timezone.now()
    condition = due(now)
    assert len(claim(condition, pending, now)) == len(pending)  # worker A claims them all
    assert claim(condition, pending, now) == []  # worker B, a moment later, gets none


@pytest.mark.django_db
def test_a_disclosure_report_reaches_the_handlers_only(world: World) -> None:
    handler = factories.user(roles=[Role.PSIRT.value], teams=[world.team])
    for person in (handler, world.engineer):  # product security does not read cases
        services.create_subscription(
            person, SubscriptionData(name="Reports", kinds=["disclosure-report"])
        )
    receipt = submit_report(
        ReportData(
            title="Dose limit bypass",
            description="The pump accepts a dose above the drug library's hard limit.",
            product=world.version.product,
        ),
        reporter_user=None,
        address="192.0.2.10",
    )
    process()
    [alert] = selectors.inbox(handler)
    assert alert.event.title == f"New disclosure report {receipt.case.number} (Infusion pump)"
    assert "Dose limit" not in alert.event.title  # the sealed title stays sealed
    assert list(selectors.inbox(world.engineer)) == []


@pytest.mark.django_db
def test_a_supplier_vex_document_arriving_is_told_to_whoever_reads_its_version(
    world: World,
) -> None:
    subscribe(world, kinds=["supplier-document"])
    outsider = factories.user(roles=[Role.PRODUCT_SECURITY.value], teams=[factories.team()])
    services.create_subscription(
        outsider, SubscriptionData(name="Suppliers", kinds=["supplier-document"])
    )
    stored = vex_services.import_vex(
        world.version, supplier_cyclonedx(), "parsers-vex.json", world.engineer
    )
    process()
    [alert] = selectors.inbox(world.engineer)
    assert alert.event.kind == "supplier-document"
    assert (alert.event.object_type, alert.event.object_id) == ("vex.suppliervex", str(stored.pk))
    assert alert.event.version_id == world.version.pk
    assert list(selectors.inbox(outsider)) == []  # another team's version is not told
