"""Benchmark: the triage lists at portfolio size, each against the path it replaced.

Run as ``python benchmarks/bench_triage_queue.py [--products 20] [--versions 5]
[--findings 1000]`` (findings per version; the default portfolio holds
100,000 open findings), or under ``tools/with-postgres`` for PostgreSQL. It
points MEDVIGIL_HOME at a fresh temporary folder, migrates, and writes the
portfolio through bulk paths: findings with their component copied (no SBOM
rows: the lists read the copy), one vulnerability per finding, a twentieth of
them in KEV (`kev_flags.listed_identifiers`, as the KEV import does), and on
a tenth of the findings a decision, scores and a plan, whose statement in
force is copied onto the findings by `triage.standing.write`, the code the
services call.

Then, in the same run, it times each request through the Django test client
as an administrator (p50 and p95 of the repeats, and SQL queries per request):

- triage queue, page and API (first page, a filtered page, a deep page);
  baseline: the former path (every statement of every visible version built
  in Python, filtered and sorted in memory), timed once;
- version findings filtered by KEV, page and API; baseline: the same
  requests with the former KEV test (a correlated subquery per finding
  through the aliases) put back;
- a version's triage list, page and API (first page of 50), and its selector
  alone; baseline: the former selector (every statement of the version, what
  the former page and API built on each request before rendering).

It prints figures and ratios and asserts nothing about time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY / "src"))
sys.path.insert(0, str(REPOSITORY))
REPEATS = 30


def measured(work: Callable[[], Any], repeats: int = REPEATS) -> tuple[float, float, int]:
    """p50 and p95 in milliseconds, and SQL queries of one run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    queries = 0
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            work()
            timings.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return statistics.median(timings), p95, queries


def report(name: str, ours: tuple[float, float, int], baseline: tuple[float, float, int]) -> None:
    print(
        f"{name:<36} p50 {ours[0]:8.1f} ms  p95 {ours[1]:8.1f} ms  {ours[2]:3d} SQL"
        f"   | baseline p50 {baseline[0]:9.1f} ms  {baseline[2]:6d} SQL"
        f"   ratio {baseline[0] / ours[0]:8.1f}x"
    )


