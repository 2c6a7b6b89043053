"""Benchmark: the disclosure metrics (page, API and dashboard tiles) over many cases.

Run as ``python benchmarks/bench_disclosure_metrics.py [--cases N]`` (default 5 000).
It points MEDVIGIL_HOME at a fresh temporary folder, migrates, and writes N cases
with `bulk_create` (random states and moments over two years; a third still open),
then times, in the same run:

- ours: `disclosure.metrics.figures` (four durations, open and overdue cases with
  every open case's service-level clocks, overdue notifications), and the same
  without the clocks as the dashboard tiles compute it;
- the pure part alone: `core.disclosure_metrics.summarise` on the same moments;
- baseline: `disclosure.selectors.metrics`, the earlier tile's figures (open,
  overdue and median time to acknowledge) over the same cases.

It prints figures and ratios and asserts nothing about time.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any


def best_of(repeats: int, work: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeats):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=5_000)
    total = parser.parse_args().cases
    os.environ["MEDVIGIL_HOME"] = tempfile.mkdtemp(prefix="medvigil-bench-metrics-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medvigil.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from medvigil.core.disclosure_metrics import summarise
    from medvigil.disclosure.cases import metrics, selectors
    from medvigil.disclosure.cases.models import Case

    call_command("migrate", verbosity=0)
    randomness = random.Random(20260101)
    start = datetime(2024, 11, 1, tzinfo=UTC)
    rows = []
    for index in range(total):
        received = start + timedelta(minutes=randomness.randrange(0, 2 * 365 * 24 * 60))
        hours = [
            randomness.uniform(1, 200),
            randomness.uniform(24, 400),
            randomness.uniform(24, 2000),
            randomness.uniform(100, 3000),
        ]
        step = randomness.randrange(0, 6)
        moments = [received + timedelta(hours=sum(hours[: i + 1])) for i in range(4)]
        state = ["received", "acknowledged", "triaged", "remediation", "disclosed", "closed"][step]
        rows.append(
            Case(
                number=f"MV-BENCH-{index:06d}",
                state=state,
                outcome="valid" if step >= 2 else "",
                received_at=received,
                acknowledged_at=moments[0] if step >= 1 else None,
                triaged_at=moments[1] if step >= 2 else None,
                remediation_at=moments[1] if step >= 3 else None,
                disclosed_at=moments[3] if step >= 4 else None,
                closed_at=moments[3] if step >= 5 else None,
                title_sealed="",
                description_sealed="",
                follow_up_token_hash=f"{index:064x}",
            )
        )
    Case.objects.bulk_create(rows, batch_size=1000)
    handler = get_user_model().objects.create_superuser("bench", "bench@example.org", "x" * 20)
    now = datetime(2026, 11, 29, tzinfo=UTC)

    ours, figures = best_of(3, lambda: metrics.figures(handler, now))
    tiles, _ = best_of(3, lambda: metrics.figures(handler, now, overdue=False))
    moments = metrics.moments(handler, now)
    pure, _ = best_of(5, lambda: summarise(moments))
    baseline, counted = best_of(3, lambda: selectors.metrics(handler, now))
    program = figures.program
    print(
        f"{total} cases: {program.open} open, {program.overdue} overdue "
        f"(baseline agrees: {counted.open} open, {counted.overdue} overdue)"
    )
    for item in program.durations:
        print(f"  {item.key:<12} {item.count:>6} measured, median {item.median_hours} h")
    print(f"metrics.figures        {ours:7.3f} s  ({total / ours:,.0f} cases/s)")
    print(f"  of which summarise   {pure:7.3f} s  ({total / pure:,.0f} cases/s)")
    print(f"dashboard tiles        {tiles:7.3f} s  (no clock evaluation)")
    print(f"baseline tile metrics  {baseline:7.3f} s  ratio ours/baseline {ours / baseline:5.2f}x")


if __name__ == "__main__":
    main()
