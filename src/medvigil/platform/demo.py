"""The demo installation: people, and as capabilities land, a portfolio.

Loading is idempotent: a second run changes nothing and prints the same
credentials. Each capability adds a step with `register_demo_step`; a step
returns lines that describe what it loaded.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

DEMO_ADMINISTRATOR = "admin"
DemoStep = Callable[[], list[str]]
DEMO_STEPS: list[DemoStep] = []


@dataclass(frozen=True)
class DemoResult:
    username: str
    password: str
    credentials_file: Path
    report: list[str]


def register_demo_step(step: DemoStep) -> DemoStep:
    DEMO_STEPS.append(step)
    return step


def demo_password(home: Path) -> tuple[str, Path]:
    """A random password made once per home and kept there (mode 0600)."""
    path = home / "demo-credentials"
    if path.exists():
        return path.read_text(encoding="utf-8").strip(), path
    password = "-".join(secrets.token_urlsafe(6) for _ in range(3))
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(password)
    return password, path


def load_demo(home: Path) -> DemoResult:
    """Run every registered step (the accounts step creates the administrator first)."""
    password, credentials_file = demo_password(home)
    report: list[str] = []
    for step in DEMO_STEPS:
        with transaction.atomic():
            report.extend(step())
    return DemoResult(DEMO_ADMINISTRATOR, password, credentials_file, report)