def build(products: int, versions: int, per_version: int) -> tuple[Any, list[Any]]:
    from tests import factories

    from medvigil.portfolio.models import Product, ProductVersion
    from medvigil.triage import standing
    from medvigil.triage.keys import key_of
    from medvigil.triage.models import Assessment, Decision, RemediationPlan
    from medvigil.vulns import kev_flags
    from medvigil.vulns.models import Finding, KevEntry, Vulnerability, VulnerabilityAlias

    moment = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    team = factories.team("Benchmark")
    rows = []
    for product_index in range(products):
        product = Product.objects.create(
            name=f"Pump {product_index:03d}", model_number=f"BENCH-{product_index}", team=team
        )
        for version_index in range(versions):
            rows.append(
                ProductVersion.objects.create(
                    product=product, version=f"{version_index}.0", phase="deployed"
                )
            )
    total = len(rows) * per_version
    identifiers = [f"CVE-2026-{index:07d}" for index in range(total)]
    vulnerabilities = Vulnerability.objects.bulk_create(
        [Vulnerability(canonical_id=name, members=[name]) for name in identifiers],
        batch_size=5000,
    )
    VulnerabilityAlias.objects.bulk_create(
        [
            VulnerabilityAlias(identifier=row.canonical_id, vulnerability=row)
            for row in vulnerabilities
        ],
        batch_size=5000,
    )
    listed = identifiers[::20]
    KevEntry.objects.bulk_create(
        [KevEntry(cve_id=name, date_added=moment.date()) for name in listed], batch_size=5000
    )
    kev_flags.listed_identifiers(listed)
    findings = []
    for index, vulnerability in enumerate(vulnerabilities):
        findings.append(
            Finding(
                vulnerability=vulnerability,
                component_name=f"package-{index % per_version}",
                component_version="1.0.0",
                component_purl=f"pkg:npm/package-{index % per_version}@1.0.0",
                version=rows[index // per_version],
                method="purl",
                confidence="high",
                first_seen=moment,
                last_seen=moment,
            )
        )
    Finding.objects.bulk_create(findings, batch_size=5000)
    triaged = findings[::10]
    decisions, assessments, plans = [], [], []
    for index, finding in enumerate(triaged):
        key = key_of(finding)
        status = ("affected", "not_affected", "fixed")[index % 3]
        decisions.append(
            Decision(
                **key.fields(),
                status=status,
                justification="inline_mitigations_already_exist"
                if status == "not_affected"
                else "",
                impact_statement="Mitigated." if status == "not_affected" else "",
                action_statement="Patch." if status == "affected" else "",
            )
        )
        priority = ("critical", "high", "medium", "low")[index % 4]
        assessments.append(
            Assessment(**key.fields(), learned_at=moment, priority=priority, ssvc_outcome="track")
        )
        plans.append(RemediationPlan(**key.fields(), due_at=moment + timedelta(days=index % 90)))
    Decision.objects.bulk_create(decisions, batch_size=5000)
    Assessment.objects.bulk_create(assessments, batch_size=5000)
    RemediationPlan.objects.bulk_create(plans, batch_size=5000)
    for start in range(0, len(triaged), 2000):
        standing.write(triaged[start : start + 2000])
    print(
        f"{len(rows)} versions, {total:,} open findings, {len(listed):,} in KEV, "
        f"{len(triaged):,} decided, scored and planned"
    )
    return team, rows


def former_queue(user: Any) -> list[Any]:
    """The replaced queue: every statement of every visible version, sorted in memory."""
    from medvigil.triage import selectors
    from medvigil.triage.policies import readable_versions
    from medvigil.vulns.models import Finding

    versions = readable_versions(user).filter(
        pk__in=Finding.objects.filter(state=Finding.State.OPEN).values("version_id")
    )
    rows = []
    for version in versions.select_related("product"):
        for statement in selectors.version_statements(version):
            due = statement.plan.due_at if statement.plan and statement.plan.due_at else None
            rank = statement.scores.priority if statement.scores else "unscored"
            rows.append((due.timestamp() if due else 1e12, rank, statement.finding_id))
    return sorted(rows)[:50]


def former_kev() -> Any:
    """The replaced KEV test: a correlated subquery per finding through the aliases."""
    from django.db.models import Exists, OuterRef

    from medvigil.vulns.models import KevEntry, VulnerabilityAlias

    return Exists(
        KevEntry.objects.filter(
            cve_id__in=VulnerabilityAlias.objects.filter(
                vulnerability_id=OuterRef(OuterRef("vulnerability_id"))
            ).values("identifier")
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=20)
    parser.add_argument("--versions", type=int, default=5)
    parser.add_argument("--findings", type=int, default=1000, help="open findings per version")
    parser.add_argument("--explain", action="store_true", help="print the query plans")
    arguments = parser.parse_args()
    os.environ["MEDVIGIL_HOME"] = tempfile.mkdtemp(prefix="medvigil-bench-queue-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medvigil.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone
    from tests import factories

    from medvigil.triage import listing, selectors
    from medvigil.vulns import selectors as vulns_selectors

    kev_listed = vulns_selectors.kev_listed
    setup_test_environment()
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    started = time.perf_counter()
    _, versions = build(arguments.products, arguments.versions, arguments.findings)
    print(f"built in {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    administrator = factories.user(administrator=True)
    client = factories.sign_in(Client(), administrator)
    version = versions[len(versions) // 2]

    def get(address: str, **query: Any) -> Callable[[], Any]:
        def run() -> Any:
            response = client.get(address, query)
            assert response.status_code == 200, response.content[:300]
            return response

        return run

    cursor = ""
    for _ in range(4):  # the cursor after the fourth page of 500 (or the last full one)
        following = client.get("/api/v1/triage/queue", {"limit": 500, "cursor": cursor})
        cursor = following.json()["next_cursor"] or cursor
    queue_baseline = measured(lambda: former_queue(administrator), repeats=1)
    for name, work in (
        ("queue page", get("/triage/queue/")),
        ("queue page, undecided + KEV", get("/triage/queue/", status="undecided", kev="yes")),
        ("queue API", get("/api/v1/triage/queue")),
        ("queue API, deep page", get("/api/v1/triage/queue", limit=50, cursor=cursor)),
    ):
        report(name, measured(work), queue_baseline)

    findings = f"/vulnerabilities/versions/{version.pk}/findings"
    findings_api = f"/api/v1/vulns/versions/{version.pk}/findings"
    ours_page = measured(get(findings, kev="yes"))
    ours_api = measured(get(findings_api, kev="true"))
    # The same requests with the former KEV test put back for the baseline.
    vulns_selectors.kev_listed = former_kev
    try:
        former_page = measured(get(findings, kev="yes"), repeats=3)
        former_api = measured(get(findings_api, kev="true"), repeats=3)
    finally:
        vulns_selectors.kev_listed = kev_listed
    report("version findings page, KEV", ours_page, former_page)
    report("version findings API, KEV", ours_api, former_api)

    list_baseline = measured(lambda: selectors.version_statements(version), repeats=5)
    first_page = measured(
        lambda: listing.page_of(
            version,
            listing.statement_findings(version, "", "", False, timezone.now()),
            listing.PAGE_ORDER,
            None,
            50,
        )
    )
    report("version triage list (selector only)", first_page, list_baseline)
    triage = f"/triage/versions/{version.pk}/"
    report("version triage page", measured(get(triage)), list_baseline)
    statements = f"/api/v1/triage/versions/{version.pk}/statements"
    report("version triage API", measured(get(statements)), list_baseline)
    size = len(get(triage)().content)
    print(f"version triage page size: {size / 1024:.0f} KB (50 rows a page)")
    if arguments.explain:
        explain(administrator, version)


def explain(user: Any, version: Any) -> None:
    """The plans of the three lists' main queries (EXPLAIN ANALYZE on PostgreSQL)."""
    from django.db import connection
    from django.utils import timezone

    from medvigil.triage import listing, queue
    from medvigil.vulns import selectors as vulns_selectors

    options = {"analyze": True} if connection.vendor == "postgresql" else {}
    now = timezone.now()
    queries = {
        "triage queue, first page": queue.kept(user, queue.QueueFilter(), now),
        "triage queue, undecided and KEV": queue.kept(
            user, queue.QueueFilter(status="undecided", kev="yes"), now
        ),
        "version findings, KEV": vulns_selectors.findings_of_version(
            version, vulns_selectors.FindingFilter(kev=True)
        ).order_by("-id"),
        "version triage list, first page": listing.statement_findings(
            version, "", "", False, now
        ).order_by(*listing.PAGE_ORDER),
    }
    for name, rows in queries.items():
        print(f"\n-- {name}\n{rows[:51].explain(**options)}")


if __name__ == "__main__":
    main()
