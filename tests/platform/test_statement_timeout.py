"""Web requests on PostgreSQL stop a statement past the limit and answer 503.

On SQLite there is no such limit: the middleware sends nothing to the database.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.platform.slow_urls")]


def test_a_statement_past_the_limit_is_answered_503_problem(client: Any, settings: Any) -> None:
    settings.WEB_STATEMENT_TIMEOUT_SECONDS = 1
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/slow/")
        api = client.get("/api/v1/slow/")
    limits = [query["sql"] for query in queries if "statement_timeout" in query["sql"]]
    if connection.vendor != "postgresql":
        assert page.status_code == 200
        assert api.status_code == 200
        assert limits == []
        return
    assert limits == ["SET statement_timeout = 1000"]
    assert page.status_code == 503
    assert page["Retry-After"] == "30"
    assert "took too long" in page.content.decode()
    assert api.status_code == 503
    problem = json.loads(api.content)
    assert problem["status"] == 503
    assert "took too long" in problem["detail"]


def test_no_limit_when_switched_off(client: Any, settings: Any) -> None:
    settings.WEB_STATEMENT_TIMEOUT_SECONDS = 0
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/slow/")
    assert response.status_code == 200
    assert not any("statement_timeout" in query["sql"] for query in queries)


def test_the_limit_is_configured_in_whole_seconds(tmp_path: Any) -> None:
    from medvigil.configuration import ConfigurationError, read_configuration

    home = {"MEDVIGIL_HOME": str(tmp_path)}
    assert read_configuration(home).web_statement_timeout_seconds == 20
    configured = {**home, "MEDVIGIL_WEB_STATEMENT_TIMEOUT": "5"}
    assert read_configuration(configured).web_statement_timeout_seconds == 5
    with pytest.raises(ConfigurationError, match="MEDVIGIL_WEB_STATEMENT_TIMEOUT must be"):
        read_configuration({**home, "MEDVIGIL_WEB_STATEMENT_TIMEOUT": "soon"})
