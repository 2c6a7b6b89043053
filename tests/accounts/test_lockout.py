"""Repeated failures lock the user name; the right password does not help while locked."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from medvigil.accounts.models import SignInFailure
from medvigil.audit.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


def attempt(client: Client, username: str, password: str) -> bool:
    client.post("/sign-in/", {"username": username, "password": password})
    return "_auth_user_id" in client.session


def test_lockout_after_the_configured_number_of_failures(client: Client, settings: Any) -> None:
    settings.LOCKOUT_FAILURES = 3
    factories.user(username="rosa", roles={"researcher"})
    for _ in range(3):
        assert not attempt(client, "rosa", "wrong guess")
    assert not attempt(client, "rosa", factories.PASSWORD)
    refused = AuditEvent.objects.filter(action="sign-in-refused-locked")
    assert refused.count() == 1
    assert refused.get().details["username"] == "rosa"
    # The refused attempt is counted in the lock event, not audited as a failure of its own.
    assert AuditEvent.objects.filter(action="sign-in-failed").count() == 3


def test_the_lock_ends_after_the_window(client: Client, settings: Any) -> None:
    settings.LOCKOUT_FAILURES = 2
    factories.user(username="sam", roles={"researcher"})
    for _ in range(2):
        attempt(client, "sam", "nope")
    assert not attempt(client, "sam", factories.PASSWORD)
    SignInFailure.objects.update(occurred_at=timezone.now() - timedelta(minutes=16))
    assert attempt(client, "sam", factories.PASSWORD)
    assert SignInFailure.objects.filter(username="sam").count() == 0


def test_one_address_is_throttled_across_user_names(client: Client, settings: Any) -> None:
    settings.LOCKOUT_FAILURES = 50
    settings.THROTTLE_FAILURES = 5
    factories.user(username="carla", roles={"researcher"})
    for number in range(5):
        attempt(client, f"guess{number}", "nope")
    assert not attempt(client, "carla", factories.PASSWORD)
    other_address = Client(REMOTE_ADDR="10.9.8.7")
    assert attempt(other_address, "carla", factories.PASSWORD)


def test_many_refused_attempts_write_one_lock_event_per_window(
    client: Client, settings: Any
) -> None:
    """Before: every refused attempt wrote two events (395 for these 200 attempts)."""
    settings.LOCKOUT_FAILURES = 5
    settings.THROTTLE_FAILURES = 10_000
    factories.user(username="dora", roles={"researcher"})
    for _ in range(200):
        assert not attempt(client, "dora", "guess")
    assert AuditEvent.objects.filter(action="sign-in-failed").count() == 5  # before the lock
    (locked,) = AuditEvent.objects.filter(action="sign-in-refused-locked")
    assert locked.details["username"] == "dora"
    assert locked.details["locked"] == "user name"
    assert locked.details["failures_in_window"] == 5
    # The right password is refused too, and still adds no event within the window.
    events = AuditEvent.objects.count()
    assert not attempt(client, "dora", factories.PASSWORD)
    assert AuditEvent.objects.count() == events


def test_an_address_trying_many_names_writes_one_throttle_event(
    client: Client, settings: Any
) -> None:
    settings.LOCKOUT_FAILURES = 1000
    settings.THROTTLE_FAILURES = 5
    for number in range(100):
        attempt(client, f"guess{number}", "nope")
    assert AuditEvent.objects.filter(action="sign-in-failed").count() == 5
    (throttled,) = AuditEvent.objects.filter(action="sign-in-refused-locked")
    assert throttled.details["locked"] == "address"
    assert throttled.details["address"] == "127.0.0.1"
    assert throttled.details["failures_in_window"] == 5
