"""The dashboard's finding counts, kept per product version and recounted by the workers.

Counting a million findings (and their KEV listing) on every dashboard request
cost seconds to minutes at a manufacturer's size. Instead, the workers recount
open and KEV-listed open findings per version, in one grouped statement, when
the last count is `settings.FINDING_TALLY_SECONDS` old (a periodic check, at
most one recount waiting or running); the dashboard adds up the tallies of the
versions its viewer may see (a row per version). A count is therefore up to
that interval (plus a heartbeat) old. Until the first recount (a fresh
installation, before any worker ran) the dashboard counts the findings live.

Tallies are derived numbers, recomputed from the findings at any time; like a
database index they are not records, so writing them is not audited.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from medvigil.platform import permissions
from medvigil.platform.queues import portfolio_task
from medvigil.portfolio.models import ProductVersion
from medvigil.vulns.models import Finding, FindingTally, KevEntry, ScheduledWork, VulnerabilityAlias

RECOUNT = "finding-tallies"


def kev_vulnerabilities() -> QuerySet[VulnerabilityAlias, Any]:
    """Ids of the vulnerabilities one of whose ids is in the KEV catalog (uncorrelated)."""
    return VulnerabilityAlias.objects.filter(
        identifier__in=KevEntry.objects.values("cve_id")
    ).values("vulnerability_id")


def recount(version_ids: Iterable[int] | None = None, now: datetime | None = None) -> int:
    """Count open and KEV-listed open findings of every version (or of `version_ids`)."""
    moment = now or timezone.now()
    findings = Finding.objects.filter(state=Finding.State.OPEN)
    versions = ProductVersion.objects.all()
    if version_ids is not None:
        wanted = list(version_ids)
        findings = findings.filter(version_id__in=wanted)
        versions = versions.filter(pk__in=wanted)
    counted = {
        row["version_id"]: row
        for row in findings.order_by()
        .values("version_id")
        .annotate(
            open=Count("pk"), kev=Count("pk", filter=Q(vulnerability_id__in=kev_vulnerabilities()))
        )
    }
    tallies = [
        FindingTally(
            version_id=pk,
            open=counted.get(pk, {}).get("open", 0),
            kev=counted.get(pk, {}).get("kev", 0),
            counted_at=moment,
        )
        for pk in versions.values_list("pk", flat=True)
    ]
    with transaction.atomic():
        FindingTally.objects.bulk_create(
            tallies,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["version"],
            update_fields=["open", "kev", "counted_at"],
        )
    return len(tallies)


@portfolio_task
def recount_task() -> dict[str, int]:
    return {"versions": recount()}


def recount_if_due(now: datetime | None = None) -> bool:
    """A worker's periodic check: queue a recount when the last one is old enough."""
    # Imported here: `schedule` imports the matching tasks, which need the app registry ready.
    from medvigil.vulns.schedule import schedule_row, still_unfinished

    moment = now or timezone.now()
    row = schedule_row(RECOUNT)
    interval = timedelta(seconds=settings.FINDING_TALLY_SECONDS)
    if row.last_queued_at is not None and moment - row.last_queued_at < interval:
        return False
    if still_unfinished(row.task_id, recount_task):
        return False
    with transaction.atomic():
        # Compare-and-set: of several workers that find it due, one queues it.
        claimed = ScheduledWork.objects.filter(pk=row.pk, last_queued_at=row.last_queued_at).update(
            last_queued_at=moment
        )
        if not claimed:
            return False
        result = recount_task.enqueue()
        ScheduledWork.objects.filter(pk=row.pk).update(task_id=str(result.id))
    return True


def finding_counts(user: Any) -> dict[str, int]:
    """Open findings, and those of them in KEV, of the versions `user` may see: from tallies."""
    visible = permissions.visible(user, ProductVersion.objects.all())
    if not FindingTally.objects.exists():
        return live_counts(user)
    return FindingTally.objects.filter(version__in=visible).aggregate(
        open=Coalesce(Sum("open"), 0), kev=Coalesce(Sum("kev"), 0)
    )


def live_counts(user: Any) -> dict[str, int]:
    """Counted from the findings themselves: before the first recount only."""
    rows = permissions.visible(user, Finding.objects.filter(state=Finding.State.OPEN))
    return rows.aggregate(
        open=Count("pk"), kev=Count("pk", filter=Q(vulnerability_id__in=kev_vulnerabilities()))
    )
