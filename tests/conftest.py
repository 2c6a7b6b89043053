"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

REPOSITORY = Path(__file__).resolve().parents[1]
# The files of the public corpus the tests use, for a clone without ../shared.
BUNDLED_DATA = REPOSITORY / "tests" / "data"
WHOLE_CORPUS_LEFT_OUT = pytest.StashKey[int]()

# Property tests on a loaded 2-core machine (CI runs both suites back to back):
# no per-example deadline and no "too slow" health check, same examples.
# `MEDVIGIL_HYPOTHESIS_PROFILE=slow-machine` chooses it; CI sets it.
hypothesis_settings.register_profile(
    "slow-machine",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
hypothesis_settings.register_profile("default")
hypothesis_settings.load_profile(
    os.environ.get(
        "MEDVIGIL_HYPOTHESIS_PROFILE", "slow-machine" if os.environ.get("CI") else "default"
    )
)


def shared_data_directory() -> Path:
    """The public data set the tests read in place (read-only).

    `MEDVIGIL_SHARED_DATA` names the whole public corpus; without it, the
    corpus beside the repository (`../shared/data`, as in CI) when present,
    else the trimmed copy of the files the tests use, in `tests/data`. A named
    folder that is missing is an error, never a skip.
    """
    configured = os.environ.get("MEDVIGIL_SHARED_DATA")
    if configured:
        path = Path(configured)
    else:
        beside = REPOSITORY.parent / "shared" / "data"
        path = beside if beside.is_dir() else BUNDLED_DATA
    if not path.is_dir():
        raise RuntimeError(
            f"public test data not found at {path}; set MEDVIGIL_SHARED_DATA to its folder"
        )
    return path


def corpus_is_bundled() -> bool:
    return shared_data_directory() == BUNDLED_DATA


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On the trimmed copy, tests that count the whole corpus are left out, and said so."""
    if not corpus_is_bundled():
        return
    whole = [item for item in items if item.get_closest_marker("whole_corpus")]
    if whole:
        config.hook.pytest_deselected(items=whole)
        items[:] = [item for item in items if not item.get_closest_marker("whole_corpus")]
        config.stash[WHOLE_CORPUS_LEFT_OUT] = len(whole)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    left_out = config.stash.get(WHOLE_CORPUS_LEFT_OUT, 0)
    if left_out:
        terminalreporter.write_line(
            f"{left_out} tests over the whole public corpus did not run: tests/data holds a "
            "trimmed copy; set MEDVIGIL_SHARED_DATA or put the corpus in ../shared/data"
        )


@pytest.fixture(scope="session")
def shared_data() -> Path:
    return shared_data_directory()


@pytest.fixture(autouse=True)
def private_document_store(settings: Any, tmp_path: Path) -> None:
    """Each test writes documents and feed caches into its own folder, and hashes quickly."""
    settings.PASSWORD_HASHERS = ["tests.hashers.QuickArgon2PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "documents"
    settings.FEED_CACHE_DIRECTORY = tmp_path / "feeds"
    settings.FEED_RETRY_BACKOFF_SECONDS = 0.01
    # Checkpoints describe one database: a test's rolled-back chain must not meet another's.
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints"
    settings.AUDIT_CHECKPOINT_KEY_FILE = tmp_path / "audit-checkpoint.key"


def wants_transactional_database(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    transactional_marker = marker is not None and marker.kwargs.get("transaction", False)
    return bool(transactional_marker) or "transactional_db" in request.fixturenames


@pytest.fixture(autouse=True)
def audit_triggers_allow_flush(request: pytest.FixtureRequest) -> Any:
    """Let pytest-django empty the append-only audit table between transactional tests.

    SQLite's flush deletes rows, which the audit triggers refuse; the triggers
    are dropped just before the flush and created again before the next test.
    """
    if not wants_transactional_database(request):
        yield
        return
    request.getfixturevalue("transactional_db")
    from django.db import connection

    from medvigil.audit import triggers

    def run(create: bool) -> None:
        if connection.vendor != "sqlite":
            return
        with connection.cursor() as cursor:
            for statement in triggers.statements("sqlite", create=create):
                cursor.execute(statement)

    run(create=True)
    yield
    run(create=False)


@pytest.fixture(autouse=True)
def audit_triggers_present(request: pytest.FixtureRequest) -> None:
    """A non-transactional database test after a transactional one still has the triggers.

    The fixture above drops them before each flush; here they are created again
    (inside the test's transaction) so every test sees an append-only table.
    """
    uses_database = (
        request.node.get_closest_marker("django_db") is not None or "db" in request.fixturenames
    )
    if not uses_database or wants_transactional_database(request):
        return
    request.getfixturevalue("db")
    from django.db import connection

    from medvigil.audit import triggers

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for statement in triggers.statements("sqlite", create=True):
                cursor.execute(statement)


@pytest.fixture(scope="session")
def migrated_home_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One home migrated by `medvigil migrate`, copied for each test that needs one."""
    from tests.cli import run_cli

    home = tmp_path_factory.mktemp("template") / "home"
    result = run_cli(home, "migrate")
    assert result.returncode == 0, result.stderr
    return home


@pytest.fixture
def migrated_home(migrated_home_template: Path, tmp_path: Path) -> Path:
    from tests.cli import copy_home

    return copy_home(migrated_home_template, tmp_path / "migrated-home")
