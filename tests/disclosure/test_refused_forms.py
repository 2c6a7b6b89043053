"""A refused form on the disclosure pages comes back as typed, its errors beside its fields."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from medvigil.audit.models import AuditEvent
from medvigil.disclosure.cases.models import Case, FixAvailability
from medvigil.disclosure.notifications import services as notifications
from medvigil.disclosure.notifications.models import Notification
from medvigil.disclosure.parties import services as party_services
from medvigil.disclosure.parties.models import CaseParty, PartyMessage
from tests.disclosure.conftest import signed_in, submitted

pytestmark = pytest.mark.django_db


def beside(page: str, field_id: str, message: str) -> bool:
    """`message` is in the error list Django draws next to the field `field_id`."""
    return f'id="{field_id}_error"><li>{message}</li>' in page


def test_a_fix_before_the_report_is_shown_again_as_typed(psirt: Any) -> None:
    case = submitted().case
    response = signed_in(psirt).post(
        reverse("disclosure:fix-record", args=[case.pk]),
        {"available_at": "2001-02-03T04:05", "description": "Firmware 3.1.4 closes port 23"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert beside(page, "fix_available_at", "Before the report.")
    assert "A fix cannot be available before the report arrived." in page
    assert 'value="2001-02-03T04:05"' in page
    assert 'value="Firmware 3.1.4 closes port 23"' in page
    assert not FixAvailability.objects.exists()


def test_an_unknown_embargo_time_zone_is_shown_again_as_typed(psirt: Any) -> None:
    case = submitted().case
    response = signed_in(psirt).post(
        reverse("disclosure:case-embargo", args=[case.pk]),
        {"until": "2027-01-15T09:00", "time_zone": "Mars/Olympus_Mons"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert beside(page, "id_time_zone", "Unknown.")
    assert 'value="Mars/Olympus_Mons"' in page
    assert 'value="2027-01-15T09:00"' in page
    case.refresh_from_db()
    assert case.embargo_until is None


def test_a_refused_move_keeps_its_note_and_answers_409(psirt: Any) -> None:
    case = submitted().case
    before = AuditEvent.objects.filter(action="disclosure-case-moved").count()
    response = signed_in(psirt).post(
        reverse("disclosure:case-move", args=[case.pk]),
        {"target": "disclosed", "note": "Skipping ahead by mistake"},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert 'class="errorlist nonfield"' in page
    assert "Skipping ahead by mistake</textarea>" in page
    assert '<option value="disclosed" selected>' in page
    assert Case.objects.get(pk=case.pk).state == case.state
    assert AuditEvent.objects.filter(action="disclosure-case-moved").count() == before


def test_an_empty_message_is_shown_again_with_its_kind(psirt: Any) -> None:
    case = submitted().case
    response = signed_in(psirt).post(
        reverse("disclosure:case-message", args=[case.pk]), {"kind": "internal", "body": "  "}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert beside(page, "id_body", "This field is required.")
    assert '<option value="internal" selected>' in page
    assert not case.messages.filter(kind="internal").exists()


def test_a_refused_notification_is_shown_again_as_typed(psirt: Any) -> None:
    case = submitted().case
    response = signed_in(psirt).post(
        reverse("disclosure:notification-record", args=[case.pk]),
        {
            "recipient": "bsi",
            "rule": "other",
            "started_at": "2026-09-14T08:00",
            "sent_at": "2026-09-13T08:00",
            "reference": "BSI-2026-7",
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert beside(page, "notification_sent_at", "Before the start.")
    assert 'value="2026-09-14T08:00"' in page
    assert 'value="BSI-2026-7"' in page
    assert not Notification.objects.exists()


def test_marking_a_notification_sent_too_early_keeps_the_row_as_typed(psirt: Any) -> None:
    case = submitted().case
    started = datetime.datetime(2026, 9, 14, 8, tzinfo=datetime.UTC)
    planned = notifications.record_notification(
        case, user=psirt, recipient="bsi", rule="other", started_at=started
    )
    response = signed_in(psirt).post(
        reverse("disclosure:notification-sent", args=[planned.pk]),
        {"sent_at": "2026-09-13T08:00", "reference": "BSI-2026-8"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert beside(page, f"sent{planned.pk}_sent_at", "Before the start.")
    assert 'value="BSI-2026-8"' in page
    planned.refresh_from_db()
    assert planned.sent_at is None


def test_inviting_an_unknown_account_is_shown_again_as_typed(psirt: Any) -> None:
    case = submitted().case
    response = signed_in(psirt).post(
        reverse("disclosure:party-invite", args=[case.pk]),
        {"kind": "supplier", "name": "Acme Modules", "account": "nobody-here"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert beside(page, "invite_account", "There is no account &#x27;nobody-here&#x27;.")
    assert 'value="Acme Modules"' in page
    assert not CaseParty.objects.exists()


def test_an_invitation_without_account_or_link_is_refused_beside_the_account(
    psirt: Any,
) -> None:
    case = submitted().case
    response = signed_in(psirt).post(
        reverse("disclosure:party-invite", args=[case.pk]),
        {"kind": "coordinator", "name": "CERT Bund", "sees_report": "on"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert beside(page, "invite_account", "An account or a link is needed.")
    assert 'value="CERT Bund"' in page
    assert 'name="sees_report" id="invite_sees_report" checked' in page
    assert not CaseParty.objects.exists()


def test_a_too_long_message_to_a_party_keeps_its_text(psirt: Any, settings: Any) -> None:
    case = submitted().case
    invited = party_services.invite(
        case, user=psirt, kind="coordinator", name="CISA", with_link=True
    )
    party = invited.party
    settings.DISCLOSURE_TEXT_MAX_CHARACTERS = 12
    response = signed_in(psirt).post(
        reverse("disclosure:party-message", args=[party.pk]), {"body": "Far too long for it"}
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert beside(page, f"party{party.pk}_body", "Longer than 12 characters.")
    assert "Far too long for it</textarea>" in page
    by_link = Client().post(
        reverse("disclosure:party-link", args=[invited.access_token]),
        {"body": "Also too long here"},
    )
    assert by_link.status_code == 413
    shown = by_link.content.decode()
    assert beside(shown, "id_body", "Longer than 12 characters.")
    assert "Also too long here</textarea>" in shown
    assert not PartyMessage.objects.exists()


def test_a_refused_cve_record_is_shown_again_with_the_error_beside_its_field(psirt: Any) -> None:
    """Before: the error stood above the form, apart from its field, with status 200."""
    case = submitted().case
    typed = {
        "cve_id": "CVE-2026-40002",
        "assigner": "coordinator",
        "assigner_name": "CISA",
        "title": "Unsigned firmware",
        "description": "Images are installed unverified.",
        "cwe_id": "CWE-0",
    }
    response = signed_in(psirt).post(reverse("advisories:cve-record", args=[case.pk]), typed)
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_cwe_id_error"><li>' in page
    assert 'value="Unsigned firmware"' in page
    assert 'value="CWE-0"' in page
    assert "Images are installed unverified." in page
    assert not case.cve_assignments.exists()


@pytest.mark.parametrize(
    ("changes", "field_name"),
    [
        ({"cve_id": "CVE-26-1"}, "cve_id"),
        ({"assigner_name": "X"}, "assigner_name"),
        ({"assigner": "own-cna"}, "assigner_org_id"),
        ({"assigner_org_id": "not-a-uuid"}, "assigner_org_id"),
        ({"description": " "}, "description"),
        ({"cvss_vector": "CVSS:3.1/AV:X"}, "cvss_vector"),
        ({"cwe_id": "CWE-0"}, "cwe_id"),
    ],
)
def test_each_refused_cve_field_is_named_in_the_api_problem(
    psirt: Any, changes: dict[str, str], field_name: str
) -> None:
    case = submitted().case
    body = {
        "assigner": "coordinator",
        "assigner_name": "CISA",
        "title": "Unsigned firmware",
        "description": "Images are installed unverified.",
        **changes,
    }
    cve_id = body.pop("cve_id", "CVE-2026-40002")
    response = signed_in(psirt).put(
        f"/api/v1/disclosure/advisories/cases/{case.pk}/cves/{cve_id}",
        body,
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    problem = response.json()
    assert [error["location"][-1] for error in problem["errors"]] == [field_name]
    assert problem["errors"][0]["message"] == problem["detail"]
    assert not case.cve_assignments.exists()
