"""Other parties on a case: each sees the summary, its own thread and what was shared with it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from medvigil.audit.models import AuditEvent
from medvigil.disclosure.cases import services
from medvigil.disclosure.parties import services as parties
from medvigil.disclosure.parties.models import CaseParty, PartyMessage
from medvigil.platform.refusals import Refusal
from medvigil.platform.roles import Role
from tests import factories
from tests.disclosure.conftest import signed_in, submitted

pytestmark = pytest.mark.django_db
SECRET_STEPS = "Send 0x41 * 5000 to port 104."


def supplier_user(name: str = "acme-psirt") -> Any:
    organisation = factories.organisation("supplier", f"{name} Inc")
    return factories.user(username=name, roles={Role.SUPPLIER.value}, organisation=organisation)


@pytest.fixture
def case(psirt: Any) -> Any:
    made = submitted(
        reporter_name="Rosa", reporter_email="rosa@example.org", steps=SECRET_STEPS
    ).case
    services.post_message(made, user=None, kind="from-reporter", body="Any news?")
    services.post_message(made, user=psirt, kind="internal", body="Looks like the DICOM stack")
    services.post_message(made, user=psirt, kind="to-reporter", body="Reproduced, thank you.")
    return made


def test_a_supplier_account_sees_the_summary_its_thread_and_shared_messages_only(
    case: Any, psirt: Any
) -> None:
    supplier = supplier_user()
    handler = signed_in(psirt)
    invited = handler.post(
        f"/api/v1/disclosure/cases/{case.pk}/parties",
        {"kind": "supplier", "name": "Acme", "account": supplier.username},
        content_type="application/json",
    )
    assert invited.status_code == 201
    party_id = invited.json()["id"]
    assert invited.json()["access_token"] == ""
    assert (
        handler.post(
            f"/api/v1/disclosure/parties/{party_id}/messages",
            {"body": "Is libdicom 3.1 affected?"},
            content_type="application/json",
        ).status_code
        == 201
    )
    reply = case.messages.get(kind="to-reporter")
    shared = handler.post(
        f"/api/v1/disclosure/parties/{party_id}/shared",
        {"message_id": reply.pk},
        content_type="application/json",
    )
    assert shared.status_code == 201
    note = case.messages.get(kind="internal")
    refused = handler.post(
        f"/api/v1/disclosure/parties/{party_id}/shared",
        {"message_id": note.pk},
        content_type="application/json",
    )
    assert refused.status_code == 409

    client = signed_in(supplier)
    seen = client.get(f"/api/v1/disclosure/parties/{party_id}").json()
    assert seen["number"] == case.number
    assert seen["title"] == "Telnet open"
    assert seen["description"] is None
    assert seen["reporter_email"] is None
    assert [(item["source"], item["body"]) for item in seen["thread"]] == [
        ("shared", "Reproduced, thank you."),
        ("to-party", "Is libdicom 3.1 affected?"),
    ]
    written = client.post(
        f"/api/v1/disclosure/parties/{party_id}/messages",
        {"body": "Yes, fixed in 3.1.4."},
        content_type="application/json",
    )
    assert written.status_code == 201
    assert written.json()["source"] == "from-party"
    page = client.get(reverse("disclosure:party-detail", args=[party_id])).content.decode()
    for hidden in ("Looks like the DICOM stack", "rosa@example.org", SECRET_STEPS, "Any news?"):
        assert hidden not in page
    # The party record is not a key to the case itself, nor to another party's record.
    assert client.get(f"/api/v1/disclosure/cases/{case.pk}").status_code == 404
    assert client.get(reverse("disclosure:case-detail", args=[case.pk])).status_code == 404
    assert client.post(f"/api/v1/disclosure/parties/{party_id}/revocation").status_code == 403
    other = parties.invite(
        case, user=psirt, kind="supplier", name="Other", account=supplier_user("other-supplier")
    ).party
    assert client.get(f"/api/v1/disclosure/parties/{other.pk}").status_code == 404
    listed = client.get("/api/v1/disclosure/parties").json()["items"]
    assert [item["id"] for item in listed] == [party_id]
    # The handler reads the party's answer on the case page.
    assert (
        "Yes, fixed in 3.1.4."
        in handler.get(reverse("disclosure:case-detail", args=[case.pk])).content.decode()
    )


def test_a_coordinator_by_secret_link_sees_the_report_and_contact_when_shared(
    case: Any, psirt: Any
) -> None:
    handler = signed_in(psirt)
    page = handler.post(
        reverse("disclosure:party-invite", args=[case.pk]),
        {
            "kind": "coordinator",
            "name": "CISA",
            "with_link": "on",
            "sees_report": "on",
            "sees_reporter_contact": "on",
        },
    )
    assert page.status_code == 200
    link = re.search(r'id="party-link"><a href="([^"]+)"', page.content.decode()).group(1)
    party = CaseParty.objects.get(name="CISA")
    token = link.rsplit("/", 1)[-1]
    assert party.access_token_hash == services.token_hash(token)
    assert token not in str(AuditEvent.objects.values_list("details", flat=True)[::1])
    anonymous = Client()
    shown = anonymous.get(link.split("testserver", 1)[-1])
    assert shown.status_code == 200
    assert shown["Referrer-Policy"] == "strict-origin"
    body = shown.content.decode()
    assert SECRET_STEPS in body
    assert "rosa@example.org" in body
    assert "Looks like the DICOM stack" not in body
    anonymous.get(link.split("testserver", 1)[-1])
    sent = anonymous.post(link.split("testserver", 1)[-1], {"body": "VU#123456 opened."})
    assert sent.status_code == 302
    assert PartyMessage.objects.get().from_party
    assert Client().get(reverse("disclosure:party-link", args=["wrong"])).status_code == 404
    parties.revoke(party, user=psirt)
    assert Client().get(link.split("testserver", 1)[-1]).status_code == 404


def test_a_party_needs_an_outside_account_of_the_fitting_role_or_a_link(
    case: Any, psirt: Any
) -> None:
    organisation = factories.organisation("customer", "St Mary")
    hospital = factories.user(
        username="st-mary", roles={Role.CUSTOMER.value}, organisation=organisation
    )
    with pytest.raises(Refusal, match="role supplier"):
        parties.invite(case, user=psirt, kind="supplier", name="St Mary", account=hospital)
    with pytest.raises(Refusal, match="outside account"):
        parties.invite(case, user=psirt, kind="coordinator", name="Us", account=psirt)
    with pytest.raises(Refusal, match="secret link"):
        parties.invite(case, user=psirt, kind="hospital", name="St Mary")
    assert (
        parties.invite(
            case, user=psirt, kind="hospital", name="St Mary", account=hospital
        ).party.user
        == hospital
    )
    with pytest.raises(Refusal, match="already a party"):
        parties.invite(case, user=psirt, kind="hospital", name="Again", account=hospital)
    response = signed_in(psirt).post(
        f"/api/v1/disclosure/cases/{case.pk}/parties",
        {"kind": "supplier", "name": " "},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert CaseParty.objects.count() == 1


def test_a_revoked_party_loses_its_view_and_cannot_be_written_to(case: Any, psirt: Any) -> None:
    supplier = supplier_user()
    party = parties.invite(case, user=psirt, kind="supplier", name="Acme", account=supplier).party
    parties.revoke(party, user=psirt)
    client = signed_in(supplier)
    assert client.get(f"/api/v1/disclosure/parties/{party.pk}").status_code == 404
    assert client.get(reverse("disclosure:party-list")).status_code == 200
    with pytest.raises(Refusal, match="no longer"):
        parties.write(party, user=psirt, body="Hello?", from_party=False)
    assert AuditEvent.objects.filter(action="disclosure-party-revoked").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_party_account_is_told_by_email_that_the_psirt_wrote(psirt: Any) -> None:
    from django.core import mail

    from medvigil.platform.workers import run_worker

    case = submitted().case
    supplier = supplier_user()
    party = parties.invite(case, user=psirt, kind="supplier", name="Acme", account=supplier).party
    parties.write(party, user=psirt, body="Confidential question about libdicom", from_party=False)
    parties.write(party, user=supplier, body="Answer", from_party=True)
    run_worker(batch=True)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [supplier.email]
    assert f"/disclosure/parties/{party.pk}/" in mail.outbox[0].body
    assert "Confidential" not in mail.outbox[0].body
