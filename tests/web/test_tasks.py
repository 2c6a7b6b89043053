"""Background tasks: interactive work runs before portfolio work; tests drain deterministically."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from medvigil.platform.models import WorkerHeartbeat
from medvigil.platform.queues import INTERACTIVE_QUEUE, PORTFOLIO_QUEUE
from medvigil.platform.workers import run_worker
from tests.web import tasks_for_tests

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_record() -> None:
    tasks_for_tests.RAN.clear()


def test_tasks_land_on_their_queue_with_their_priority() -> None:
    interactive = tasks_for_tests.interactive_work.enqueue("a")
    portfolio = tasks_for_tests.portfolio_work.enqueue("b")
    stored = {str(row.id): row for row in DBTaskResult.objects.all()}
    assert stored[interactive.id].queue_name == INTERACTIVE_QUEUE
    assert stored[portfolio.id].queue_name == PORTFOLIO_QUEUE
    assert stored[interactive.id].priority > stored[portfolio.id].priority


def test_interactive_work_runs_before_waiting_portfolio_work() -> None:
    for label in ("p1", "p2", "p3"):
        tasks_for_tests.portfolio_work.enqueue(label)
    tasks_for_tests.interactive_work.enqueue("upload")
    run_worker(batch=True)
    assert tasks_for_tests.RAN == [
        "interactive:upload",
        "portfolio:p1",
        "portfolio:p2",
        "portfolio:p3",
    ]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_a_failing_task_is_recorded_and_does_not_stop_the_worker() -> None:
    tasks_for_tests.failing_work.enqueue("x")
    tasks_for_tests.interactive_work.enqueue("y")
    run_worker(batch=True)
    assert tasks_for_tests.RAN == ["failing:x", "interactive:y"]
    failed = DBTaskResult.objects.get(status="FAILED")
    assert failed.exception_class_path == "builtins.RuntimeError"
    assert "failed on purpose: x" in failed.traceback


def test_a_worker_limited_to_one_queue_leaves_the_other_alone() -> None:
    tasks_for_tests.portfolio_work.enqueue("later")
    tasks_for_tests.interactive_work.enqueue("now")
    run_worker((INTERACTIVE_QUEUE,), batch=True)
    assert tasks_for_tests.RAN == ["interactive:now"]
    assert DBTaskResult.objects.get(queue_name=PORTFOLIO_QUEUE).status == "READY"


def test_the_worker_removes_its_heartbeat_when_it_stops() -> None:
    run_worker(batch=True)
    assert WorkerHeartbeat.objects.count() == 0
