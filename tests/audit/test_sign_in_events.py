"""Signing in, signing out and failing to sign in leave events in the trail."""

from __future__ import annotations

import pytest
from django.test import Client

from medvigil.audit.models import AuditEvent
from medvigil.audit.services import verify_chain
from tests import factories

pytestmark = pytest.mark.django_db


def test_sign_in_and_sign_out_are_recorded(client: Client) -> None:
    alice = factories.user(username="alice")
    signed_in = client.post(
        "/sign-in/",
        {"username": "alice", "password": factories.PASSWORD},
        REMOTE_ADDR="198.51.100.4",
    )
    assert signed_in.status_code == 302
    client.post("/sign-out/", REMOTE_ADDR="198.51.100.4")
    events = list(
        AuditEvent.objects.filter(action__in=["signed-in", "signed-out"]).order_by("sequence")
    )
    assert [(event.action, event.actor_id, event.object_id) for event in events] == [
        ("signed-in", alice.pk, str(alice.pk)),
        ("signed-out", alice.pk, str(alice.pk)),
    ]
    assert {event.actor_label for event in events} == {"alice"}
    assert {event.client_address for event in events} == {"198.51.100.4"}
    assert all(event.request_id for event in events)
    assert verify_chain().intact


def test_a_failed_sign_in_is_recorded_with_the_name_tried(client: Client) -> None:
    factories.user(username="bob")
    response = client.post("/sign-in/", {"username": "bob", "password": "wrong password"})
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="sign-in-failed")
    assert event.action == "sign-in-failed"
    assert event.actor is None
    assert event.actor_label == "anonymous"
    assert event.details == {"username": "bob"}
    assert "wrong password" not in str(event.details)
