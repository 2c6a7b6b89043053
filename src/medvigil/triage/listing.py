"""One page of a version's triage list, filtered and paged in SQL.

The filters read the statement in force that `standing` keeps on each
finding; "overdue" reads the version's plans (any of their clocks passed).
Only the page's findings are then built into statements
(`selectors.version_statements(version, page)`), so a request costs a fixed
number of queries whatever the size of the version.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db.models import Q, QuerySet

from medvigil.platform.pagination import after, decode_cursor, encode_cursor
from medvigil.portfolio.models import ProductVersion
from medvigil.triage import selectors, standing
from medvigil.triage.models import RemediationPlan
from medvigil.vulns.models import Finding

# Page and API order by finding id (first found first). Ordering by vulnerability id made
# PostgreSQL walk every vulnerability by name to fill one page (480 ms at 100,000 findings).
PAGE_ORDER = API_ORDER = ("id",)


def overdue_ids(version: ProductVersion, now: datetime) -> list[int]:
    """Open findings of the version whose plan has a clock past due (not remediated)."""
    plans = RemediationPlan.objects.filter(version=version, remediated_at__isnull=True).filter(
        Q(due_at__lte=now)
        | Q(remediate_due_at__lte=now)
        | Q(communicated_at__isnull=True, communicate_due_at__lte=now)
    )
    late = set(plans.values_list("vulnerability_id", "component_key"))
    if not late:
        return []
    rows = Finding.objects.filter(
        version=version,
        state=Finding.State.OPEN,
        vulnerability_id__in={vulnerability for vulnerability, _ in late},
    ).only("id", "version_id", "vulnerability_id", *standing.COMPONENT_FIELDS)
    return [row.pk for row in rows if standing.identity_of(row)[1:] in late]


def statement_findings(
    version: ProductVersion, status: str, priority: str, overdue: bool, now: datetime
) -> QuerySet[Finding]:
    rows = selectors.open_findings(version)
    if status == "pending":
        rows = rows.filter(triage_pending=True)
    elif status:
        rows = rows.filter(triage_status=status)
    if priority:
        rows = rows.filter(triage_priority=priority) if priority in standing.RANKS else rows.none()
    if overdue:
        rows = rows.filter(pk__in=overdue_ids(version, now))
    return rows


def page_of(
    version: ProductVersion,
    rows: QuerySet[Finding],
    ordering: Sequence[str],
    cursor: str | None,
    limit: int,
) -> tuple[list[selectors.VersionStatement], str | None]:
    """One page of statements after `cursor`, and the cursor of the next page."""
    rows = rows.order_by(*ordering)
    if cursor:
        rows = rows.filter(after(ordering, decode_cursor(cursor, len(ordering))))
    fetched = list(rows[: limit + 1])
    page = fetched[:limit]
    statements = selectors.version_statements(version, page)
    more = len(fetched) > limit and page
    last = page[-1] if more else None
    if last is None:
        return statements, None
    return statements, encode_cursor([getattr(last, name) for name in ordering])
