"""Benchmark: matching at a manufacturer's scale, new path against the old one, in one run.

Run on PostgreSQL (``tools/with-postgres python benchmarks/bench_matching_scale.py
--components 1000000 --workers 2``); without ``DATABASE_URL`` it uses a temporary SQLite
database. The portfolio is built through bulk paths, as `bench_rematch.py` does and
consistent with the services: products, versions with one SBOM each, components named
after npm packages (Zipf popularity over 20,000 names, versions 1.0.0 to 1.9.0), their
match keys, and 20,000 advisories imported through `import_feed` (real OSV shape).

Measured, each with the old path (the matching module as it was at `BASELINE_COMMIT`,
read from git: one UPDATE and one audit event per changed finding, one task) in the same
run:

1. the first full match of the portfolio (opens every finding): new path only, as
   chunk tasks run by ``--workers`` real `medvigil worker --batch` processes;
2. the full re-match of the unchanged portfolio: new path with 1 worker and with
   ``--workers`` workers; old path timed on a sample and scaled (labelled so);
3. the re-match after a 100-advisory change (their fix moves from 2.0.0 to 1.5.0):
   old path, then the change is undone, then made again and re-matched by the new path;
4. matching a 10,000-component SBOM just imported: old path on one version, new path on
   another version with the same components.

It prints figures, ratios and the load average; it asserts nothing about time.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path
from typing import Any

from bench_rematch import feed_zip, package_name

BASELINE_COMMIT = "c9f05d7"
PACKAGES = 20_000
CHANGED = 100
PER_VERSION = 1_000
IMPORTED = 10_000
SAMPLE = 20_000
REPOSITORY = Path(__file__).resolve().parent.parent


def osv_record(index: int, fixed: str, modified: str) -> dict[str, object]:
    return {
        "id": f"GHSA-scale-{index:05d}",
        "modified": modified,
        "aliases": [f"CVE-2098-{index + 10000}"],
        "summary": f"Synthetic advisory {index}",
        "affected": [
            {
                "package": {"ecosystem": "npm", "name": package_name(index)},
                "ranges": [
                    {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}
                ],
            }
        ],
    }


def old_matching() -> types.ModuleType:
    """The matching module as it was before set-based writes and batch audit events."""
    source = subprocess.run(
        ["git", "show", f"{BASELINE_COMMIT}:src/medvigil/vulns/matching.py"],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    module = types.ModuleType("medvigil.vulns.matching_before")
    sys.modules[module.__name__] = module  # dataclasses look their module up there
    exec(compile(source, "matching_before.py", "exec"), module.__dict__)  # noqa: S102 - our code
    return module


def load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


def build(total: int, randomness: random.Random) -> list[Any]:
    """Versions of PER_VERSION components each (bulk rows, as an SBOM import stores them)."""
    from django.db import transaction

    from medvigil.accounts.services import create_team
    from medvigil.portfolio.models import Product, ProductVersion

    team = create_team(name="Scale")
    products = Product.objects.bulk_create(
        [
            Product(name=f"Device {index}", model_number=f"SCALE-{index}", team=team)
            for index in range(max(1, total // (5 * PER_VERSION)))
        ]
    )
    count = max(1, total // PER_VERSION)
    versions = ProductVersion.objects.bulk_create(
        [
            ProductVersion(product=products[index % len(products)], version=f"{index}.0")
            for index in range(count)
        ]
    )
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(PACKAGES)))
    with transaction.atomic():
        for version in versions:
            add_components(version, PER_VERSION, randomness, cumulative)
    return versions


def add_components(
    version: Any, count: int, randomness: random.Random, cumulative: list[float]
) -> Any:
    from medvigil.sbom.models import Component, SbomDocument
    from medvigil.vulns.models import ComponentMatchKey

    document = SbomDocument.objects.create(
        version=version,
        role="firmware",
        filename="scale.json",
        sha256=f"{version.pk:064x}",
        size=1,
        format="CycloneDX",
        spec_version="1.6",
        serialisation="json",
        file="sbom/scale.json",
        component_count=count,
    )
    chosen = randomness.choices(range(PACKAGES), cum_weights=cumulative, k=count)
    rows = []
    for position, index in enumerate(chosen):
        number = randomness.randrange(10)
        name = package_name(index)
        rows.append(
            Component(
                document=document,
                position=position,
                reference=f"c{position}",
                name=name,
                version=f"1.{number}.0",
                purl=f"pkg:npm/{name}@1.{number}.0",
                identity=f"pkg:npm/{name}",
            )
        )
    stored = Component.objects.bulk_create(rows, batch_size=5000)
    ComponentMatchKey.objects.bulk_create(
        [
            ComponentMatchKey(component_id=row.pk, kind="package", namespace="npm", name=row.name)
            for row in stored
        ],
        batch_size=5000,
    )
    return document


def run_workers(count: int) -> float:
    """Queue the full re-match, split it, and run `count` batch workers until the queue is empty."""
    from django.db import connection

    from medvigil.vulns.tasks import rematch_all_task

    started = time.perf_counter()
    rematch_all_task.enqueue()
    connection.close()
    environment = {**os.environ, "PYTHONPATH": str(REPOSITORY / "src")}
    command = [sys.executable, "-m", "medvigil", "worker", "--batch"]
    first = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL)
    first.wait()  # the splitting task runs alone: then every range task is queued
    workers = [
        subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL) for _ in range(count)
    ]
    for worker in workers:
        worker.wait()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--components", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--task-size", type=int, default=0, help="components per range task")
    arguments = parser.parse_args()
    total = arguments.components
    # At least four range tasks per worker, at most the default 20,000 components each.
    size = arguments.task_size or max(1000, min(20_000, total // (4 * arguments.workers)))
    os.environ["MEDVIGIL_REMATCH_TASK_SIZE"] = str(size)
    os.environ["MEDVIGIL_HOME"] = tempfile.mkdtemp(prefix="medvigil-bench-scale-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medvigil.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from medvigil.audit.context import Actor, acting_as
    from medvigil.audit.models import AuditEvent
    from medvigil.sbom.models import Component
    from medvigil.vulns import matching, services
    from medvigil.vulns.models import Finding

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; range tasks of {size:,} components; {load()}")
    before = old_matching()
    randomness = random.Random(20261207)
    started = time.perf_counter()
    versions = build(total, randomness)
    print(
        f"built {Component.objects.count():,} components in {len(versions):,} versions "
        f"in {time.perf_counter() - started:.0f} s"
    )
    started = time.perf_counter()
    services.import_feed(
        feed_zip([osv_record(index, "2.0.0", "2026-01-01T00:00:00Z") for index in range(PACKAGES)]),
        name="all.zip",
        rematch=False,
    )
    print(f"imported {PACKAGES:,} advisories in {time.perf_counter() - started:.0f} s")

    first = run_workers(arguments.workers)
    print(
        f"1. first full match, new path, {arguments.workers} workers: {first:.1f} s, "
        f"{Finding.objects.count():,} findings opened; {load()}"
    )

    one = run_workers(1)
    many = run_workers(arguments.workers)
    ids = sorted(Component.objects.values_list("pk", flat=True))
    sample = sorted(randomness.sample(ids, min(SAMPLE, len(ids))))
    with acting_as(Actor(label="benchmark")):
        started = time.perf_counter()
        before.Matcher("benchmark: old path sample").run(sample)
        old_sample = time.perf_counter() - started
    old_full = old_sample * len(ids) / len(sample)
    print(
        f"2. full re-match of {len(ids):,} unchanged components: new path 1 worker {one:.1f} s, "
        f"{arguments.workers} workers {many:.1f} s ({one / many:.2f}x faster than 1 worker); "
        f"old path {old_sample:.1f} s on a {len(sample):,}-component sample, "
        f"EXTRAPOLATED to {old_full:.0f} s for all ({old_full / many:.1f}x); {load()}"
    )

    changed = sorted(randomness.sample(range(min(PACKAGES, 2000)), CHANGED))
    events = AuditEvent.objects.count()

    def change(fixed: str, modified: str) -> list[Any]:
        result = services.import_feed(
            feed_zip([osv_record(index, fixed, modified) for index in changed]),
            name="change.zip",
            rematch=False,
        )
        return [tuple(key) for key in result.changed_keys]

    with acting_as(Actor(label="benchmark")):
        keys = change("1.5.0", "2026-02-01T00:00:00Z")
        started = time.perf_counter()
        old_report = before.rematch_keys(keys, scope="benchmark: old path")
        old_change = time.perf_counter() - started
        old_events = AuditEvent.objects.count() - events
        matching.rematch_keys(change("2.0.0", "2026-03-01T00:00:00Z"), scope="undo")
        keys = change("1.5.0", "2026-04-01T00:00:00Z")
        events = AuditEvent.objects.count()
        started = time.perf_counter()
        new_report = matching.rematch_keys(keys, scope="benchmark: new path")
        new_change = time.perf_counter() - started
        new_events = AuditEvent.objects.count() - events
    print(
        f"3. {CHANGED}-advisory change: {new_report.examined:,} components examined, "
        f"{new_report.closed:,} findings closed: new path {new_change:.2f} s "
        f"({new_events} audit events), old path {old_change:.2f} s ({old_events} audit "
        f"events, {old_report.closed:,} closed): {old_change / new_change:.1f}x"
    )

    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(PACKAGES)))
    timings = []
    for label, module in (("old", before), ("new", matching)):
        state = random.Random(7)  # the same components for both
        document = add_components(
            versions[0].product.versions.create(version=f"import-{label}"),
            IMPORTED,
            state,
            cumulative,
        )
        with acting_as(Actor(label="benchmark")):
            started = time.perf_counter()
            report = module.match_document(document)
            timings.append((time.perf_counter() - started, report.opened))
    (old_import, old_opened), (new_import, new_opened) = timings
    print(
        f"4. matching a {IMPORTED:,}-component SBOM: new path {new_import:.2f} s "
        f"({new_opened:,} findings), old path {old_import:.2f} s ({old_opened:,} findings): "
        f"{old_import / new_import:.1f}x; {load()}"
    )


if __name__ == "__main__":
    main()
