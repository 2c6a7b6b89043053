"""Administration of people: invitations, access changes (audited), deactivation, never deletion."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction
from django.db.models import ProtectedError
from django.test import Client
from django_tasks_db.models import DBTaskResult

from medvigil.accounts import services
from medvigil.accounts.models import RoleAssignment
from medvigil.audit.models import AuditEvent
from tests import factories
from tests.accounts.test_invitations import send_queued_invitations

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(client: Client) -> Client:
    return factories.sign_in(client, factories.user(username="ada", administrator=True))


def test_invitation_creates_the_account_and_mails_a_password_link(administrator: Client) -> None:
    team = factories.team("Imaging")
    response = administrator.post(
        "/api/v1/accounts/users",
        {
            "username": "nora",
            "email": "nora@example.org",
            "roles": ["risk-manager"],
            "teams": [team.name],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["roles"] == ["risk-manager"]
    send_queued_invitations()
    assert len(mail.outbox) == 1
    assert "/password-reset/" in mail.outbox[0].body
    created = AuditEvent.objects.get(action="user-created", object_label="nora")
    assert created.changes["roles"] == [None, ["risk-manager"]]
    assert created.actor.username == "ada"


@pytest.mark.parametrize("email", ["²", "nora", "nora@", "nora@exa mple.org"])
def test_an_invitation_to_no_address_is_refused_and_creates_nobody(
    administrator: Client, email: str
) -> None:
    # Found by the property-based API run: "²" reached the mailer and answered 500.
    response = administrator.post(
        "/api/v1/accounts/users",
        {"username": "nora", "email": email, "roles": ["viewer"]},
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["location"][-1] == "email"
    assert not get_user_model().objects.filter(username="nora").exists()
    assert mail.outbox == []
    assert not DBTaskResult.objects.exists()  # no invitation queued either
    assert not AuditEvent.objects.filter(action="user-created", object_label="nora").exists()


def test_role_rules_are_enforced(administrator: Client) -> None:
    hospital = factories.organisation("customer")
    mixed = {
        "username": "x1",
        "email": "x1@example.org",
        "roles": ["viewer", "customer"],
        "organisation": hospital.name,
    }
    response = administrator.post("/api/v1/accounts/users", mixed, content_type="application/json")
    assert response.status_code == 422
    assert "inside roles or outside roles" in response.json()["detail"]
    supplier = factories.organisation("supplier")
    wrong_kind = {
        "username": "x2",
        "email": "x2@example.org",
        "roles": ["customer"],
        "organisation": supplier.name,
    }
    response = administrator.post(
        "/api/v1/accounts/users", wrong_kind, content_type="application/json"
    )
    assert response.status_code == 422
    assert "must belong to a customer organisation" in response.json()["detail"]


def test_access_changes_are_audited_with_before_and_after(administrator: Client) -> None:
    person = factories.user(username="vera", roles={"viewer"})
    team = factories.team("Pumps")
    response = administrator.put(
        f"/api/v1/accounts/users/{person.pk}/access",
        {"roles": ["psirt"], "teams": [team.name]},
        content_type="application/json",
    )
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="permissions-changed", object_id=str(person.pk))
    assert event.changes == {"roles": [["viewer"], ["psirt"]], "teams": [[], ["Pumps"]]}


def test_deactivation_never_deletes_and_deletion_is_refused(administrator: Client) -> None:
    person = factories.user(username="gone", roles={"viewer"})
    response = administrator.post(f"/api/v1/accounts/users/{person.pk}/deactivate")
    assert response.json()["is_active"] is False
    with pytest.raises(ProtectedError, match="appears in the audit trail"), transaction.atomic():
        person.delete()
    assert RoleAssignment.objects.filter(user=person).exists()


def test_administrators_cannot_lock_themselves_out(administrator: Client) -> None:
    me = administrator.get("/api/v1/accounts/me").json()
    response = administrator.post(f"/api/v1/accounts/users/{me['id']}/deactivate")
    assert response.status_code == 409
    response = administrator.put(
        f"/api/v1/accounts/users/{me['id']}/access",
        {"roles": ["viewer"]},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["location"] == ["roles"]


def test_people_administration_is_for_administrators_only(client: Client) -> None:
    factories.sign_in(client, factories.user(roles={"product-security"}))
    assert client.get("/api/v1/accounts/users").status_code == 403
    assert client.get("/administration/users/").status_code == 403
    other = factories.user(roles={"viewer"})
    assert client.get(f"/api/v1/accounts/users/{other.pk}").status_code == 404


def test_password_reset_by_email(client: Client) -> None:
    person = factories.user(username="rick", roles={"researcher"})
    client.post("/password-reset/", {"email": "rick@example.org"})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form = client.get("/" + path, follow=True)
    new_password = "a brand new long passphrase 9"
    client.post(
        form.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    person.refresh_from_db()
    assert person.check_password(new_password)
    assert AuditEvent.objects.filter(
        action="password-reset-completed", object_id=str(person.pk)
    ).exists()
    assert services.profile_of(person).printed_name == "Rick Example"


def test_sessions_expire_after_inactivity(settings: object) -> None:
    from django.conf import settings as live

    assert live.SESSION_SAVE_EVERY_REQUEST is True
    assert live.SESSION_COOKIE_AGE == 30 * 60
