"""Case handling: the state machine, clocks, messages, suggestions, and who sees what."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from medvigil.audit.models import AuditEvent
from medvigil.disclosure.cases import selectors, services
from medvigil.disclosure.cases.models import Case, CaseTransition
from medvigil.disclosure.cases.tiles import disclosure_tiles
from medvigil.platform.refusals import Refusal
from medvigil.platform.roles import Role
from tests import factories
from tests.disclosure.conftest import signed_in, submitted
from tests.security.world import TINY_SBOM

pytestmark = pytest.mark.django_db


def test_the_state_machine_allows_only_the_documented_moves(psirt: Any) -> None:
    case = submitted().case
    with pytest.raises(Refusal, match="cannot move to triaged"):
        services.transition(case, user=psirt, target="triaged", outcome="valid")
    case = services.transition(case, user=psirt, target="acknowledged")
    with pytest.raises(Refusal, match="needs an outcome"):
        services.transition(case, user=psirt, target="triaged")
    case = services.transition(case, user=psirt, target="triaged", outcome="valid")
    case = services.transition(case, user=psirt, target="remediation")
    case = services.transition(case, user=psirt, target="disclosed")
    case = services.transition(case, user=psirt, target="closed")
    with pytest.raises(Refusal, match="closed"):
        services.transition(case, user=psirt, target="received")
    assert [step.to_state for step in CaseTransition.objects.filter(case=case)] == [
        "received",
        "acknowledged",
        "triaged",
        "remediation",
        "disclosed",
        "closed",
    ]
    assert all(
        (
            case.acknowledged_at,
            case.triaged_at,
            case.remediation_at,
            case.disclosed_at,
            case.closed_at,
        )
    )
    assert AuditEvent.objects.filter(action="disclosure-case-moved").count() == 5


def test_a_duplicate_cannot_go_to_remediation(psirt: Any) -> None:
    case = services.transition(submitted().case, user=psirt, target="acknowledged")
    case = services.transition(case, user=psirt, target="triaged", outcome="duplicate")
    with pytest.raises(Refusal, match="valid vulnerability"):
        services.transition(case, user=psirt, target="remediation")
    assert services.transition(case, user=psirt, target="closed").state == "closed"


def test_clocks_show_overdue_acknowledgement_and_met_ones(psirt: Any) -> None:
    case = submitted().case
    # Reported on Friday 4 September 2026 (before Labor Day), 10:00 New York.
    received = datetime.datetime(2026, 9, 4, 14, 0, tzinfo=datetime.UTC)
    Case.objects.filter(pk=case.pk).update(received_at=received)
    case.refresh_from_db()
    on_friday_11th = datetime.datetime(2026, 9, 11, 14, 0, tzinfo=datetime.UTC)
    acknowledge = selectors.clocks(case, on_friday_11th)[0]
    assert acknowledge.due_at == datetime.datetime(2026, 9, 14, 14, 0, tzinfo=datetime.UTC)
    assert not acknowledge.overdue
    assert selectors.is_overdue(case, datetime.datetime(2026, 9, 15, tzinfo=datetime.UTC))
    Case.objects.filter(pk=case.pk).update(
        acknowledged_at=datetime.datetime(2026, 9, 8, tzinfo=datetime.UTC),
        last_reporter_update_at=datetime.datetime(2026, 9, 8, tzinfo=datetime.UTC),
        state="acknowledged",
    )
    case.refresh_from_db()
    states = selectors.clocks(case, datetime.datetime(2026, 9, 15, tzinfo=datetime.UTC))
    assert [state.rule.key for state in states] == ["acknowledge", "status-update", "disclose"]
    assert states[0].met
    assert not states[0].overdue
    assert states[2].due_at == datetime.datetime(2026, 12, 3, 15, 0, tzinfo=datetime.UTC)  # EST


def test_a_researcher_cannot_read_another_researchers_case(rosa: Any, ivan: Any) -> None:
    """The identity issue's required test, over the API and the pages."""
    rosas = submitted(reporter=rosa, title="Rosa's finding").case
    ivans = submitted(reporter=ivan, title="Ivan's finding").case
    client = signed_in(rosa)
    listed = client.get("/api/v1/disclosure/cases").json()["items"]
    assert [item["number"] for item in listed] == [rosas.number]
    assert client.get(f"/api/v1/disclosure/cases/{ivans.pk}").status_code == 404
    assert client.get(f"/api/v1/disclosure/cases/{ivans.pk}/messages").status_code == 404
    posted = client.post(
        f"/api/v1/disclosure/cases/{ivans.pk}/messages",
        json.dumps({"body": "hi"}),
        "application/json",
    )
    assert posted.status_code == 404
    assert client.get(reverse("disclosure:case-detail", args=[ivans.pk])).status_code == 404
    page = client.get(reverse("disclosure:case-list")).content.decode()
    assert rosas.number in page
    assert ivans.number not in page
    assert client.get(f"/api/v1/disclosure/cases/{rosas.pk}").json()["title"] == "Rosa's finding"


