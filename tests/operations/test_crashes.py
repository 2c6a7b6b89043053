"""Crash tests: each long task killed with SIGKILL half-way, then finished by a fresh worker.

Real processes (`medvigil worker`, `medvigil feeds import`) on one database
(SQLite, or PostgreSQL under tools/with-postgres), on the public PyPI advisory
database and an SBOM naming its packages. Each test waits until the task has
demonstrably committed part of its work, kills it, starts a fresh worker, and
shows the result equals that of a run without the crash: the same findings,
no duplicate row, the task run again (two attempts) and the recovery audited.
Components are matched a few per transaction (MEDVIGIL_MATCH_CHUNK_SIZE), so
the middle of the work lasts long enough to be seen; the full re-match runs as
tasks of MEDVIGIL_REMATCH_TASK_SIZE components, one of which is killed.
"""

from __future__ import annotations

import json
import os
import signal
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.cli import free_port
from tests.crashes import Site, Sites, kill, lost_task_reported, sites, stop, wait_until

PACKAGES = 160  # folders of the PyPI advisory database taken, in name order
SLOW = {"MEDVIGIL_MATCH_CHUNK_SIZE": "2"}
FINDINGS = (
    "SELECT vulnerability.canonical_id, finding.component_purl, finding.state, "
    "finding.method, finding.confidence FROM vulns_finding AS finding "
    "JOIN vulns_vulnerability AS vulnerability ON vulnerability.id = finding.vulnerability_id"
)


@pytest.fixture(scope="module")
def crash_sites(
    migrated_home_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Sites]:
    yield from sites(migrated_home_template, tmp_path_factory.mktemp("crash-sites"))


