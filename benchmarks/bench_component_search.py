"""Benchmark: the portfolio-wide component search on 1 000 000 component instances.

Run as ``python benchmarks/bench_component_search.py [--instances N]``, and on
PostgreSQL as ``tools/with-postgres python benchmarks/bench_component_search.py``.
It points MEDVIGIL_HOME at a fresh temporary folder, migrates, and generates
the portfolio from the shapes of the real SBOMs in ``../shared/data/sbom``:
every component those documents hold (name, version, purl, CPE) is a shape,
and 2 000 product versions (100 products of 10 teams) get one SBOM each whose
components are drawn from those shapes. Rows are bulk-inserted (COPY on
PostgreSQL, executemany on SQLite) with the migration's indexes in place.

For each query shape (a name, a name with version constraints, a purl with
and without version, a CPE), targets are drawn from the shapes and each is
searched as the administrator (the whole portfolio) and as an engineer of one
team; one search is `medvigil.sbom.search.search`, first page of 50 with its
rows loaded. Baseline, in the same run: the same search with a scan that no
index serves (``name__iexact``, ``purl__istartswith``, ``cpe__icontains``),
then the same version check. Prints p50/p95 and ratios; asserts nothing.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TEAMS = 10
PRODUCTS = 100
VERSIONS_PER_PRODUCT = 20
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "sbom"
PHASES = ("development", "production", "deployed", "maintenance", "end-of-support")
COLUMNS = (
    "document_id",
    "position",
    "is_primary",
    "reference",
    "type",
    "name",
    "version",
    "group",
    "supplier",
    "purl",
    "purl_original",
    "cpe",
    "swid_tag_id",
    "identity",
    "hashes",
    "licenses",
    "properties",
    "warnings",
    "level_of_support",
)


def shapes_from_real_sboms() -> list[tuple[str, str, str, str, str, str, str]]:
    """(type, name, version, group, purl, cpe, identity) of every real SBOM component."""
    from medvigil.core.sbom import SbomFormatError, component_identity, parse_sbom

    found = []
    for path in sorted(SHARED_DATA.rglob("*")):
        if not path.is_file():
            continue
        try:
            document = parse_sbom(path.read_bytes(), path.name)
        except (SbomFormatError, ValueError):
            continue
        for component in document.components:
            found.append(
                (
                    component.type or "",
                    component.name[:1000],
                    (component.version or "")[:1000],
                    (component.group or "")[:1000],
                    (component.purl or "")[:1000],
                    (component.cpe or "")[:1000],
                    component_identity(component)[:1000],
                )
            )
    return found


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(call: Callable[[], Any]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--instances", type=int, default=1_000_000)
    parser.add_argument("--targets", type=int, default=10, help="Targets per query shape")
    parser.add_argument("--baseline-targets", type=int, default=3)
    arguments = parser.parse_args()
    os.environ["MEDVIGIL_HOME"] = tempfile.mkdtemp(prefix="medvigil-bench-search-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medvigil.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from medvigil.accounts.services import create_account, create_team
    from medvigil.portfolio.models import Product, ProductVersion
    from medvigil.sbom import search
    from medvigil.sbom.models import Component, SbomDocument

    call_command("migrate", verbosity=0)
    database = connection.vendor
    if database == "sqlite":
        with connection.cursor() as cursor:  # a benchmark database: durability is not the point
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute("PRAGMA journal_mode = MEMORY")
    randomness = random.Random(20261207)
    shapes = shapes_from_real_sboms()
    print(f"{database}: {len(shapes):,} component shapes from {SHARED_DATA}")

    started = time.perf_counter()
    teams = [create_team(name=f"Team {index}") for index in range(TEAMS)]
    products = Product.objects.bulk_create(
        Product(name=f"Device {index:03d}", model_number=f"M-{index}", team=teams[index % TEAMS])
        for index in range(PRODUCTS)
    )
    versions = ProductVersion.objects.bulk_create(
        ProductVersion(product=product, version=f"{number}.0", phase=randomness.choice(PHASES))
        for product in products
        for number in range(VERSIONS_PER_PRODUCT)
    )
    documents = SbomDocument.objects.bulk_create(
        SbomDocument(
            version=version,
            role="firmware",
            filename=f"firmware-{index}.cdx.json",
            sha256=f"{index:064x}",
            size=1,
            format="CycloneDX",
            spec_version="1.6",
            serialisation="json",
            file="sbom/bench.json",
        )
        for index, version in enumerate(versions)
    )
    per_document = -(-arguments.instances // len(documents))
    rows = []
    for position in range(arguments.instances):
        kind, name, version, group, purl, cpe, identity = randomness.choice(shapes)
        document = documents[position // per_document]
        rows.append(
            (
                document.pk,
                position,
                False,
                f"c{position}",
                kind,
                name,
                version,
                group,
                "",
                purl,
                purl,
                cpe,
                "",
                identity,
                "[]",
                "[]",
                "[]",
                "[]",
                "",
            )
        )
    insert(connection, transaction, rows)
    print(
        f"generated {arguments.instances:,} component instances in {len(versions):,} versions "
        f"in {time.perf_counter() - started:.0f} s"
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    administrator = create_account(
        username="bench-admin", email="a@example.org", roles={"administrator"}, password="x" * 20
    )
    engineer = create_account(
        username="bench-engineer",
        email="e@example.org",
        roles={"product-security"},
        password="x" * 20,
        teams=[teams[0]],
    )
    queries = {
        shape: [text for text in texts if readable(search, text)]
        for shape, texts in query_shapes(shapes, randomness, arguments.targets).items()
    }
    naive = naive_search(search, Component)
    print(
        f"{'shape':<16} {'person':<14} {'matches':>8} {'p50 ms':>8} {'p95 ms':>8}"
        "  baseline p50/p95 ms  ratio"
    )
    for shape, texts in queries.items():
        for label, person in (("administrator", administrator), ("team engineer", engineer)):
            # Warm the caches the way a running server has them.
            totals = [search.search(person, text).total for text in texts]
            ours = [timed(lambda t=text, p=person: search.search(p, t)) for text in texts * 3]
            line = (
                f"{shape:<16} {label:<14} {statistics.median(totals):8.0f} "
                f"{percentile(ours, 0.5) * 1000:8.1f} {percentile(ours, 0.95) * 1000:8.1f}"
            )
            if label == "administrator":
                sample = texts[: arguments.baseline_targets]
                baseline = [timed(lambda t=text: naive(t)) for text in sample]
                ratio = statistics.median(baseline) / statistics.median(ours)
                line += (
                    f"  {percentile(baseline, 0.5) * 1000:8.0f}/"
                    f"{percentile(baseline, 0.95) * 1000:.0f}"
                    f"  {ratio:8.0f}x"
                )
            print(line)
    sys.stdout.flush()


def query_shapes(
    shapes: list[tuple[str, ...]], randomness: random.Random, count: int
) -> dict[str, list[str]]:
    """Query texts of each shape; targets drawn from the real component shapes."""
    named = [shape for shape in shapes if shape[1] and shape[2]]
    purls = [shape for shape in shapes if shape[4].startswith("pkg:") and shape[2]]
    cpes = sorted({shape[5] for shape in shapes if shape[5]})
    picked_names = [randomness.choice(named) for _ in range(count - 1)]
    picked_purls = [randomness.choice(purls) for _ in range(count)]
    return {
        "name": ["openssl"] + [shape[1] for shape in picked_names],
        "name <version": ["openssl<3.0.8"] + [f"{shape[1]}<{shape[2]}" for shape in picked_names],
        "name >=a, <b": ["openssl >=1.1, <3.0.8"]
        + [f"{shape[1]} >=0, <{shape[2]}" for shape in picked_names],
        "purl": [shape[6] for shape in picked_purls],
        "purl@version": [shape[4].split("?")[0] for shape in picked_purls],
        "cpe": [cpes[index % len(cpes)].split(" ")[0] for index in range(count)],
    }


def readable(search: Any, text: str) -> bool:
    """Real names and purls that the language cannot take (a name with "<") are left out."""
    try:
        search.read_query(text)
    except Exception:  # a Refusal: the benchmark only drops the target
        return False
    return True


def naive_search(search: Any, component: Any) -> Callable[[str], list[int]]:
    """The same answer through a scan no index serves, for the baseline."""

    def run(text: str) -> list[int]:
        query = search.read_query(text)
        rows = component.objects.all()
        if query.kind == "name":
            rows = rows.filter(name__iexact=query.key)
        elif query.kind == "purl":
            rows = rows.filter(purl__istartswith=query.key)
        else:
            assert query.cpe is not None
            rows = rows.filter(cpe__icontains=f":{query.cpe.vendor}:{query.cpe.product}")
        found = rows.values_list("id", "version", "purl", "cpe")
        return sorted(row[0] for row in found if query.accepts(row[1], row[2], row[3]))

    return run


def insert(connection: Any, transaction: Any, rows: list[tuple[Any, ...]]) -> None:
    columns = ", ".join(f'"{column}"' for column in COLUMNS)
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join(copy_value(value) for value in row) + "\n")
        statement = f"COPY sbom_component ({columns}) FROM STDIN"
        with (
            transaction.atomic(),
            connection.cursor() as cursor,
            cursor.cursor.copy(statement) as copy,
        ):
            copy.write(buffer.getvalue())
        return
    placeholders = ", ".join("%s" for _ in COLUMNS)
    # Column names are this module's constants; the values go as parameters.
    statement = f"INSERT INTO sbom_component ({columns}) VALUES ({placeholders})"  # noqa: S608
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(rows), 50_000):
            cursor.executemany(statement, rows[start : start + 50_000])


def copy_value(value: Any) -> str:
    if isinstance(value, bool):
        return "t" if value else "f"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


if __name__ == "__main__":
    main()