def test_researchers_never_see_internal_notes_and_cannot_handle(psirt: Any, rosa: Any) -> None:
    case = submitted(reporter=rosa).case
    services.post_message(case, user=psirt, kind="internal", body="internal: blame vendor X")
    services.post_message(case, user=psirt, kind="to-reporter", body="We are on it.")
    client = signed_in(rosa)
    bodies = [
        item["body"] for item in client.get(f"/api/v1/disclosure/cases/{case.pk}/messages").json()
    ]
    assert bodies == ["We are on it."]
    assert (
        "blame vendor X"
        not in client.get(reverse("disclosure:case-detail", args=[case.pk])).content.decode()
    )
    moved = client.post(
        f"/api/v1/disclosure/cases/{case.pk}/transitions",
        json.dumps({"target": "acknowledged"}),
        "application/json",
    )
    assert moved.status_code == 403
    note = client.post(
        f"/api/v1/disclosure/cases/{case.pk}/messages",
        json.dumps({"body": "x", "internal": True}),
        "application/json",
    )
    assert note.status_code == 403
    reply = client.post(
        f"/api/v1/disclosure/cases/{case.pk}/messages",
        json.dumps({"body": "Thanks"}),
        "application/json",
    )
    assert reply.status_code == 201
    assert reply.json()["kind"] == "from-reporter"
    handler_view = signed_in(psirt).get(f"/api/v1/disclosure/cases/{case.pk}/messages").json()
    assert [item["kind"] for item in handler_view] == ["internal", "to-reporter", "from-reporter"]


def test_other_inside_roles_see_no_case() -> None:
    case = submitted().case
    engineer = factories.user(roles={Role.PRODUCT_SECURITY.value}, teams=[factories.team()])
    client = signed_in(engineer)
    assert client.get("/api/v1/disclosure/cases").json()["items"] == []
    assert client.get(f"/api/v1/disclosure/cases/{case.pk}").status_code == 404


def test_psirt_moves_a_case_over_the_api_and_sets_an_embargo(psirt: Any) -> None:
    case = submitted().case
    client = signed_in(psirt)
    moved = client.post(
        f"/api/v1/disclosure/cases/{case.pk}/transitions",
        json.dumps({"target": "acknowledged"}),
        "application/json",
    )
    assert moved.status_code == 200
    assert moved.json()["state"] == "acknowledged"
    wrong = client.post(
        f"/api/v1/disclosure/cases/{case.pk}/transitions",
        json.dumps({"target": "closed"}),
        "application/json",
    )
    assert wrong.status_code == 409
    assert wrong["Content-Type"] == "application/problem+json"
    embargo = client.put(
        f"/api/v1/disclosure/cases/{case.pk}/embargo",
        json.dumps({"until": "2026-12-01T09:00:00", "time_zone": "Europe/Berlin"}),
        "application/json",
    )
    assert embargo.status_code == 200
    assert embargo.json()["embargo_until"] == "2026-12-01T09:00:00+01:00"
    assert embargo.json()["embargo_time_zone"] == "Europe/Berlin"


