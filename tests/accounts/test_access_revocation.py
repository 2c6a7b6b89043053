"""A password reset or change, and a deactivation, end every API token and other session."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from medvigil.accounts import tokens
from medvigil.audit.models import AuditEvent
from medvigil.platform.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a brand new long passphrase 9"


def works(secret: str) -> bool:
    response = Client().get("/api/v1/accounts/me", headers={"Authorization": f"Bearer {secret}"})
    return response.status_code == 200


def token_of(person: Any) -> str:
    return tokens.issue_token(person, name="pipeline", scope="write", lifetime_days=30).secret


def revocations(person: Any) -> list[dict[str, Any]]:
    events = AuditEvent.objects.filter(action="access-revoked", object_id=str(person.pk))
    return [event.details for event in events]


def test_a_password_reset_ends_every_token_and_session() -> None:
    person = factories.user(username="rick", roles={Role.RESEARCHER.value})
    secret = token_of(person)
    elsewhere = factories.sign_in(Client(), person)
    assert works(secret)
    assert elsewhere.get("/api/v1/accounts/me").status_code == 200
    client = Client()
    client.post("/password-reset/", {"email": "rick@example.org"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
    form = client.get("/" + link.split("://", 1)[1].split("/", 1)[1], follow=True)
    passwords = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    client.post(form.redirect_chain[-1][0], passwords)
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    assert not works(secret)
    assert elsewhere.get("/api/v1/accounts/me").status_code == 401
    assert revocations(person) == [{"reason": "password-reset", "tokens": 1, "sessions": 1}]


def test_a_password_change_ends_tokens_and_other_sessions_but_not_this_one() -> None:
    person = factories.user(username="priya", roles={Role.PRODUCT_SECURITY.value})
    secret = token_of(person)
    here = factories.sign_in(Client(), person)
    elsewhere = factories.sign_in(Client(), person)
    response = here.post(
        "/account/password/",
        {
            "old_password": factories.PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302, response.content
    assert not works(secret)
    assert here.get("/api/v1/accounts/me").status_code == 200
    assert elsewhere.get("/api/v1/accounts/me").status_code == 401
    [details] = revocations(person)
    assert (details["reason"], details["tokens"]) == ("password-changed", 1)


def test_a_token_of_a_deactivated_person_stays_dead_after_reactivation() -> None:
    administrator = factories.sign_in(Client(), factories.user(administrator=True))
    person = factories.user(roles={Role.PSIRT.value})
    secret = token_of(person)
    session = factories.sign_in(Client(), person)
    assert administrator.post(f"/api/v1/accounts/users/{person.pk}/deactivate").status_code == 200
    assert not works(secret)
    assert administrator.post(f"/api/v1/accounts/users/{person.pk}/activate").status_code == 200
    assert not works(secret)
    assert session.get("/api/v1/accounts/me").status_code == 401
    assert revocations(person) == [{"reason": "deactivated", "tokens": 1, "sessions": 1}]
