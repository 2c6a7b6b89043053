"""Regulator notifications with their deadlines, the fix moment, finding links and metrics."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from medvigil.disclosure.cases import metrics, services
from medvigil.disclosure.cases.models import Case, FindingLink
from medvigil.disclosure.notifications import selectors as notification_selectors
from medvigil.disclosure.notifications import services as notifications
from medvigil.disclosure.notifications.models import Notification
from medvigil.platform.dashboard import dashboard_tiles
from medvigil.platform.roles import Role
from medvigil.sbom import services as sbom_services
from medvigil.sbom.models import SbomDocument
from medvigil.vulns import matching
from medvigil.vulns.models import Finding
from tests import factories
from tests.disclosure.conftest import signed_in, submitted
from tests.vulns.test_api_pages import AIC_SBOM

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def test_cra_notifications_are_due_24_h_72_h_and_14_days_after_the_fix(psirt: Any) -> None:
    case = submitted().case
    Case.objects.filter(pk=case.pk).update(received_at=datetime.datetime(2026, 9, 10, tzinfo=UTC))
    case.refresh_from_db()
    client = signed_in(psirt)
    url = f"/api/v1/disclosure/cases/{case.pk}/notifications"
    aware = "2026-09-14T08:00:00Z"
    early = client.post(
        url,
        {
            "recipient": "enisa",
            "rule": "cra-early-warning",
            "started_at": aware,
            "sent_at": "2026-09-14T20:00:00Z",
            "reference": "SRP-2026-0042",
            "content": "Early warning.",
        },
        content_type="application/json",
    )
    assert early.status_code == 201
    body = early.json()
    assert body["due_at"] == "2026-09-15T08:00:00Z"
    assert body["overdue"] is False
    assert body["remaining_seconds"] == 12 * 3600
    assert "Art. 14(2)(a)" in body["source"]
    late = client.post(
        url,
        {"recipient": "enisa", "rule": "cra-notification", "started_at": aware},
        content_type="application/json",
    ).json()
    assert late["due_at"] == "2026-09-17T08:00:00Z"
    assert late["sent_at"] is None
    assert late["overdue"] is (late["remaining_seconds"] < 0)
    fixed = datetime.datetime(2026, 10, 1, 12, tzinfo=UTC)
    services.record_fix(case, user=psirt, available_at=fixed)
    final = client.post(
        url,
        {
            "recipient": "enisa",
            "rule": "cra-final-report",
            "started_at": case.fix.available_at.isoformat(),
        },
        content_type="application/json",
    ).json()
    assert final["due_at"] == "2026-10-15T12:00:00Z"
    sent = client.post(
        f"/api/v1/disclosure/notifications/{late['id']}/sent",
        {"sent_at": "2026-09-16T09:00:00Z", "reference": "SRP-2026-0043"},
        content_type="application/json",
    ).json()
    assert (sent["overdue"], sent["reference"]) == (False, "SRP-2026-0043")
    again = client.post(
        f"/api/v1/disclosure/notifications/{late['id']}/sent", {}, content_type="application/json"
    )
    assert again.status_code == 409
    page = client.get(reverse("disclosure:case-detail", args=[case.pk])).content.decode()
    assert "SRP-2026-0042" in page
    assert "EU CRA final report" in page
    assert "sent with 12 h 0 min to spare" in page


def test_a_notification_is_overdue_until_sent(psirt: Any) -> None:
    case = submitted().case
    aware = datetime.datetime(2026, 9, 14, 8, tzinfo=UTC)
    notification = notifications.record_notification(
        case, user=psirt, recipient="fda", rule="fda-806", started_at=aware
    )
    view = notification_selectors.notification_view(
        notification, aware + datetime.timedelta(days=30)
    )
    assert view.overdue
    assert notification.due_at == datetime.datetime(2026, 9, 28, 8, tzinfo=UTC)
    counted = metrics.figures(psirt, aware + datetime.timedelta(days=30))
    assert counted.notifications_overdue == 1


def test_bad_notifications_store_nothing(psirt: Any) -> None:
    case = submitted().case
    client = signed_in(psirt)
    url = f"/api/v1/disclosure/cases/{case.pk}/notifications"
    for payload in (
        {"recipient": "nobody", "rule": "cra-notification"},
        {"recipient": "bsi", "rule": "whenever"},
        {
            "recipient": "bsi",
            "rule": "other",
            "started_at": "2026-09-14T08:00:00Z",
            "sent_at": "2026-09-13T08:00:00Z",
        },
        {"recipient": "bsi", "rule": "other", "started_at": "not a date"},
    ):
        response = client.post(url, payload, content_type="application/json")
        assert response.status_code == 422, payload
        assert response["Content-Type"].startswith("application/problem+json")
    form = client.post(
        reverse("disclosure:notification-record", args=[case.pk]),
        {"recipient": "bsi", "rule": "other"},
    )
    assert form.status_code == 422
    assert not Notification.objects.exists()
    researcher = factories.user(
        username="r",
        roles={Role.RESEARCHER.value},
        organisation=factories.organisation("research", "R"),
    )
    assert signed_in(researcher).get(url).status_code == 404


@pytest.fixture
def aic() -> dict[str, Any]:
    """The companion app 1.2.0 with its real SBOM matched against the demo feed."""
    factories.feed_import(factories.demo_feed_folder())
    team = factories.team("Apps")
    product = factories.product(owner=team, name="Companion app", model_number="AIC-APP")
    version = factories.version(product, label="1.2.0", phase="deployed")
    factories.sbom_document(version, AIC_SBOM, role="application")
    matching.rematch_all()
    handler = factories.user(username="aic-psirt", roles={Role.PSIRT.value}, teams=[team])
    return {"version": version, "handler": handler}


def test_findings_are_suggested_by_the_cve_id_the_case_names(aic: dict[str, Any]) -> None:
    handler, version = aic["handler"], aic["version"]
    case = submitted(description="Prototype pollution (CVE-2021-44906) reaches the dose form.").case
    client = signed_in(handler)
    url = f"/api/v1/disclosure/cases/{case.pk}/finding-suggestions"
    assert client.get(url).json() == []  # no affected version confirmed yet
    services.confirm_affected(case, user=handler, version=version)
    suggested = client.get(url).json()
    assert [(item["vulnerability"], item["component"]) for item in suggested] == [
        ("CVE-2021-44906", "minimist 0.0.8")
    ]
    assert suggested[0]["matched_cve"] == ["CVE-2021-44906"]
    assert "GHSA-xvch-5gv4-984h" in suggested[0]["aliases"]
    linked = client.put(
        f"/api/v1/disclosure/cases/{case.pk}/findings/{suggested[0]['finding_id']}",
        {"reason": "Same flaw"},
        content_type="application/json",
    )
    assert linked.status_code == 201
    assert client.get(url).json()[0]["linked"] is True
    assert [
        item["vulnerability"]
        for item in client.get(f"/api/v1/disclosure/cases/{case.pk}/findings").json()
    ] == ["CVE-2021-44906"]
    page = client.get(reverse("disclosure:case-detail", args=[case.pk])).content.decode()
    assert 'data-linked-finding="CVE-2021-44906"' in page


def test_a_linked_finding_still_reads_after_its_sbom_is_deleted(aic: dict[str, Any]) -> None:
    handler, version = aic["handler"], aic["version"]
    case = submitted(description="Prototype pollution (CVE-2021-44906).").case
    services.confirm_affected(case, user=handler, version=version)
    client = signed_in(handler)
    [suggestion] = client.get(f"/api/v1/disclosure/cases/{case.pk}/finding-suggestions").json()
    client.put(
        f"/api/v1/disclosure/cases/{case.pk}/findings/{suggestion['finding_id']}",
        {"reason": "Same flaw"},
        content_type="application/json",
    )
    sbom_services.delete_document(SbomDocument.objects.get(version=version), user=handler)
    finding = Finding.objects.get(pk=suggestion["finding_id"])
    assert finding.component_id is None
    assert finding.state == Finding.State.CLOSED
    [linked] = client.get(f"/api/v1/disclosure/cases/{case.pk}/findings").json()
    assert linked["component"] == "minimist 0.0.8"
    page = client.get(reverse("disclosure:case-detail", args=[case.pk])).content.decode()
    assert "CVE-2021-44906 in minimist 0.0.8 of" in page


def test_without_a_cve_id_every_open_finding_of_the_affected_versions_is_suggested(
    aic: dict[str, Any],
) -> None:
    handler, version = aic["handler"], aic["version"]
    case = submitted(description="The companion app crashes on a long argument.").case
    services.confirm_affected(case, user=handler, version=version)
    suggested = (
        signed_in(handler).get(f"/api/v1/disclosure/cases/{case.pk}/finding-suggestions").json()
    )
    names = {item["vulnerability"] for item in suggested}
    assert {"CVE-2021-44906", "CVE-2020-7598", "CVE-2017-16137"} <= names
    assert all(item["matched_cve"] == [] for item in suggested)


def test_a_handler_cannot_link_a_finding_they_may_not_see(aic: dict[str, Any], psirt: Any) -> None:
    case = submitted().case
    finding = Finding.objects.filter(version=aic["version"]).first()
    assert finding is not None
    response = signed_in(psirt).put(
        f"/api/v1/disclosure/cases/{case.pk}/findings/{finding.pk}",
        {},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not FindingLink.objects.exists()


def test_metrics_api_page_and_tiles_for_handlers_only(psirt: Any, rosa: Any) -> None:
    received = datetime.datetime(2026, 3, 2, 9, tzinfo=UTC)
    case = submitted(rosa).case
    for target, outcome in (
        ("acknowledged", ""),
        ("triaged", "valid"),
        ("remediation", ""),
        ("disclosed", ""),
        ("closed", ""),
    ):
        case = services.transition(case, user=psirt, target=target, outcome=outcome)
    Case.objects.filter(pk=case.pk).update(
        received_at=received,
        acknowledged_at=received + datetime.timedelta(hours=20),
        triaged_at=received + datetime.timedelta(days=3),
        remediation_at=received + datetime.timedelta(days=3),
        disclosed_at=received + datetime.timedelta(days=40),
    )
    case.refresh_from_db()
    services.record_fix(case, user=psirt, available_at=received + datetime.timedelta(days=33))
    submitted()  # open, just received
    body = signed_in(psirt).get("/api/v1/disclosure/metrics").json()
    assert (body["cases"], body["open"], body["overdue"]) == (2, 1, 0)
    durations = {item["key"]: item for item in body["durations"]}
    assert durations["acknowledge"]["median_hours"] == 20
    assert durations["triage"]["median_hours"] == 72
    assert durations["fix"]["median_hours"] == 30 * 24
    assert durations["disclose"]["median_hours"] == 40 * 24
    page = signed_in(psirt).get(reverse("disclosure:metrics")).content.decode()
    assert "30.0 d" in page
    tiles = {tile.key: tile.value for tile in dashboard_tiles(psirt)}
    assert tiles["disclosure-triage-hours"] == 72
    assert tiles["disclosure-fix-days"] == 30
    assert tiles["disclosure-disclose-days"] == 40
    assert "disclosure-fix-days" not in {tile.key for tile in dashboard_tiles(rosa)}
    assert signed_in(rosa).get("/api/v1/disclosure/metrics").status_code == 403
    assert signed_in(rosa).get(reverse("disclosure:metrics")).status_code == 403
    assert Client().get("/api/v1/disclosure/metrics").status_code == 401


def test_the_demo_puts_the_supplier_and_a_coordinator_on_the_remediation_case() -> None:
    from medvigil.accounts.demo import load_people
    from medvigil.disclosure.cases.demo import load_disclosure_cases

    load_people()
    load_disclosure_cases()
    case = Case.objects.get(state="remediation")
    party = case.parties.get()
    assert (party.kind, party.user.username) == ("supplier", "sam")
    seen = signed_in(party.user).get(f"/api/v1/disclosure/parties/{party.pk}").json()
    assert seen["number"] == case.number
    assert [item["source"] for item in seen["thread"]] == ["to-party"]
    notification = case.notifications.get()
    assert (notification.recipient, notification.rule) == ("cisa", "coordinator")
    assert notification.sent_at is not None


def test_a_moment_with_any_utc_offset_is_stored_or_refused_never_a_server_error(
    psirt: Any,
) -> None:
    # Found by the property-based API run: PostgreSQL refuses offsets past ±15:59 (was a 500).
    case = submitted().case
    client = signed_in(psirt)
    url = f"/api/v1/disclosure/cases/{case.pk}/notifications"
    far = client.post(
        url,
        {"recipient": "fda", "rule": "fda-806", "started_at": "2026-09-14T08:00:00+22:41"},
        content_type="application/json",
    )
    assert far.status_code == 201, far.content
    stored = Notification.objects.get(pk=far.json()["id"])
    assert stored.started_at == datetime.datetime(2026, 9, 13, 9, 19, tzinfo=UTC)
    outside = client.post(
        f"/api/v1/disclosure/notifications/{stored.pk}/sent",
        {"sent_at": "0001-01-01T00:00:00+23:00"},
        content_type="application/json",
    )
    assert outside.status_code == 422, outside.content
    assert outside.json()["errors"][0]["location"][-1] == "sent_at"
    assert Notification.objects.get(pk=stored.pk).sent_at is None
