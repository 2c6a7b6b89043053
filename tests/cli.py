"""Run the `medvigil` command as a user would: a subprocess on its own home folder."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path


def cli_environment(home: Path) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MEDVIGIL_", "DJANGO_")) and key != "DATABASE_URL"
    }
    environment["MEDVIGIL_HOME"] = str(home)
    return environment


def run_cli(
    home: Path, *arguments: str, stdin: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "medvigil", *arguments],
        env=cli_environment(home),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def start_cli(home: Path, *arguments: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "medvigil", *arguments],
        env=cli_environment(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class OutputCollector(threading.Thread):
    """Reads a process's output in the background so tests can wait for a line."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        super().__init__(daemon=True)
        self.process = process
        self.lines: list[str] = []

    def run(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    def wait_for(self, text: str, seconds: float = 90) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if any(text in line for line in self.lines):
                return True
            if self.process.poll() is not None and not self.is_alive():
                return False
            time.sleep(0.2)
        return False

    @property
    def text(self) -> str:
        return "".join(self.lines)


def copy_home(template: Path, destination: Path) -> Path:
    """A private copy of a migrated home: its database, secret key and folders."""
    shutil.copytree(template, destination)
    return destination
