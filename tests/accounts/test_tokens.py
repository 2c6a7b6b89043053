"""Personal API tokens: shown once, stored hashed, scoped, expiring, revocable, audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from medvigil.accounts.models import ApiToken
from medvigil.audit.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


def create_token(client: Client, scope: str = "read", days: int = 30) -> dict:
    response = client.post(
        "/api/v1/accounts/tokens",
        {"name": "pipeline", "scope": scope, "lifetime_days": days},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def session(client: Client) -> Client:
    return factories.sign_in(client, factories.user(username="priya", roles={"product-security"}))


def test_the_secret_is_shown_once_and_never_stored(session: Client) -> None:
    issued = create_token(session)
    secret = issued["secret"]
    assert secret.startswith("mvg_")
    listed = session.get("/api/v1/accounts/tokens").json()
    assert "secret" not in listed[0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_apitoken")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert secret not in stored
    assert secret.split("_", 2)[2] not in stored
    assert ApiToken.objects.get().digest != secret


def test_a_token_authenticates_and_its_use_is_recorded(session: Client) -> None:
    secret = create_token(session)["secret"]
    anonymous = Client(REMOTE_ADDR="192.0.2.7")
    response = anonymous.get("/api/v1/accounts/me", headers=bearer(secret))
    assert response.status_code == 200
    assert response.json()["username"] == "priya"
    token = ApiToken.objects.get()
    assert token.last_used_address == "192.0.2.7"
    assert token.last_used_at is not None
    used = AuditEvent.objects.get(action="token-used")
    assert used.token_id == token.pk
    anonymous.get("/api/v1/accounts/me", headers=bearer(secret))
    assert AuditEvent.objects.filter(action="token-used").count() == 1


def test_a_read_token_cannot_write(session: Client) -> None:
    secret = create_token(session, scope="read")["secret"]
    token = ApiToken.objects.get()
    response = Client().delete(f"/api/v1/accounts/tokens/{token.pk}", headers=bearer(secret))
    assert response.status_code == 403
    assert "may only read" in response.json()["detail"]
    assert ApiToken.objects.get().revoked_at is None


def test_a_revoked_token_is_refused(session: Client) -> None:
    secret = create_token(session, scope="write")["secret"]
    token = ApiToken.objects.get()
    assert (
        Client().delete(f"/api/v1/accounts/tokens/{token.pk}", headers=bearer(secret)).status_code
        == 204
    )
    assert Client().get("/api/v1/accounts/me", headers=bearer(secret)).status_code == 401
    assert AuditEvent.objects.filter(action="token-revoked", object_id=str(token.pk)).exists()


def test_an_expired_token_is_refused(session: Client) -> None:
    secret = create_token(session)["secret"]
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get("/api/v1/accounts/me", headers=bearer(secret)).status_code == 401


def test_a_guessed_or_altered_token_is_refused(session: Client) -> None:
    secret = create_token(session)["secret"]
    altered = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    for candidate in (altered, "mvg_00000000_nothing", "not-a-token"):
        assert Client().get("/api/v1/accounts/me", headers=bearer(candidate)).status_code == 401


def test_a_deactivated_user_token_is_refused(session: Client) -> None:
    secret = create_token(session)["secret"]
    from medvigil.accounts.services import set_active

    set_active(ApiToken.objects.get().user, False)
    assert Client().get("/api/v1/accounts/me", headers=bearer(secret)).status_code == 401


def test_tokens_cannot_mint_tokens(session: Client) -> None:
    secret = create_token(session, scope="write")["secret"]
    response = Client().post(
        "/api/v1/accounts/tokens",
        {"name": "x", "scope": "write", "lifetime_days": 1},
        content_type="application/json",
        headers=bearer(secret),
    )
    assert response.status_code == 401


def test_lifetime_is_bounded(session: Client) -> None:
    response = session.post(
        "/api/v1/accounts/tokens",
        {"name": "forever", "scope": "read", "lifetime_days": 5000},
        content_type="application/json",
    )
    assert response.status_code == 422
