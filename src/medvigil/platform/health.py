"""What `medvigil check` verifies. Capabilities add their own checks (feed ages...)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from medvigil.platform.models import WorkerHeartbeat
from medvigil.platform.selectors import database_reachable, unapplied_migrations


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str


Check = Callable[[], list[CheckResult]]
EXTRA_CHECKS: list[Check] = []


def register_check(check: Check) -> Check:
    """Add a check (e.g. the age of a vulnerability feed) to `medvigil check`."""
    EXTRA_CHECKS.append(check)
    return check


def worker_check(stale_after_seconds: int) -> CheckResult:
    threshold = timezone.now() - timedelta(seconds=stale_after_seconds)
    alive = WorkerHeartbeat.objects.filter(last_seen_at__gte=threshold).count()
    if alive:
        return CheckResult(
            "task worker", True, f"{alive} worker(s) reported in the last {stale_after_seconds} s"
        )
    return CheckResult(
        "task worker",
        False,
        f"no worker reported in the last {stale_after_seconds} s; start `medvigil worker`",
    )


def run_checks(stale_after_seconds: int | None = None) -> list[CheckResult]:
    if not database_reachable():
        engine = str(settings.DATABASES["default"]["ENGINE"]).rsplit(".", 1)[-1]
        return [CheckResult("database", False, f"cannot reach the {engine} database")]
    results = [CheckResult("database", True, "reachable")]
    pending = unapplied_migrations()
    results.append(
        CheckResult(
            "migrations", not pending, f"{len(pending)} not applied" if pending else "all applied"
        )
    )
    if pending:
        return results
    results.append(worker_check(stale_after_seconds or settings.WORKER_STALE_AFTER_SECONDS))
    for check in EXTRA_CHECKS:
        results.extend(check())
    if not EXTRA_CHECKS:
        results.append(CheckResult("vulnerability feeds", True, "no feed configured yet"))
    return results
