"""The inbox, subscriptions and webhooks through the API and the pages, as a person uses them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from medvigil.alerts.models import Subscription, Webhook
from medvigil.alerts.processing import process
from medvigil.audit.models import AuditEvent
from medvigil.vulns import matching
from medvigil.vulns.models import Finding
from tests import factories
from tests.alerts.conftest import AIC_SBOM, World

pytestmark = pytest.mark.django_db


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, json.dumps(body), "application/json")


def test_subscribe_through_the_api_and_read_the_inbox(world: World) -> None:
    client = factories.sign_in(Client(), world.engineer)
    created = post(
        client,
        "/api/v1/alerts/subscriptions",
        {"name": "Pump", "kinds": ["finding-new"], "product_id": world.version.product_id},
    )
    assert created.status_code == 201
    assert created.json()["owner"] == world.engineer.username
    assert AuditEvent.objects.filter(action="alerts.subscription-created").count() == 1

    matching.match_document(factories.sbom_document(world.version, AIC_SBOM, role="application"))
    process()
    opened = Finding.objects.filter(version=world.version, state="open").count()
    assert client.get("/api/v1/alerts/inbox/unread").json() == {"unread": opened}
    page = client.get("/api/v1/alerts/inbox?limit=500").json()
    assert len(page["items"]) == opened
    first = page["items"][0]
    assert first["subscription"] == "Pump"
    assert first["event"]["kind"] == "finding-new"
    marked = post(client, "/api/v1/alerts/inbox/read", {"ids": [first["id"]]})
    assert marked.json() == {"marked": 1}
    assert client.get("/api/v1/alerts/inbox/unread").json() == {"unread": opened - 1}
    assert len(client.get("/api/v1/alerts/inbox?unread_only=true&limit=500").json()["items"]) == (
        opened - 1
    )

    # The inbox page, and its count in the navigation of every page.
    html = client.get("/alerts/").content.decode()
    assert f'aria-label="{opened - 1} unread"' in html
    assert first["event"]["title"] in html
    assert client.post("/alerts/", {}).status_code == 302  # nothing chosen: all read
    assert client.get("/api/v1/alerts/inbox/unread").json() == {"unread": 0}


def test_bad_subscriptions_are_refused_whole(world: World) -> None:
    other = factories.product(name="Someone else's")
    client = factories.sign_in(Client(), world.engineer)
    refused = post(
        client,
        "/api/v1/alerts/subscriptions",
        {"name": " ", "kinds": ["epss-crossed"], "product_id": other.pk},
    )
    assert refused.status_code == 422
    locations = {tuple(error["location"]) for error in refused.json()["errors"]}
    assert {("name",), ("epss_threshold",), ("product_id",)} <= locations
    team = post(
        client,
        "/api/v1/alerts/subscriptions",
        {"name": "Team", "kinds": ["finding-new"], "team_id": world.team.pk},
    )
    assert team.status_code == 403
    assert Subscription.objects.count() == 0


def test_a_webhook_secret_is_shown_once_and_stored_encrypted(world: World) -> None:
    client = factories.sign_in(Client(), world.administrator)
    created = post(
        client,
        "/api/v1/alerts/webhooks",
        {"name": "Slack", "url": "https://hooks.slack.com/x", "flavour": "slack"},
    )
    assert created.status_code == 201
    secret = created.json()["secret"]
    stored = Webhook.objects.get()
    assert secret.startswith("whsec_")
    assert secret not in stored.secret_sealed
    listed = client.get("/api/v1/alerts/webhooks").json()
    assert "secret" not in listed[0]
    assert (
        post(
            client, "/api/v1/alerts/webhooks", {"name": "x", "url": "file:///etc/passwd"}
        ).status_code
        == 422
    )


def test_administrators_manage_team_subscriptions_and_see_deliveries(world: World) -> None:
    administrator = factories.sign_in(Client(), world.administrator)
    created = post(
        administrator,
        "/api/v1/alerts/subscriptions",
        {"name": "Team pump", "kinds": ["finding-kev"], "team_id": world.team.pk, "email": True},
    )
    assert created.status_code == 201
    subscription_id = created.json()["id"]
    member = factories.sign_in(Client(), world.engineer)
    assert member.get(f"/api/v1/alerts/subscriptions/{subscription_id}").status_code == 200
    change = {"name": "Mine now", "kinds": ["finding-new"]}
    path = f"/api/v1/alerts/subscriptions/{subscription_id}"
    assert member.put(path, json.dumps(change), "application/json").status_code == 403
    outsider = factories.sign_in(Client(), world.outsider)
    assert outsider.get(path).status_code == 404
    assert member.get("/api/v1/alerts/deliveries").status_code == 403
    assert administrator.get("/api/v1/alerts/deliveries").status_code == 200
    assert administrator.get("/alerts/deliveries/").status_code == 200
    assert administrator.delete(path).status_code == 204
    assert not Subscription.objects.exists()


def test_the_subscription_form_creates_and_edits(world: World) -> None:
    client = factories.sign_in(Client(), world.engineer)
    form = {"name": "Critical", "kinds": ["finding-new"], "minimum_severity": "critical"}
    answer = client.post("/alerts/subscriptions/new", {**form, "mode": "digest", "active": "on"})
    assert answer.status_code == 302
    subscription = Subscription.objects.get()
    assert (subscription.owner, subscription.mode) == (world.engineer, "digest")
    edit = f"/alerts/subscriptions/{subscription.pk}/edit"
    refused = client.post(edit, {**form, "kinds": ["epss-crossed"], "mode": "immediate"})
    assert refused.status_code == 200
    assert "Say which EPSS probability" in refused.content.decode()
    assert client.post(edit, {**form, "mode": "immediate"}).status_code == 302
    subscription.refresh_from_db()
    assert subscription.mode == "immediate"
    listed = client.get("/alerts/subscriptions/").content.decode()
    assert "severity ≥ critical" in listed
