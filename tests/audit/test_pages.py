"""The audit pages: who may read them, filters, paging, history, verification, exports."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from medvigil.audit.context import Actor
from medvigil.audit.models import AuditEvent
from medvigil.audit.services import record
from medvigil.platform.roles import Role
from tests import factories
from tests.audit.records import product, team_member
from tests.audit.tampering import triggers_dropped

pytestmark = pytest.mark.django_db

ADMINISTRATOR_PAGES = ["/audit/", "/audit/verify/", "/audit/export.csv", "/audit/export.json"]


@pytest.fixture
def administrator(client: Client) -> Any:
    user = factories.user(administrator=True, username="admin")
    factories.sign_in(client, user)
    return user


def sequences(page: str) -> list[int]:
    marker = 'data-sequence="'
    found = []
    start = page.find(marker)
    while start != -1:
        start += len(marker)
        found.append(int(page[start : page.index('"', start)]))
        start = page.find(marker, start)
    return found


@pytest.mark.parametrize("url", ADMINISTRATOR_PAGES)
def test_anonymous_users_are_sent_to_sign_in(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=")


@pytest.mark.parametrize("url", ADMINISTRATOR_PAGES)
@pytest.mark.parametrize("role", [Role.RISK_MANAGER, Role.REGULATORY, Role.VIEWER])
def test_other_users_are_refused_with_the_reason(client: Client, url: str, role: Role) -> None:
    member = team_member(factories.team("Pumps"), role=role)
    factories.sign_in(client, member)
    response = client.get(url)
    assert response.status_code == 403
    assert "Only administrators, product security and PSIRT handlers" in response.text
    assert not AuditEvent.objects.filter(action="audit-exported").exists()


@pytest.mark.parametrize("url", ADMINISTRATOR_PAGES)
@pytest.mark.parametrize("role", [Role.PRODUCT_SECURITY, Role.PSIRT])
def test_those_who_answer_auditors_read_the_trail(client: Client, url: str, role: Role) -> None:
    factories.sign_in(client, team_member(factories.team("Pumps"), role=role))
    assert client.get(url).status_code == 200


def test_navigation_shows_the_audit_trail_to_its_readers_only(client: Client) -> None:
    pumps = factories.team("Pumps")
    factories.sign_in(client, team_member(pumps, role=Role.RISK_MANAGER))
    assert b'href="/audit/"' not in client.get("/").content
    factories.sign_in(client, team_member(pumps, role=Role.PSIRT))
    assert b'href="/audit/"' in client.get("/").content
    factories.sign_in(client, factories.user(administrator=True))
    assert b'href="/audit/"' in client.get("/").content


def test_the_action_filter_offers_each_action_once(client: Client, administrator: Any) -> None:
    for number in range(5):
        record("product-created", ("portfolio.product", str(number)))
        record("product-changed", ("portfolio.product", str(number)))
    page = client.get("/audit/").text
    offered = page[page.index('id="filter-action"') : page.index("</select>")]
    assert offered.count('value="product-created"') == 1
    assert offered.count('value="product-changed"') == 1


def test_details_read_as_labelled_values_and_long_values_wrap(
    client: Client, administrator: Any
) -> None:
    record(
        "signed",
        ("portfolio.product", "1"),
        changes={"release_state": ["draft", "released"]},
        details={"content_hash": "ab" * 64, "meanings": ["approval", "review"], "final": True},
    )
    page = client.get("/audit/").text
    assert "<dt>Release state</dt><dd>draft → released</dd>" in page
    assert "<dt>Meanings</dt><dd>approval, review</dd>" in page
    assert "<dt>Final</dt><dd>yes</dd>" in page
    assert "content_hash:" not in page
    assert "meanings: [" not in page
    assert "/static/audit/audit.css" in page


def test_the_log_filters_by_actor_action_object_and_time(
    client: Client, administrator: Any
) -> None:
    first = record("product-created", ("portfolio.product", "1"), actor=Actor(label="alice"))
    second = record("product-changed", ("portfolio.product", "1"), actor=Actor(label="bob"))
    third = record("product-changed", ("portfolio.product", "2"), actor=Actor(label="alice"))
    one, two, three = first.sequence, second.sequence, third.sequence
    everything = sequences(client.get("/audit/").content.decode())
    assert everything[:3] == [three, two, one]
    assert "signed-in" in client.get("/audit/?cursor=&action=signed-in").content.decode()
    assert sequences(client.get("/audit/?actor=ALICE").content.decode()) == [three, one]
    changed = client.get("/audit/?action=product-changed").content.decode()
    assert sequences(changed) == [three, two]
    by_object = client.get("/audit/?object_type=portfolio.product&object_id=1")
    assert sequences(by_object.content.decode()) == [two, one]
    assert sequences(client.get("/audit/?until=2000-01-01").content.decode()) == []
    assert sequences(client.get("/audit/?since=2000-01-01").content.decode()) == everything
    assert sequences(client.get("/audit/?since=2999-01-01T00:00+02:00").content.decode()) == []


def test_a_bad_date_is_a_clear_message(client: Client, administrator: Any) -> None:
    response = client.get("/audit/?since=yesterday")
    assert response.status_code == 422
    assert b"is not an ISO 8601 date or date-time" in response.content


def test_htmx_filtering_answers_with_the_list_alone(client: Client, administrator: Any) -> None:
    created = record("product-created", ("portfolio.product", "1"))
    response = client.get("/audit/?action=product-created", headers={"HX-Request": "true"})
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="events"')
    assert "<html" not in page
    assert sequences(page) == [created.sequence]


def test_the_log_pages_with_a_cursor_and_keeps_the_filters(
    client: Client, administrator: Any
) -> None:
    written = [
        record("product-changed", ("portfolio.product", str(number))).sequence
        for number in range(60)
    ]
    record("other", ("portfolio.product", "0"))
    first = client.get("/audit/?action=product-changed").content.decode()
    assert sequences(first) == written[::-1][:50]
    start = first.index('href="?', first.index('rel="next"') - 300) + len('href="')
    link = first[start : first.index('"', start)].replace("&amp;", "&")
    assert "action=product-changed" in link
    second = client.get("/audit/" + link).content.decode()
    assert sequences(second) == written[::-1][50:]
    assert 'rel="next"' not in second
    assert client.get("/audit/?cursor=forged").status_code == 400


def test_object_history_is_visible_to_who_may_view_the_object(client: Client) -> None:
    pump = product()
    created = record("product-created", pump)
    record("unrelated", ("portfolio.product", str(pump.pk + 1)))
    url = f"/audit/object/portfolio.product/{pump.pk}/"
    factories.sign_in(client, team_member(pump.team))
    page = client.get(url)
    assert page.status_code == 200
    assert sequences(page.content.decode()) == [created.sequence]
    factories.sign_in(client, team_member(factories.team("Imaging")))
    assert client.get(url).status_code == 404
    assert client.get("/audit/object/no.such/1/").status_code == 404
    assert client.get(f"/audit/object/portfolio.product/{pump.pk + 99}/").status_code == 404


def test_administrators_read_the_history_of_a_deleted_object(
    client: Client, administrator: Any
) -> None:
    record("product-deleted", ("portfolio.product", "404"))
    page = client.get("/audit/object/portfolio.product/404/")
    assert page.status_code == 200
    assert b"This object no longer exists; its history remains." in page.content
    assert client.get("/audit/object/nothing/404/").status_code == 404


def test_the_verification_page_shows_intact_then_the_first_broken_event(
    client: Client, administrator: Any
) -> None:
    written = [record("product-changed", ("portfolio.product", str(number))) for number in range(4)]
    intact = client.get("/audit/verify/").content.decode()
    assert 'data-chain="intact"' in intact
    assert f"{AuditEvent.objects.count()} events checked" in intact
    target = written[1].sequence
    with triggers_dropped(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET object_id = '9' WHERE sequence = %s", [target])
    broken = client.get("/audit/verify/").content.decode()
    assert 'data-chain="broken"' in broken
    assert f"<dt>First broken event</dt><dd>#{target}</dd>" in broken
    assert "its content does not match its hash (altered)" in broken
    assert "portfolio.product:9" in broken


def test_csv_export_holds_the_filtered_events_and_is_audited(
    client: Client, administrator: Any
) -> None:
    record("product-created", ("portfolio.product", "1"), actor=Actor(label="alice"))
    record("product-changed", ("portfolio.product", "1"), actor=Actor(label="bob"))
    response = client.get("/audit/export.csv?actor=bob")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="medvigil-audit-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(row["actor_label"], row["action"]) for row in rows] == [("bob", "product-changed")]
    exported = AuditEvent.objects.get(action="audit-exported")
    assert exported.actor == administrator
    assert exported.details == {"format": "csv", "filters": {"actor": "bob"}, "count": 1}


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "'"])
def test_csv_cells_never_start_a_spreadsheet_formula(
    client: Client, administrator: Any, start: str
) -> None:
    hostile = f'{start}HYPERLINK("https://evil.example","x")'
    record("product-created", ("portfolio.product", hostile), actor=Actor(label=hostile))
    exported = client.get("/audit/export.csv?action=product-created").content.decode()
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert rows[0]["actor_label"] == "'" + hostile
    assert rows[0]["object_id"] == "'" + hostile
    assert all(not value.startswith(("=", "+", "-", "@", "\t", "\r")) for value in rows[0].values())


def test_json_export_holds_the_filtered_events_and_is_audited(
    client: Client, administrator: Any
) -> None:
    record("product-created", ("portfolio.product", "1"))
    record("product-created", ("portfolio.product", "2"))
    response = client.get("/audit/export.json?object_type=portfolio.product&object_id=2")
    document = json.loads(response.content)
    assert document["count"] == 1
    assert document["filters"] == {"object_type": "portfolio.product", "object_id": "2"}
    assert document["events"][0]["object_id"] == "2"
    assert set(document["events"][0]) >= {"sequence", "previous_hash", "hash", "details"}
    second = client.get("/audit/export.json?object_type=audit.auditevent").json()
    assert [event["action"] for event in second["events"]] == ["audit-exported"]
    assert AuditEvent.objects.filter(action="audit-exported").count() == 2
