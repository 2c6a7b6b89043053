"""The audit API: administrators only, filters, keyset pages, history and verification."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client

from medvigil.audit.context import Actor
from medvigil.audit.services import record
from medvigil.platform.roles import Role
from tests import factories
from tests.audit.records import product, team_member
from tests.audit.tampering import triggers_dropped

pytestmark = pytest.mark.django_db


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


@pytest.fixture
def administrator_client(client: Client) -> Client:
    return factories.sign_in(client, factories.user(administrator=True))


@pytest.mark.parametrize("path", ["/api/v1/audit/events", "/api/v1/audit/verify"])
def test_users_who_do_not_answer_auditors_are_refused(client: Client, path: str) -> None:
    problem(client.get(path), 401)
    factories.sign_in(client, factories.user())
    body = problem(client.get(path), 403)
    assert body["detail"] == (
        "Only administrators, product security and PSIRT handlers may read the audit trail."
    )
    factories.sign_in(client, factories.user(roles=[Role.PSIRT]))
    assert client.get(path).status_code == 200


def test_events_are_filtered_and_paginated(administrator_client: Client) -> None:
    written = [
        record("product-changed", ("portfolio.product", str(number)), actor=Actor(label="alice"))
        for number in range(5)
    ]
    record("product-changed", ("portfolio.product", "9"), actor=Actor(label="bob"))
    first = administrator_client.get("/api/v1/audit/events?actor=alice&limit=3").json()
    assert [item["sequence"] for item in first["items"]] == [
        event.sequence for event in written[::-1][:3]
    ]
    assert first["items"][0]["hash"] == written[-1].hash
    second = administrator_client.get(
        f"/api/v1/audit/events?actor=alice&limit=3&cursor={first['next_cursor']}"
    ).json()
    assert [item["sequence"] for item in second["items"]] == [
        event.sequence for event in written[1::-1]
    ]
    assert second["next_cursor"] is None
    none = administrator_client.get("/api/v1/audit/events?until=2000-01-01").json()
    assert none == {"items": [], "next_cursor": None}


def test_a_bad_filter_or_cursor_is_a_problem(administrator_client: Client) -> None:
    body = problem(administrator_client.get("/api/v1/audit/events?since=soon"), 422)
    assert "is not an ISO 8601 date" in body["detail"]
    assert [error["location"] for error in body["errors"]] == [["since"]]
    forged = problem(administrator_client.get("/api/v1/audit/events?cursor=forged"), 400)
    assert forged["errors"][0]["location"] == ["cursor"]


def test_object_history_follows_the_object_permissions(client: Client) -> None:
    pump = product()
    created = record("product-created", pump)
    path = f"/api/v1/audit/objects/portfolio.product/{pump.pk}/events"
    factories.sign_in(client, team_member(pump.team))
    items = client.get(path).json()["items"]
    assert [item["sequence"] for item in items] == [created.sequence]
    factories.sign_in(client, team_member(factories.team("Imaging")))
    problem(client.get(path), 404)
    problem(client.get("/api/v1/audit/objects/no.such/1/events"), 404)


def test_verify_reports_the_first_broken_event(administrator_client: Client) -> None:
    written = [record("product-changed", ("portfolio.product", str(n))) for n in range(3)]
    intact = administrator_client.get("/api/v1/audit/verify").json()
    assert intact["intact"] is True
    assert intact["first_break"] is None
    with triggers_dropped(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET object_label = 'forged' WHERE sequence = %s",
            [written[1].sequence],
        )
    broken = administrator_client.get("/api/v1/audit/verify").json()
    assert broken["intact"] is False
    assert broken["checked"] == written[1].sequence - 1
    assert broken["first_break"]["sequence"] == written[1].sequence
    assert broken["first_break"]["action"] == "product-changed"
    assert broken["first_break"]["object_id"] == "1"
    assert broken["first_break"]["reason"] == "its content does not match its hash (altered)"