def test_affected_versions_are_suggested_from_the_report_and_confirmed_by_a_person(
    psirt: Any,
) -> None:
    team = psirt.teams.get()
    product = factories.product(owner=team, name="Infusion Pump Aurora", model_number="IPA-7")
    version = factories.version(product, label="3.2", phase="deployed")
    other = factories.version(factories.product(owner=team, name="Ventilator"), label="1.0")
    from medvigil.sbom import services as sbom_services

    sbom_services.import_sbom(other, TINY_SBOM, "bom.json", "firmware", None)
    case = submitted(
        description="The Infusion Pump Aurora 3.2 web UI bundles pkg:npm/left-pad and crashes.",
        version_text="3.2",
    ).case
    client = signed_in(psirt)
    listed = client.get(f"/api/v1/disclosure/cases/{case.pk}/suggestions").json()
    by_version = {item["version_id"]: item for item in listed}
    assert "names Infusion Pump Aurora 3.2" in by_version[version.pk]["reasons"]
    assert by_version[other.pk]["reasons"] == ["names component pkg:npm/left-pad"]
    assert not any(item["confirmed"] for item in listed)
    confirmed = client.put(
        f"/api/v1/disclosure/cases/{case.pk}/affected/{version.pk}",
        json.dumps({"reason": "reproduced"}),
        "application/json",
    )
    assert confirmed.status_code == 201
    assert case.affected_versions.get().version == version
    assert AuditEvent.objects.filter(action="disclosure-affected-confirmed").exists()
    stranger = factories.user(roles={Role.PSIRT.value}, teams=[factories.team()])
    assert signed_in(stranger).get(f"/api/v1/disclosure/cases/{case.pk}/suggestions").json() == []


def test_handler_pages_move_and_message(psirt: Any) -> None:
    case = submitted().case
    client: Client = signed_in(psirt)
    detail = client.get(reverse("disclosure:case-detail", args=[case.pk]))
    assert detail.status_code == 200
    assert "Acknowledge the report" in detail.content.decode()
    client.post(reverse("disclosure:case-move", args=[case.pk]), {"target": "acknowledged"})
    client.post(
        reverse("disclosure:case-message", args=[case.pk]),
        {"kind": "to-reporter", "body": "Received, thanks."},
    )
    case.refresh_from_db()
    assert case.state == "acknowledged"
    assert selectors.messages(case, include_internal=False)[0].body == "Received, thanks."


def test_dashboard_tiles_count_only_what_the_viewer_sees(psirt: Any, rosa: Any, ivan: Any) -> None:
    submitted(reporter=rosa)
    old = submitted(reporter=ivan).case
    Case.objects.filter(pk=old.pk).update(received_at=timezone.now() - datetime.timedelta(days=30))
    values = {tile.key: tile.value for tile in disclosure_tiles(psirt)}
    assert values["disclosure-open"] == 2
    assert values["disclosure-overdue"] == 1
    assert {tile.key: tile.value for tile in disclosure_tiles(rosa)}["disclosure-open"] == 1
    viewer = factories.user(roles={Role.VIEWER.value})
    assert disclosure_tiles(viewer) == []


def test_the_demo_step_makes_cases_in_several_states_with_rosa() -> None:
    from medvigil.accounts.demo import load_people
    from medvigil.disclosure.cases.demo import load_disclosure_cases

    load_people()
    report = load_disclosure_cases()
    assert report[0].startswith("Disclosure: OpenPGP key ")  # signed like production
    assert "3 demo cases" in report[1]
    assert sorted(Case.objects.values_list("state", flat=True)) == [
        "closed",
        "received",
        "remediation",
    ]
    rosas = Case.objects.get(reporter_user__username="rosa")
    assert len(selectors.messages(rosas, include_internal=True)) == 3
    assert "already present" in load_disclosure_cases()[0]


def test_move_to_starts_at_the_suggested_next_state(psirt: Any) -> None:
    case = submitted().case
    client = signed_in(psirt)
    page = client.get(reverse("disclosure:case-detail", args=[case.pk])).content.decode()
    chosen = page[
        page.index('name="target"') : page.index("</select>", page.index('name="target"'))
    ]
    assert '<option value="acknowledged" selected>' in chosen
    services.transition(case, user=psirt, target="acknowledged")
    page = client.get(reverse("disclosure:case-detail", args=[case.pk])).content.decode()
    chosen = page[
        page.index('name="target"') : page.index("</select>", page.index('name="target"'))
    ]
    assert '<option value="triaged" selected>' in chosen
