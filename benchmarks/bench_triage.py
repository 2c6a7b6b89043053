"""Benchmark: what a version states about each of its findings (`version_statements`).

Run as ``python benchmarks/bench_triage.py [--findings N]`` (default 3 000).
It points MEDVIGIL_HOME at a fresh temporary folder, migrates, and writes one
product version with N open findings (one component each), decisions on two
thirds of them (a quarter of those waiting for approval over an approved one),
scores and remediation plans on half, then times in the same run:

- ours: `triage.selectors.version_statements` (decisions, scores, plans and
  proposals read once per version and grouped by key);
- baseline: the same answer asked finding by finding (`effective_decision`,
  then the scores and the plan of each key), as a page would without grouping.

It checks that both give the same statuses, prints figures and ratios, and
asserts nothing about time.
"""

from __future__ import annotations

import argparse
import os
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
    parser.add_argument("--findings", type=int, default=3_000)
    total = parser.parse_args().findings
    os.environ["MEDVIGIL_HOME"] = tempfile.mkdtemp(prefix="medvigil-bench-triage-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medvigil.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from medvigil.accounts.services import create_team
    from medvigil.portfolio.models import Product, ProductVersion
    from medvigil.sbom.models import Component, SbomDocument
    from medvigil.triage import selectors
    from medvigil.triage.keys import key_of
    from medvigil.triage.models import Assessment, Decision, RemediationPlan
    from medvigil.vulns.models import Finding, Vulnerability

    call_command("migrate", verbosity=0)
    moment = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    team = create_team(name="Benchmark")
    product = Product.objects.create(name="Benchmark pump", model_number="BENCH", team=team)
    version = ProductVersion.objects.create(product=product, version="1.0", phase="deployed")
    document = SbomDocument.objects.create(
        version=version,
        role="firmware",
        filename="bench.json",
        sha256="0" * 64,
        size=1,
        format="CycloneDX",
        spec_version="1.6",
        serialisation="json",
        file="sbom/bench.json",
    )
    components = Component.objects.bulk_create(
        [
            Component(
                document=document,
                position=index,
                reference=f"c{index}",
                name=f"package-{index}",
                version="1.0.0",
                purl=f"pkg:npm/package-{index}@1.0.0",
                identity=f"pkg:npm/package-{index}",
            )
            for index in range(total)
        ],
        batch_size=2000,
    )
    vulnerabilities = Vulnerability.objects.bulk_create(
        [
            Vulnerability(canonical_id=f"CVE-2026-{index:05d}", members=[f"CVE-2026-{index:05d}"])
            for index in range(total)
        ],
        batch_size=2000,
    )
    Finding.objects.bulk_create(
        [
            Finding(
                vulnerability=vulnerability,
                component=component,
                version=version,
                method="purl",
                confidence="high",
                first_seen=moment,
                last_seen=moment,
            )
            for vulnerability, component in zip(vulnerabilities, components, strict=True)
        ],
        batch_size=2000,
    )
    keys = list(selectors.open_finding_keys(version))
    decisions, assessments, plans = [], [], []
    for index, key in enumerate(keys):
        if index % 3 != 2:
            decisions.append(
                Decision(
                    **key.fields(),
                    status="affected",
                    action_statement="Patch.",
                    requires_approval=True,
                    approved_at=moment,
                )
            )
            if index % 4 == 0:  # a newer decision waiting for approval
                pending = Decision(**key.fields(), status="fixed", requires_approval=True)
                decisions.append(pending)
        if index % 2 == 0:
            assessments.append(Assessment(**key.fields(), learned_at=moment, priority="high"))
            plans.append(RemediationPlan(**key.fields(), due_at=moment + timedelta(days=60)))
    Decision.objects.bulk_create(decisions, batch_size=2000)
    Assessment.objects.bulk_create(assessments, batch_size=2000)
    RemediationPlan.objects.bulk_create(plans, batch_size=2000)
    print(f"{total:,} findings, {len(decisions):,} decisions, {len(assessments):,} scored")

    def grouped() -> list[str]:
        return [item.status for item in selectors.version_statements(version)]

    def one_by_one() -> list[str]:
        statuses = []
        for finding in selectors.open_findings(version):
            finding.version = version
            key = key_of(finding)
            effective = selectors.effective_decision(key)
            Assessment.objects.filter(**key.lookup()).first()
            RemediationPlan.objects.filter(**key.lookup()).first()
            statuses.append(effective.status if effective else "under_investigation")
        return statuses

    ours, ours_statuses = best_of(3, grouped)
    baseline, baseline_statuses = best_of(1, one_by_one)
    assert ours_statuses == baseline_statuses, "the two readings disagree"
    print(f"version_statements (grouped):   {ours:.3f} s ({total / ours:,.0f} findings/s)")
    print(f"finding by finding (baseline):  {baseline:.3f} s ({total / baseline:,.0f} findings/s)")
    print(f"ratio baseline / ours: {baseline / ours:.1f}x")


if __name__ == "__main__":
    main()
