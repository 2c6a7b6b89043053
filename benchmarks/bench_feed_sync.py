"""Benchmark: synchronising an OSV export the size of PyPI's from a local HTTP server.

Run as ``python benchmarks/bench_feed_sync.py [--megabytes N]``. The default
(4 MB of zip, about 10 000 records) takes a minute or two; ``--full`` builds 34 MB, the size of
``https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip`` when it
was measured in September 2026. Records are the shared PyPI records
(../shared/data/osv/PyPI, OSV shape) copied under new ids and package names
until the archive reaches that size. MEDVIGIL_HOME is a fresh temporary
folder (SQLite); a product version carries an SBOM of 300 PyPI components
that the records name at affected versions.

Printed, in one run:

- download alone (`fetch`, the HTTP transfer to disk): the baseline;
- the first synchronisation (download, import) and the re-match it queued
  (run by a batch worker);
- a second synchronisation that finds nothing changed: a conditional request
  answered 304, and, without validators, a 200 whose bytes hash as before.
  Both must import nothing (the number of imports is checked and printed).

Figures and ratios only; nothing about time is asserted.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY / "src"))
sys.path.insert(0, str(REPOSITORY))

PYPI_EXPORT_MEGABYTES = 34  # PyPI/all.zip, measured 2026-09-01
COMPONENTS = 300


def synthetic_records(templates: list[dict[str, Any]], megabytes: float) -> list[dict[str, Any]]:
    """Copies of real records under new ids and names until the zip would reach the size."""
    records: list[dict[str, Any]] = []
    size = 0
    index = 0
    while size < megabytes * 1024 * 1024:
        template = templates[index % len(templates)]
        generation = index // len(templates)
        record = json.loads(json.dumps(template, default=_iso))
        if generation:
            record["id"] = f"PYSEC-BENCH-{index:06d}"
            record.pop("aliases", None)  # copies must not merge into one alias group
            for affected in record.get("affected", []):
                package = affected.get("package", {})
                package["name"] = f"{package.get('name', 'package')}-copy{generation}"
        records.append(record)
        size += len(json.dumps(record)) // 8  # deflate keeps about an eighth of this JSON
        index += 1
    return records


def _iso(value: Any) -> str:
    return str(value.isoformat().replace("+00:00", "Z"))


def archive(records: list[dict[str, Any]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for record in records:
            target.writestr(f"{record['id']}.json", json.dumps(record))
    return buffer.getvalue()


def sbom(records: list[dict[str, Any]]) -> bytes:
    components: dict[str, str] = {}
    for record in records:
        for affected in record.get("affected", []):
            name = affected.get("package", {}).get("name", "")
            versions = affected.get("versions") or []
            if name and versions and name not in components:
                components[name] = versions[0]
        if len(components) >= COMPONENTS:
            break
    return json.dumps(
        {
            "bomFormat": "CycloneDX",
            "specVersion": "1.5",
            "version": 1,
            "components": [
                {
                    "type": "library",
                    "bom-ref": name,
                    "name": name,
                    "version": version,
                    "purl": f"pkg:pypi/{name.lower()}@{version}",
                }
                for name, version in components.items()
            ],
        }
    ).encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=float, default=4.0, help="size of the zip to serve")
    parser.add_argument("--full", action="store_true", help="the size of the PyPI export")
    arguments = parser.parse_args()
    megabytes = PYPI_EXPORT_MEGABYTES if arguments.full else arguments.megabytes
    home = tempfile.mkdtemp(prefix="medvigil-bench-feed-sync-")
    os.environ["MEDVIGIL_HOME"] = home
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medvigil.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from tests import factories
    from tests.feed_mirror import pypi_records, serve

    from medvigil.audit.context import Actor, acting_as
    from medvigil.platform.workers import run_worker
    from medvigil.vulns import sources
    from medvigil.vulns.downloads import fetch
    from medvigil.vulns.models import FeedImport, FeedSource, Finding
    from medvigil.vulns.sync import sync_source

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:  # a benchmark database: durability is not the point
        cursor.execute("PRAGMA synchronous = OFF")
    records = synthetic_records(pypi_records(), megabytes)
    root = Path(home) / "mirror"
    (root / "PyPI").mkdir(parents=True)
    content = archive(records)
    (root / "PyPI/all.zip").write_bytes(content)
    print(f"OSV export: {len(records)} records, {len(content) / 1024 / 1024:.1f} MB zip")
    with acting_as(Actor(label="benchmark")), serve(root) as base_url:
        url = f"{base_url}/PyPI/all.zip"
        device = Path(home) / "device.cdx.json"
        device.write_bytes(sbom(records))
        version = factories.sbom_version(version="1.0")
        factories.sbom_document(version, device, role="application")
        run_worker(batch=True)  # the SBOM's own matching, before the feed exists

        started = time.perf_counter()
        fetch(url, Path(home) / "download-only.zip")
        download = time.perf_counter() - started

        source = sources.add_source("osv-pypi", url, "osv", interval_hours=6)
        started = time.perf_counter()
        first = sync_source(source)
        first_sync = time.perf_counter() - started
        started = time.perf_counter()
        run_worker(batch=True)
        rematch = time.perf_counter() - started
        imports = FeedImport.objects.count()
        findings = Finding.objects.filter(version=version, state="open").count()

        source = FeedSource.objects.get(pk=source.pk)
        started = time.perf_counter()
        second = sync_source(source)
        not_modified = time.perf_counter() - started
        FeedSource.objects.filter(pk=source.pk).update(etag="", last_modified="")
        source = FeedSource.objects.get(pk=source.pk)
        started = time.perf_counter()
        third = sync_source(source)
        same_bytes = time.perf_counter() - started
        after = FeedImport.objects.count()

    print(f"download alone (baseline):          {download:8.2f} s")
    print(
        f"first sync (download + import):     {first_sync:8.2f} s  "
        f"({first_sync / download:.1f}x the download) {first.status}: "
        f"{first.counts.get('advisories created', 0)} advisories created"
    )
    print(f"re-match of what changed:           {rematch:8.2f} s  {findings} open findings")
    print(
        f"second sync, 304:                   {not_modified:8.3f} s  "
        f"({not_modified / first_sync:.4f}x the first) {second.status}"
    )
    print(
        f"second sync, 200 with same bytes:   {same_bytes:8.2f} s  "
        f"({same_bytes / first_sync:.4f}x the first) {third.status}"
    )
    print(f"imports after the first sync: {imports}; after the second ones: {after}")
    if after != imports:
        raise SystemExit("a sync that found nothing changed imported something")


if __name__ == "__main__":
    main()
