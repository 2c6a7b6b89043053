"""The page shell: sign-in and a dashboard of real counts."""

from __future__ import annotations

import pytest
from django.test import Client

from tests import factories
from tests.web import tasks_for_tests

pytestmark = pytest.mark.django_db


def tile(page: str, key: str) -> int:
    marker = f'data-tile="{key}"'
    start = page.index(marker)
    value_start = page.index('class="value">', start) + len('class="value">')
    return int(page[value_start : page.index("<", value_start)])


def test_pages_require_signing_in(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/"


def test_sign_in_of_an_outside_user_opens_the_dashboard(client: Client) -> None:
    factories.user(username="alice", roles={"researcher"})
    response = client.post(
        "/sign-in/", {"username": "alice", "password": factories.PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert b"<h1>Dashboard</h1>" in response.content


def test_sign_in_of_an_inside_user_asks_for_the_authenticator_first(client: Client) -> None:
    factories.user(username="ines")
    response = client.post(
        "/sign-in/", {"username": "ines", "password": factories.PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/account/mfa/setup"
    assert client.get("/").status_code == 302


def test_sign_in_with_a_wrong_password_says_so(client: Client) -> None:
    factories.user(username="bob")
    response = client.post("/sign-in/", {"username": "bob", "password": "wrong"})
    assert response.status_code == 200
    assert b"The user name or password is not right" in response.content
    assert "_auth_user_id" not in client.session


def test_dashboard_counts_come_from_the_database(client: Client) -> None:
    factories.sign_in(client, factories.user(administrator=True))
    page = client.get("/").content.decode()
    assert tile(page, "users") == 1
    assert tile(page, "tasks-waiting") == 0
    factories.user()
    factories.user()
    tasks_for_tests.portfolio_work.enqueue("waiting")
    refreshed = client.get("/dashboard/tiles").content.decode()
    assert tile(refreshed, "users") == 3
    assert tile(refreshed, "tasks-waiting") == 1
    assert "No task worker is running" in refreshed


def test_navigation_shows_administration_only_to_administrators(client: Client) -> None:
    factories.sign_in(client, factories.user())
    assert b'href="/admin/"' not in client.get("/").content
    factories.sign_in(client, factories.user(administrator=True))
    assert b'href="/admin/"' in client.get("/").content


def test_sign_out_ends_the_session(client: Client) -> None:
    factories.sign_in(client, factories.user())
    response = client.post("/sign-out/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_tiles_count_only_what_the_viewer_may_see(client: Client) -> None:
    own_team, other_team = factories.team(), factories.team()
    factories.product(owner=own_team)
    factories.product(owner=other_team)
    factories.product(owner=other_team)
    factories.sign_in(client, factories.user(roles={"product-security"}, teams=[own_team]))
    page = client.get("/").content.decode()
    assert tile(page, "products") == 1
    assert 'data-tile="users"' not in page
    factories.sign_in(client, factories.user(roles={"researcher"}))
    outside = client.get("/").content.decode()
    assert tile(outside, "products") == 0
    assert 'data-tile="tasks-failed"' not in outside
