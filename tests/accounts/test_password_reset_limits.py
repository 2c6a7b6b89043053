"""Password-reset mails are limited per client address and per e-mail address."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from medvigil.audit.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


def ask(client: Client, email: str) -> Any:
    return client.post("/password-reset/", {"email": email})


def test_reset_mails_are_limited_per_email_address(settings: Any) -> None:
    settings.PASSWORD_RESETS_PER_HOUR_PER_EMAIL = 2
    factories.user(username="rick", roles={"researcher"})
    answers = [
        ask(Client(REMOTE_ADDR=f"203.0.113.{index}"), "rick@example.org") for index in range(8)
    ]
    assert [answer.status_code for answer in answers[:2]] == [302, 302]
    assert {answer.status_code for answer in answers[2:]} == {429}
    assert 0 < int(answers[2]["Retry-After"]) <= 3600
    assert "Too many password resets" in answers[2].content.decode()
    assert len(mail.outbox) == 2
    # The trail grows by the two requests and one refusal, not by every refused request.
    assert AuditEvent.objects.filter(action="password-reset-requested").count() == 2
    assert AuditEvent.objects.filter(action="password-reset-rate-limited").count() == 1


def test_reset_mails_are_limited_per_client_address(settings: Any) -> None:
    settings.PASSWORD_RESETS_PER_HOUR_PER_ADDRESS = 3
    client = Client(REMOTE_ADDR="198.51.100.20")
    answers = [ask(client, f"nobody{index}@example.org") for index in range(10)]
    assert [answer.status_code for answer in answers] == [302] * 3 + [429] * 7
    assert AuditEvent.objects.filter(action="password-reset-requested").count() == 3
    assert AuditEvent.objects.filter(action="password-reset-rate-limited").count() == 1
    assert ask(Client(REMOTE_ADDR="198.51.100.21"), "nobody@example.org").status_code == 302
