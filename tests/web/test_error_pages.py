"""Error pages: inside the site's page shell, with the reason, and one log line per refusal."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.views.defaults import server_error

from tests import factories

pytestmark = pytest.mark.django_db
NAVIGATION = 'aria-label="Capability areas"'


@pytest.fixture
def viewer(client: Client) -> Any:
    user = factories.user()
    factories.sign_in(client, user)
    return user


def test_a_refused_page_says_why_with_the_navigation_and_logs_no_traceback(
    client: Client, viewer: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/audit/")
    assert response.status_code == 403
    page = response.text
    assert "<h1>Not allowed</h1>" in page
    assert "may read the audit trail" in page
    assert NAVIGATION in page
    assert 'href="/"' in page
    assert "Content-Security-Policy" in response.headers
    refusals = [entry for entry in caplog.records if entry.name == "django.request"]
    assert refusals
    assert all(entry.exc_info is None for entry in refusals)


def test_a_missing_page_has_the_navigation(client: Client, viewer: Any) -> None:
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "<h1>Not found</h1>" in response.text
    assert "/no/such/page/" in response.text
    assert NAVIGATION in response.text


def test_a_body_too_large_is_refused_on_a_page_with_the_reason(
    client: Client, viewer: Any, settings: Any
) -> None:
    settings.MAX_REQUEST_BYTES = 1024
    response = client.post("/products/", data={"name": "x" * 4096}, HTTP_ACCEPT="text/html")
    assert response.status_code == 413
    assert "<h1>Too large</h1>" in response.text
    assert "larger than the 0 MB" not in response.text
    assert "this server accepts" in response.text
    assert NAVIGATION in response.text


def test_the_api_still_answers_a_body_too_large_with_a_problem(
    client: Client, viewer: Any, settings: Any
) -> None:
    settings.MAX_REQUEST_BYTES = 1024
    response = client.post("/api/v1/products", data={"name": "x" * 4096})
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/problem+json")


def test_a_server_error_page_uses_the_page_shell() -> None:
    request = RequestFactory().get("/")
    response = server_error(request)
    assert response.status_code == 500
    page = response.content.decode()
    assert "<h1>Something went wrong</h1>" in page
    assert 'class="brand"' in page
