"""Benchmark: importing a 10 000-component CycloneDX 1.6 SBOM through the service.

Run as ``python benchmarks/bench_sbom_import.py``. It points MEDVIGIL_HOME at
a fresh temporary folder (SQLite database and document store), migrates,
builds the SBOM in memory, and times in the same run:

- ours: `medvigil.sbom.services.import_sbom` — parse (core, with schema
  validation), checks, file storage, bulk inserts of components and
  dependency edges, audit event, all in one transaction;
- baseline 1: `parse_sbom` alone (the floor: what reading costs);
- baseline 2: the same rows stored one `save()` at a time, against
  `bulk_create`, both timed on a 1 000-component sample and scaled to
  10 000 (what bulk inserts save).

Target: the import under 10 s on the development machine. It prints figures
and ratios and asserts nothing about time.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time

COMPONENTS = 10_000
ROW_BY_ROW_SAMPLE = 1_000


def build_bom(count: int) -> bytes:
    components = [
        {
            "type": "library",
            "bom-ref": f"pkg:npm/package-{index}@1.{index % 10}.0",
            "supplier": {"name": f"Supplier {index % 50}"},
            "name": f"package-{index}",
            "version": f"1.{index % 10}.0",
            "purl": f"pkg:npm/package-{index}@1.{index % 10}.0",
            "hashes": [{"alg": "SHA-256", "content": f"{index:064x}"}],
            "licenses": [{"license": {"id": "MIT"}}],
            "properties": [{"name": "medvigil:level-of-support", "value": "actively maintained"}],
        }
        for index in range(count)
    ]
    dependencies = [
        {
            "ref": components[index]["bom-ref"],
            "dependsOn": [components[(index + 1) % count]["bom-ref"]],
        }
        for index in range(count)
    ]
    document = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
        "version": 1,
        "metadata": {
            "timestamp": "2025-01-01T00:00:00Z",
            "authors": [{"name": "benchmark"}],
            "component": {"type": "firmware", "bom-ref": "device", "name": "device"},
        },
        "components": components,
        "dependencies": [{"ref": "device", "dependsOn": [components[0]["bom-ref"]]}, *dependencies],
    }
    return json.dumps(document).encode()


def main() -> None:
    home = tempfile.mkdtemp(prefix="medvigil-bench-")
    os.environ["MEDVIGIL_HOME"] = home
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medvigil.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from medvigil.accounts.services import create_team
    from medvigil.core.sbom import parse_sbom
    from medvigil.portfolio import services as portfolio_services
    from medvigil.sbom import services
    from medvigil.sbom.models import Component, SbomDocument

    call_command("migrate", verbosity=0)
    team = create_team(name="Benchmark")
    product = portfolio_services.create_product(
        user=None, team=team, values={"name": "Benchmark device", "model_number": "BENCH-1"}
    )
    version = portfolio_services.create_version(product, user=None, values={"version": "1.0"})
    content = build_bom(COMPONENTS)
    print(f"SBOM: {COMPONENTS} components, {len(content) / 1e6:.1f} MB, home {home}")

    started = time.perf_counter()
    parse_sbom(content, "bench.json")
    parse_seconds = time.perf_counter() - started

    started = time.perf_counter()
    document = services.import_sbom(version, content, "bench.json", "firmware")
    import_seconds = time.perf_counter() - started
    stored = Component.objects.filter(document=document).count()

    sample = list(Component.objects.filter(document=document).order_by("id")[:ROW_BY_ROW_SAMPLE])
    other = SbomDocument.objects.get(pk=document.pk)
    other.pk = None
    other.sha256 = "0" * 64
    other.save()
    started = time.perf_counter()
    with transaction.atomic():
        for row in sample:
            row.pk = None
            row.document = other
            row.save()
    row_seconds = (time.perf_counter() - started) * COMPONENTS / ROW_BY_ROW_SAMPLE
    third = SbomDocument.objects.get(pk=document.pk)
    third.pk = None
    third.sha256 = "1" * 64
    third.save()
    for row in sample:
        row.pk = None
        row.document = third
    started = time.perf_counter()
    with transaction.atomic():
        Component.objects.bulk_create(sample)
    bulk_seconds = (time.perf_counter() - started) * COMPONENTS / ROW_BY_ROW_SAMPLE

    print(f"import_sbom (parse, check, store, bulk insert, audit): {import_seconds:.2f} s")
    print(f"  components stored: {stored}, dependency edges: {document.dependencies.count()}")
    print(f"baseline parse_sbom alone: {parse_seconds:.2f} s")
    print(f"  import / parse ratio: {import_seconds / parse_seconds:.1f}x")
    print(
        f"baseline row-by-row save() of components only, {ROW_BY_ROW_SAMPLE} timed and scaled "
        f"to {COMPONENTS}: {row_seconds:.2f} s"
    )
    print(f"the same sample with bulk_create, scaled: {bulk_seconds:.2f} s")
    print(f"  row-by-row / bulk_create ratio: {row_seconds / bulk_seconds:.1f}x")
    print(f"target under 10 s: {'met' if import_seconds < 10 else 'NOT met'}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
