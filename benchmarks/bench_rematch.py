"""Benchmark: incremental re-match after a 100-advisory change, on 1 000 000 component instances.

Run as ``python benchmarks/bench_rematch.py [--components N]``. It points
MEDVIGIL_HOME at a fresh temporary folder (a temporary SQLite database),
migrates, and generates rows with `bulk_create` (no SBOM parsing): 1 000
product versions with one SBOM each, N components spread over 20 000 npm
package names (a few popular names, a long tail), their match keys, and
20 000 advisories (one per name, real OSV shape, "introduced 0, fixed 2.0.0").

Then, in the same run:

- ours: 100 advisories change (their fix moves from 2.0.0 to 1.9.0) and are
  imported through `import_feed`; `rematch_keys` re-matches only the
  components whose (ecosystem, name) the changed advisories name. The time and
  the number of components examined are printed, for the import and the
  re-match separately.
- baseline: a full re-match (`Matcher.run` over every component), timed on a
  sample of components and scaled to N, since the incremental path promises
  to be proportional to the change, not to the portfolio.

It prints figures and ratios and asserts nothing about time.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import tempfile
import time
from datetime import UTC, datetime

VERSIONS = 1_000
PACKAGES = 20_000
CHANGED = 100
FULL_SAMPLE = 20_000


def package_name(index: int) -> str:
    return f"bench-package-{index}"


def osv_record(index: int, fixed: str, modified: str) -> dict[str, object]:
    return {
        "id": f"GHSA-bench-{index:05d}",
        "modified": modified,
        "aliases": [f"CVE-2099-{index + 10000}"],
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


def feed_zip(records: list[dict[str, object]]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for record in records:
            archive.writestr(f"{record['id']}.json", json.dumps(record))
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--components", type=int, default=1_000_000)
    arguments = parser.parse_args()
    total = arguments.components
    home = tempfile.mkdtemp(prefix="medvigil-bench-rematch-")
    os.environ["MEDVIGIL_HOME"] = home
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medvigil.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from medvigil.accounts.services import create_team
    from medvigil.portfolio.models import Product, ProductVersion
    from medvigil.sbom.models import Component, SbomDocument
    from medvigil.vulns import matching, services
    from medvigil.vulns.models import ComponentMatchKey, Finding

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:  # a benchmark database: durability is not the point
        cursor.execute("PRAGMA synchronous = OFF")
        cursor.execute("PRAGMA journal_mode = MEMORY")
    randomness = random.Random(20260101)
    started = time.perf_counter()
    team = create_team(name="Benchmark")
    product = Product.objects.create(name="Benchmark device", model_number="BENCH", team=team)
    versions = ProductVersion.objects.bulk_create(
        [ProductVersion(product=product, version=f"{index}.0") for index in range(VERSIONS)]
    )
    documents = SbomDocument.objects.bulk_create(
        [
            SbomDocument(
                version=version,
                role="firmware",
                filename="bench.json",
                sha256=f"{index:064x}",
                size=1,
                format="CycloneDX",
                spec_version="1.6",
                serialisation="json",
                file="sbom/bench.json",
            )
            for index, version in enumerate(versions)
        ]
    )
    per_document = total // VERSIONS
    # Zipf-like popularity: a few names in many SBOMs, a long tail in few.
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(PACKAGES)))
    batch = 50_000
    created = 0
    while created < total:
        rows = []
        count = min(batch, total - created)
        chosen = randomness.choices(range(PACKAGES), cum_weights=cumulative, k=count)
        for offset, index in enumerate(chosen):
            position = created + offset
            document = documents[min(position // per_document, VERSIONS - 1)]
            version = f"1.{randomness.randrange(10)}.0"
            name = package_name(index)
            rows.append(
                Component(
                    document=document,
                    position=position,
                    reference=f"c{position}",
                    name=name,
                    version=version,
                    purl=f"pkg:npm/{name}@{version}",
                    identity=f"pkg:npm/{name}",
                )
            )
        with transaction.atomic():
            stored = Component.objects.bulk_create(rows, batch_size=5000)
            ComponentMatchKey.objects.bulk_create(
                [
                    ComponentMatchKey(
                        component_id=row.pk, kind="package", namespace="npm", name=row.name
                    )
                    for row in stored
                ],
                batch_size=5000,
            )
        created += len(rows)
    generate_seconds = time.perf_counter() - started
    print(f"generated {created:,} components in {VERSIONS} versions in {generate_seconds:.0f} s")

    modified = "2026-01-01T00:00:00Z"
    started = time.perf_counter()
    services.import_feed(
        feed_zip([osv_record(index, "2.0.0", modified) for index in range(PACKAGES)]),
        name="all.zip",
        rematch=False,
    )
    print(f"imported {PACKAGES:,} advisories in {time.perf_counter() - started:.1f} s")

    # Findings as they stand before the change: for the components the change names, and for
    # the sample the full re-match baseline will examine again.
    changed_indexes = sorted(randomness.sample(range(PACKAGES), CHANGED))
    before_keys = [("package", "npm", package_name(index)) for index in changed_indexes]
    sample_ids = sorted(randomness.sample(range(1, created + 1), min(FULL_SAMPLE, created)))
    started = time.perf_counter()
    first = matching.rematch_keys(before_keys, scope="benchmark: before the change")
    matching.Matcher("benchmark: sample before the change").run(sample_ids)
    print(
        f"initial match (not timed against anything): {first.examined:,} components of the "
        f"changed packages and the {len(sample_ids):,}-component sample, "
        f"{time.perf_counter() - started:.1f} s"
    )

    newer = datetime(2026, 2, 1, tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    change = feed_zip([osv_record(index, "1.9.0", newer) for index in changed_indexes])
    started = time.perf_counter()
    result = services.import_feed(change, name="change.zip", rematch=False)
    import_seconds = time.perf_counter() - started
    started = time.perf_counter()
    report = matching.rematch_keys(
        [tuple(key) for key in result.changed_keys],  # type: ignore[misc]
        scope="benchmark: after the change",
    )
    incremental_seconds = time.perf_counter() - started
    print(
        f"ours: import of the {CHANGED}-advisory change {import_seconds:.2f} s "
        f"({result.counts.get('advisories updated', 0)} updated); incremental re-match "
        f"{incremental_seconds:.2f} s, {report.examined:,} components examined "
        f"({report.examined / created:.3%} of the portfolio), {report.closed:,} findings "
        f"closed, {report.unchanged + report.updated:,} kept"
    )

    started = time.perf_counter()
    full = matching.Matcher("benchmark: full re-match sample").run(sample_ids)
    sample_seconds = time.perf_counter() - started
    full_seconds = sample_seconds * created / full.examined
    print(
        f"baseline: full re-match of a {full.examined:,}-component sample {sample_seconds:.2f} s, "
        f"scaled to {created:,} components: {full_seconds:.0f} s"
    )
    print(f"  full / incremental ratio: {full_seconds / incremental_seconds:.0f}x")
    per_component_incremental = incremental_seconds / max(report.examined, 1)
    per_component_full = sample_seconds / full.examined
    print(
        f"  per component examined: incremental {per_component_incremental * 1e6:.0f} µs, "
        f"full {per_component_full * 1e6:.0f} µs (same work per component: the saving is "
        f"in how many are examined)"
    )
    print(f"findings stored: {Finding.objects.count():,}; home {home}")


if __name__ == "__main__":
    main()
