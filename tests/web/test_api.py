"""The API shell: health, OpenAPI, problem details for every error kind, pagination."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult
from openapi_spec_validator import validate

from medvigil.platform.workers import run_worker
from tests import factories
from tests.web import tasks_for_tests

PROBLEM_FIELDS = {"type", "title", "status", "detail", "instance", "request_id"}


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = json.loads(response.content)
    assert set(body) >= PROBLEM_FIELDS
    assert body["status"] == status
    assert body["request_id"] == response["X-Request-Id"]
    return body


@pytest.fixture
def administrator_client(client: Client, db: None) -> Client:
    factories.sign_in(client, factories.user(administrator=True))
    return client


def test_health_answers_without_signing_in(client: Client, db: None) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": "0.1.0", "database": "reachable"}


def test_openapi_document_is_valid_and_lists_the_endpoints(client: Client, db: None) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert document["openapi"].startswith("3.1")
    assert {"/api/v1/health", "/api/v1/tasks", "/api/v1/workers"} <= set(document["paths"])


def test_interactive_documentation_is_served_without_a_cdn(client: Client, db: None) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()


def test_unauthenticated_is_a_problem(client: Client, db: None) -> None:
    body = problem(client.get("/api/v1/tasks"), 401)
    assert body["type"] == "/api/v1/problems/unauthenticated"


def test_forbidden_is_a_problem(client: Client, db: None) -> None:
    factories.sign_in(client, factories.user())
    body = problem(client.get("/api/v1/tasks"), 403)
    assert body["detail"] == "Only administrators may see background work."


def test_unknown_endpoint_is_a_problem(client: Client, db: None) -> None:
    body = problem(client.get("/api/v1/no-such-thing"), 404)
    assert body["detail"] == "There is no API endpoint at /api/v1/no-such-thing."


def test_missing_object_is_a_problem(administrator_client: Client) -> None:
    missing = "/api/v1/tasks/00000000-0000-0000-0000-000000000000/retry"
    problem(administrator_client.post(missing), 404)


def test_validation_error_is_a_problem_with_the_location(administrator_client: Client) -> None:
    body = problem(administrator_client.get("/api/v1/tasks?limit=0"), 422)
    assert body["errors"][0]["location"] == ["query", "limit"]


def test_conflict_is_a_problem(administrator_client: Client) -> None:
    result = tasks_for_tests.interactive_work.enqueue("not failed")
    body = problem(administrator_client.post(f"/api/v1/tasks/{result.id}/retry"), 409)
    assert body["detail"] == "Only failed tasks can be retried; this one is READY."


def test_too_large_is_a_problem_and_nothing_is_read(
    administrator_client: Client, settings: Any
) -> None:
    settings.MAX_REQUEST_BYTES = 1024
    response = administrator_client.post(
        "/api/v1/tasks/00000000-0000-0000-0000-000000000000/retry",
        data=b"x" * 4096,
        content_type="application/octet-stream",
    )
    body = problem(response, 413)
    assert body["type"] == "/api/v1/problems/too-large"


@pytest.mark.django_db(transaction=True)
def test_a_failed_task_can_be_retried(client: Client) -> None:
    factories.sign_in(client, factories.user(administrator=True))
    tasks_for_tests.failing_work.enqueue("again")
    run_worker(batch=True)
    failed = DBTaskResult.objects.get(status="FAILED")
    response = client.post(f"/api/v1/tasks/{failed.id}/retry")
    assert response.status_code == 200
    retried = DBTaskResult.objects.get(id=response.json()["task_id"])
    assert (retried.status, retried.task_path) == ("READY", failed.task_path)
    assert retried.args_kwargs == failed.args_kwargs
    from medvigil.audit.models import AuditEvent

    event = AuditEvent.objects.get(action="task-retried")
    assert event.details["new_task_id"] == str(retried.id)


def test_pagination_walks_every_item_once_in_order(administrator_client: Client) -> None:
    created = [str(tasks_for_tests.interactive_work.enqueue(str(n)).id) for n in range(7)]
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        query = "/api/v1/tasks?limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = administrator_client.get(query).json()
        seen.extend(item["id"] for item in page["items"])
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert sorted(seen) == sorted(created)
    assert len(set(seen)) == 7
    expected_order = list(
        DBTaskResult.objects.order_by("-enqueued_at", "-id").values_list("id", flat=True)
    )
    assert seen == [str(identifier) for identifier in expected_order]


def test_a_forged_cursor_is_refused(administrator_client: Client) -> None:
    body = problem(administrator_client.get("/api/v1/tasks?cursor=forged"), 400)
    assert body["detail"] == "The cursor is not one this server issued."


def test_unsafe_api_calls_with_a_session_need_the_csrf_token(db: None) -> None:
    client = Client(enforce_csrf_checks=True)
    factories.sign_in(client, factories.user(administrator=True))
    response = client.post("/api/v1/tasks/00000000-0000-0000-0000-000000000000/retry")
    problem(response, 403)
