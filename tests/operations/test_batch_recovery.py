"""`medvigil worker --batch` finishes a task whose worker died, as a long-running worker does.

An installation run from cron has no long-running worker: before, a task left
running by a killed worker stayed running (and `medvigil check` failing) for
ever, since only heartbeats looked for lost tasks. Real processes on one
database: a full re-match left running by a dead worker, then one
`worker --batch`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.crashes import Sites, lost_task_reported, sites

TASK = (
    "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult "
    "WHERE task_path LIKE '%.rematch_all_task'"
)


@pytest.fixture
def crash_sites(migrated_home_template: Path, tmp_path: Path) -> Iterator[Sites]:
    yield from sites(migrated_home_template, tmp_path)


def workers(row: tuple[Any, ...]) -> list[str]:
    return list(json.loads(row[1]) if isinstance(row[1], str) else row[1])


def test_a_batch_worker_puts_a_lost_task_back_and_runs_it(crash_sites: Sites) -> None:
    site = crash_sites.copy()
    queued = site.run("findings", "rematch", "--queue")
    assert queued.returncode == 0, queued.stderr
    # What `kill -9` of its worker leaves: the task running, claimed by a worker with no
    # heartbeat any more (workers die between heartbeats; a stale one counts the same).
    site.execute(
        "UPDATE django_tasks_database_dbtaskresult SET status = 'RUNNING', "
        "started_at = '2026-01-01 00:00:00', worker_ids = '[\"killed-worker\"]' "
        "WHERE task_path LIKE '%.rematch_all_task'"
    )
    assert lost_task_reported(site)

    finished = site.run("worker", "--batch")

    assert finished.returncode == 0, finished.stderr
    assert "1 put back on their queue" in finished.stdout
    (row,) = site.rows(TASK)
    assert row[0] == "SUCCESSFUL"
    assert len(workers(row)) == 2  # the killed worker's claim, then the batch run's
    requeued = site.value("SELECT count(*) FROM audit_auditevent WHERE action = 'task-requeued'")
    assert requeued == 1
    assert not lost_task_reported(site)