@pytest.fixture(scope="module")
def pypi(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A feed folder of real PyPI advisories, and an SBOM naming each package at version 0.0.1."""
    source = shared_data / "osv/PyPI/pypa-advisory-database/vulns"
    folder = tmp_path_factory.mktemp("pypi")
    feed = folder / "feed"
    feed.mkdir()
    packages = sorted(path for path in source.iterdir() if path.is_dir())[:PACKAGES]
    for package in packages:
        for advisory in sorted(package.iterdir()):
            (feed / f"{package.name}-{advisory.name}").write_bytes(advisory.read_bytes())
    components = [
        {
            "type": "library",
            "bom-ref": package.name,
            "name": package.name,
            "version": "0.0.1",
            "purl": f"pkg:pypi/{package.name}@0.0.1",
        }
        for package in packages
    ]
    sbom = folder / "device.cdx.json"
    sbom.write_text(
        json.dumps(
            {"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": components}
        )
    )
    return feed, sbom


def succeeded(result: Any) -> None:
    assert result.returncode == 0, result.stdout + result.stderr


def import_sbom(site: Site, sbom: Path) -> None:
    succeeded(site.run("sbom", "import", "PUMP-1", "1.0", str(sbom), "--name", "Pump"))


def with_team(site: Site) -> Site:
    site.execute(  # the command line has no team command: one row
        "INSERT INTO accounts_team (name, description, created_at) "
        "VALUES ('Pumps', '', '2025-01-01 00:00:00')"
    )
    return site


@pytest.fixture(scope="module")
def advisories_site(crash_sites: Sites, pypi: tuple[Path, Path]) -> Site:
    """Advisories imported, no SBOM yet."""
    site = with_team(crash_sites.copy(name="advisories"))
    succeeded(site.run("feeds", "import", str(pypi[0])))
    return site


@pytest.fixture(scope="module")
def components_site(crash_sites: Sites, pypi: tuple[Path, Path]) -> Site:
    """An SBOM imported and matched (its components' keys known), no advisory yet."""
    site = with_team(crash_sites.copy(name="components"))
    import_sbom(site, pypi[1])
    succeeded(site.run("worker", "--batch"))
    return site


@pytest.fixture(scope="module")
def matched_site(crash_sites: Sites, advisories_site: Site, pypi: tuple[Path, Path]) -> Site:
    """Advisories, then the SBOM, matched without any crash: the expected result."""
    site = crash_sites.copy(advisories_site, name="matched")
    import_sbom(site, pypi[1])
    succeeded(site.run("worker", "--batch"))
    return site


@pytest.fixture(scope="module")
def expected(matched_site: Site) -> list[tuple[Any, ...]]:
    found = sorted(matched_site.rows(FINDINGS))
    assert len(found) > 100
    return found


def task_row(site: Site, name: str) -> tuple[str, str, Any] | None:
    """(status, worker ids, started at) of the one task named `name`."""
    rows = site.rows(
        "SELECT status, worker_ids, started_at "
        "FROM django_tasks_database_dbtaskresult WHERE task_path LIKE %s",
        f"%.{name}",
    )
    assert len(rows) <= 1, rows
    if not rows:
        return None
    status, workers, started = rows[0]
    return status, workers if isinstance(workers, str) else json.dumps(workers), started


def findings_count(site: Site) -> int:
    return int(site.value("SELECT count(*) FROM vulns_finding"))


def in_the_middle(site: Site, task: str, done: int, total: int) -> bool:
    row = task_row(site, task)
    return row is not None and row[0] == "RUNNING" and 0 < done < total


def recover(site: Site, task: str) -> float:
    """Start a fresh worker, wait until `task` succeeded; the seconds it took."""
    worker = site.start("worker")
    try:
        return wait_until(
            lambda: (task_row(site, task) or ("",))[0] == "SUCCESSFUL", f"{task} to succeed"
        )
    finally:
        stop(worker)


def assert_recovered_as_without_crash(site: Site, task: str, expected: list[Any]) -> None:
    assert sorted(site.rows(FINDINGS)) == expected
    duplicates = site.rows(
        "SELECT vulnerability_id, component_id FROM vulns_finding "
        "GROUP BY vulnerability_id, component_id HAVING count(*) > 1"
    )
    assert duplicates == []
    status, workers, _started = task_row(site, task) or ("", "[]", "")
    assert status == "SUCCESSFUL"
    assert len(json.loads(workers)) == 2  # the killed attempt, then the fresh worker's
    requeued = site.rows("SELECT details FROM audit_auditevent WHERE action = 'task-requeued'")
    assert len(requeued) == 1
    details = requeued[0][0]
    assert (json.loads(details) if isinstance(details, str) else details)["task"].endswith(task)
    running = site.rows(
        "SELECT id FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'"
    )
    assert running == []


def test_matching_a_new_sbom_killed_half_way_ends_with_every_finding(
    crash_sites: Sites, advisories_site: Site, pypi: tuple[Path, Path], expected: list[Any]
) -> None:
    site = crash_sites.copy(advisories_site)
    import_sbom(site, pypi[1])  # queues the matching of its components
    worker = site.start("worker", **SLOW)
    try:
        wait_until(
            lambda: in_the_middle(site, "match_document_task", findings_count(site), len(expected)),
            "the matching to commit its first findings",
        )
    finally:
        kill(worker)
    assert 0 < findings_count(site) < len(expected)
    assert lost_task_reported(site)

    seconds = recover(site, "match_document_task")

    assert_recovered_as_without_crash(site, "match_document_task", expected)
    print(
        f"sbom matching: {len(expected)} findings expected and found; recovered in {seconds:.1f} s"
    )


def test_re_matching_after_a_feed_import_killed_half_way_ends_with_every_finding(
    crash_sites: Sites, components_site: Site, pypi: tuple[Path, Path], expected: list[Any]
) -> None:
    site = crash_sites.copy(components_site)
    succeeded(site.run("feeds", "import", "--queue", str(pypi[0])))  # re-match left to a worker
    worker = site.start("worker", **SLOW)
    try:
        wait_until(
            lambda: in_the_middle(
                site, "rematch_after_import", findings_count(site), len(expected)
            ),
            "the re-match to commit its first findings",
        )
    finally:
        kill(worker)
    assert lost_task_reported(site)

    seconds = recover(site, "rematch_after_import")

    assert_recovered_as_without_crash(site, "rematch_after_import", expected)
    print(
        f"feed re-match: {len(expected)} findings expected and found; recovered in {seconds:.1f} s"
    )


def test_feeds_import_killed_while_re_matching_in_the_foreground_loses_no_finding(
    crash_sites: Sites, components_site: Site, pypi: tuple[Path, Path], expected: list[Any]
) -> None:
    site = crash_sites.copy(components_site)
    command = site.start("feeds", "import", str(pypi[0]), **SLOW)
    try:
        wait_until(
            lambda: in_the_middle(
                site, "rematch_after_import", findings_count(site), len(expected)
            ),
            "the command's re-match to commit its first findings",
        )
    finally:
        kill(command)
    assert site.rows("SELECT status FROM vulns_feedimport") == [("succeeded",)]
    assert 0 < findings_count(site) < len(expected)
    # Before: the import was recorded as done and nothing knew its re-match was cut short.
    assert lost_task_reported(site)

    seconds = recover(site, "rematch_after_import")

    assert_recovered_as_without_crash(site, "rematch_after_import", expected)
    print(
        f"feeds import (foreground re-match): {len(expected)} findings expected and found; "
        f"recovered in {seconds:.1f} s"
    )


def test_feeds_import_interrupted_with_ctrl_c_while_re_matching_leaves_it_to_the_worker(
    crash_sites: Sites, components_site: Site, pypi: tuple[Path, Path], expected: list[Any]
) -> None:
    site = crash_sites.copy(components_site)
    command = site.start("feeds", "import", str(pypi[0]), **SLOW)
    try:
        wait_until(
            lambda: in_the_middle(
                site, "rematch_after_import", findings_count(site), len(expected)
            ),
            "the command's re-match to commit its first findings",
        )
        command.send_signal(signal.SIGINT)
        assert command.wait(timeout=60) == 130
    finally:
        kill(command)
    statuses = site.rows(
        "SELECT status FROM django_tasks_database_dbtaskresult "
        "WHERE task_path LIKE '%.rematch_after_import' ORDER BY enqueued_at"
    )
    assert statuses == [("FAILED",), ("READY",)]  # the interrupted run, and its retry queued
    assert site.value("SELECT count(*) FROM audit_auditevent WHERE action = 'task-retried'") == 1

    succeeded(site.run("worker", "--batch"))

    assert sorted(site.rows(FINDINGS)) == expected


def range_tasks(site: Site) -> list[tuple[str, str, Any, Any]]:
    """(id, status, worker ids, started at) of each task of the full re-match's ranges."""
    rows = site.rows(
        "SELECT id, status, worker_ids, started_at FROM django_tasks_database_dbtaskresult "
        "WHERE task_path LIKE '%.rematch_range_task'"
    )
    return [
        (str(pk), status, workers if isinstance(workers, str) else json.dumps(workers), started)
        for pk, status, workers, started in rows
    ]


def test_a_full_re_match_killed_half_way_examines_every_component_once_recovered(
    crash_sites: Sites, matched_site: Site, expected: list[Any]
) -> None:
    site = crash_sites.copy(matched_site)
    succeeded(site.run("findings", "rematch", "--queue"))
    # Ranges of 40 of the 160 components: four tasks, each committing two components at a time.
    worker = site.start("worker", MEDVIGIL_REMATCH_TASK_SIZE="40", **SLOW)

    def half_way_through_a_range() -> bool:
        running = [row for row in range_tasks(site) if row[1] == "RUNNING"]
        if len(running) != 1:
            return False
        seen = int(
            site.value("SELECT count(*) FROM vulns_finding WHERE last_seen >= %s", running[0][3])
        )
        return seen > 0  # committed part of its range, and still running

    try:
        wait_until(half_way_through_a_range, "a range of the full re-match to commit a chunk")
        started = (task_row(site, "rematch_all_task") or ("", "", ""))[2]
        [killed] = [row[0] for row in range_tasks(site) if row[1] == "RUNNING"]
    finally:
        kill(worker)
    assert len(range_tasks(site)) == 4
    assert lost_task_reported(site)

    worker = site.start("worker")
    try:
        seconds = wait_until(
            lambda: {row[1] for row in range_tasks(site)} == {"SUCCESSFUL"},
            "every range to succeed",
        )
    finally:
        stop(worker)

    assert sorted(site.rows(FINDINGS)) == expected
    duplicates = site.rows(
        "SELECT vulnerability_id, component_id FROM vulns_finding "
        "GROUP BY vulnerability_id, component_id HAVING count(*) > 1"
    )
    assert duplicates == []
    attempts = {row[0]: len(json.loads(row[2])) for row in range_tasks(site)}
    assert attempts[killed] == 2  # the killed attempt, then the fresh worker's
    assert sorted(attempts.values()) == [1, 1, 1, 2]
    requeued = site.rows("SELECT details FROM audit_auditevent WHERE action = 'task-requeued'")
    assert len(requeued) == 1
    details = requeued[0][0]
    assert (json.loads(details) if isinstance(details, str) else details)["task"].endswith(
        "rematch_range_task"
    )
    not_seen = site.value("SELECT count(*) FROM vulns_finding WHERE last_seen < %s", started)
    assert not_seen == 0  # every component was examined again after the crash
    print(f"full re-match in ranges: {len(expected)} findings kept; recovered in {seconds:.1f} s")


def test_killed_worker_of_serve_is_started_again_and_the_web_keeps_answering(
    crash_sites: Sites, matched_site: Site
) -> None:
    site = crash_sites.copy(matched_site)
    port = free_port()
    health = f"http://127.0.0.1:{port}/api/v1/health"
    server = site.start("serve", "--port", str(port), "--with-worker", "--workers", "1")

    def worker_processes() -> set[int]:
        return {row[0] for row in site.rows("SELECT process_id FROM web_workerheartbeat")}

    try:
        wait_until(lambda: answers(health), "the web server to answer")
        wait_until(lambda: bool(worker_processes()), "the worker's first heartbeat")
        (first,) = worker_processes()
        os.kill(first, signal.SIGKILL)
        killed_at = time.monotonic()
        assert answers(health)
        wait_until(lambda: bool(worker_processes() - {first}), "a new worker")
        restarted = time.monotonic() - killed_at
        assert answers(health)
        succeeded(site.run("findings", "rematch", "--queue"))
        wait_until(
            lambda: (task_row(site, "rematch_all_task") or ("",))[0] == "SUCCESSFUL",
            "the new worker to run queued work",
        )
        assert server.poll() is None
    finally:
        stop(server)
    print(f"serve --with-worker: worker started again {restarted:.1f} s after kill -9")


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False
