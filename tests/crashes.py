"""Crash tests: real `medvigil` processes on one database, killed with SIGKILL, then recovered.

A `Site` is a home folder and its database, as an operator has them: a
SQLite file in the home, or, when the suite runs under `tools/with-postgres`
(DATABASE_URL set), a PostgreSQL database of its own on that server, copied
from a migrated template (`CREATE DATABASE … TEMPLATE …`). Tests read the
state through plain SQL, as an operator's query would, and wait by polling
it with a deadline, never by sleeping a fixed time.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from tests.cli import cli_environment

# A worker killed on this machine is noticed at once (its process id is gone), and
# a starting worker looks for lost tasks before its first task: no wait is needed.
BASE_ENVIRONMENT = {
    "MEDVIGIL_FULL_REMATCH_HOURS": "0",  # no scheduled re-match competing with the task under test
}
POLL_SECONDS = 0.02
TIMEOUT_SECONDS = 120.0


class Site:
    """One installation: its home and its database (SQLite file or PostgreSQL database)."""

    def __init__(self, home: Path, database_url: str | None = None) -> None:
        self.home = home
        self.database_url = database_url

    def environment(self, **extra: str) -> dict[str, str]:
        environment = {**cli_environment(self.home), **BASE_ENVIRONMENT, **extra}
        if self.database_url:
            environment["DATABASE_URL"] = self.database_url
        return environment

    def run(self, *arguments: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "medvigil", *arguments],
            env=self.environment(**extra),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    def start(self, *arguments: str, **extra: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-m", "medvigil", *arguments],
            env=self.environment(**extra),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def start_module(self, module: str, *arguments: str) -> subprocess.Popen[bytes]:
        """`python -m module` on this site, left running (to be killed)."""
        return subprocess.Popen(
            [sys.executable, "-m", module, *arguments],
            env=self.environment(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def run_module(self, module: str, *arguments: str) -> subprocess.CompletedProcess[str]:
        """`python -m module` on this site (a set-up script of the tests)."""
        return subprocess.run(
            [sys.executable, "-m", module, *arguments],
            env=self.environment(),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    def rows(self, sql: str, *parameters: Any) -> list[tuple[Any, ...]]:
        """Run one read-only query (`%s` placeholders); retried while the database is locked."""
        deadline = time.monotonic() + 30
        while True:
            try:
                return self._query(sql, parameters)
            except Exception as error:  # sqlite3/psycopg OperationalError while a writer commits
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(POLL_SECONDS)

    def _query(self, sql: str, parameters: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        if self.database_url:
            import psycopg  # only under tools/with-postgres

            with psycopg.connect(self.database_url, autocommit=True) as connection:
                found = connection.execute(sql, parameters or None)  # type: ignore[arg-type]
                return list(found.fetchall())
        connection = sqlite3.connect(self.home / "medvigil.sqlite3", timeout=30)
        try:
            return list(connection.execute(sql.replace("%s", "?"), parameters).fetchall())
        finally:
            connection.close()

    def execute(self, sql: str) -> None:
        """One write, committed (setting up what no command creates)."""
        if self.database_url:
            import psycopg  # only under tools/with-postgres

            with psycopg.connect(self.database_url, autocommit=True) as connection:
                connection.execute(sql)  # type: ignore[arg-type]
            return
        connection = sqlite3.connect(self.home / "medvigil.sqlite3", timeout=30)
        try:
            with connection:
                connection.execute(sql)
        finally:
            connection.close()

    def value(self, sql: str, *parameters: Any) -> Any:
        return self.rows(sql, *parameters)[0][0]


def lost_task_reported(site: Site) -> bool:
    """`medvigil check` fails on its "lost tasks" line (a task running on a dead worker)."""
    check = site.run("check")
    line = next(line for line in check.stdout.splitlines() if "lost tasks" in line)
    return check.returncode == 1 and "failing" in line


def wait_until(condition: Callable[[], bool], what: str, seconds: float = TIMEOUT_SECONDS) -> float:
    """Poll `condition` until true; returns the seconds it took. Fails with `what` on timeout."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > seconds:
            raise AssertionError(f"timed out after {seconds:.0f} s waiting for {what}")
        time.sleep(POLL_SECONDS)
    return time.monotonic() - started


def kill(process: subprocess.Popen[Any]) -> None:
    """SIGKILL, as `kill -9` or the out-of-memory killer would; reaps the process."""
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def stop(process: subprocess.Popen[Any]) -> None:
    """End a process the test started (politely, then by force)."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            kill(process)


class Sites:
    """Makes sites from the migrated home template, and removes their databases afterwards."""

    def __init__(self, template: Path, folder: Path, server_url: str | None) -> None:
        self.template = Site(template)
        self.folder = folder
        self.server_url = server_url
        self.created: list[str] = []
        if server_url:  # one migrated template database per test session
            self.template = self._postgres_copy(template, None)
            migrated = self.template.run("migrate")
            assert migrated.returncode == 0, migrated.stderr

    def _database_url(self, name: str) -> str:
        assert self.server_url
        parts = urlsplit(self.server_url)
        return urlunsplit(parts._replace(path=f"/{name}"))

    def _admin(self, statement: str) -> None:
        import psycopg  # only under tools/with-postgres

        assert self.server_url
        with psycopg.connect(self.server_url, autocommit=True) as connection:
            connection.execute(statement)  # type: ignore[arg-type]

    def _postgres_copy(self, home: Path, source: Site | None) -> Site:
        name = f"crash_{uuid.uuid4().hex[:12]}"
        template = (
            f" TEMPLATE {urlsplit(source.database_url or '').path.lstrip('/')}" if source else ""
        )
        self._admin(f"CREATE DATABASE {name}{template}")
        self.created.append(name)
        return Site(home, self._database_url(name))

    def copy(self, source: Site | None = None, name: str | None = None) -> Site:
        """A private copy of `source` (default: the migrated template): home and database."""
        origin = source or self.template
        home = self.folder / (name or uuid.uuid4().hex[:8])
        shutil.copytree(origin.home, home)
        if self.server_url:
            return self._postgres_copy(home, origin)
        return Site(home)

    def close(self) -> None:
        for name in reversed(self.created):
            self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def sites(template: Path, folder: Path) -> Iterator[Sites]:
    made = Sites(template, folder, os.environ.get("DATABASE_URL"))
    try:
        yield made
    finally:
        made.close()
