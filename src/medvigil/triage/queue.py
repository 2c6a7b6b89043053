"""The triage queue: open findings of every version the user may see, most urgent first.

Filters: priority, SSVC outcome, KEV listing, due date (overdue, due within
N days), product and status (a VEX status, "pending" approval or
"undecided"). Rows come from `selectors.version_statements`, so the queue
states exactly what the version lists state. Order: earliest due date
first (none last), then priority, then finding id; pages are keyset
cursors over that order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from ninja import Schema
from pydantic import Field

from medvigil.core.scoring import Outcome, Priority
from medvigil.platform.pagination import DEFAULT_LIMIT, MAXIMUM_LIMIT, decode_cursor, encode_cursor
from medvigil.platform.refusals import Kind, Refusal
from medvigil.portfolio.models import Product
from medvigil.triage import access, selectors
from medvigil.triage.models import Status
from medvigil.triage.policies import readable_versions
from medvigil.vulns.models import Finding

STATUSES = (*Status.values, "pending", "undecided")
PRIORITIES = (*[value.value for value in Priority], "unscored")
OUTCOMES = tuple(value.value for value in Outcome)
DUE_CHOICES = ("any", "overdue", "within")
LONGEST_WINDOW = 366
NO_DUE = 10.0**12  # sorts after every real timestamp


def unusable(name: str, message: str) -> Refusal:
    """A filter or cursor the queue cannot use (422), named beside its field."""
    return Refusal(f"{name}: {message}", Kind.INVALID, {name: message})


@dataclass(frozen=True)
class QueueFilter:
    priority: str = ""
    ssvc: str = ""
    kev: str = ""
    due: str = "any"
    within_days: int = 14
    product: int | None = None
    status: str = ""

    @classmethod
    def parse(cls, values: Mapping[str, Any]) -> QueueFilter:
        def one(name: str, allowed: tuple[str, ...]) -> str:
            value = str(values.get(name) or "").strip().lower()
            if value and value not in allowed:
                raise unusable(name, f"choose one of {', '.join(allowed)}.")
            return value

        within = str(values.get("within_days") or "14").strip()
        if not within.isdigit() or not 1 <= int(within) <= LONGEST_WINDOW:
            raise unusable("within_days", f"a whole number of days from 1 to {LONGEST_WINDOW}.")
        product = str(values.get("product") or "").strip()
        if product and not product.isdigit():
            raise unusable("product", "a product id.")
        return cls(
            priority=one("priority", PRIORITIES),
            ssvc=one("ssvc", OUTCOMES),
            kev=one("kev", ("yes", "no")),
            due=one("due", DUE_CHOICES) or "any",
            within_days=int(within),
            product=int(product) if product else None,
            status=one("status", STATUSES),
        )


@dataclass(frozen=True)
class QueueRow:
    finding_id: int
    product: str
    version: str
    version_id: int
    vulnerability: str
    component: str
    status: str
    pending_approval: bool
    priority: str
    ssvc_outcome: str
    kev_listed: bool
    due_at: datetime | None
    overdue: bool

    @property
    def order(self) -> tuple[float, int, int]:
        due = self.due_at.timestamp() if self.due_at else NO_DUE
        rank = PRIORITIES.index(self.priority) if self.priority in PRIORITIES else len(PRIORITIES)
        return (due, rank, self.finding_id)


def row_of(version: Any, statement: selectors.VersionStatement, now: datetime) -> QueueRow:
    scores, plan = statement.scores, statement.plan
    due_at = plan.due_at if plan and plan.remediated_at is None else None
    return QueueRow(
        finding_id=statement.finding_id,
        product=version.product.name,
        version=version.version,
        version_id=version.pk,
        vulnerability=statement.vulnerability_id,
        component=statement.component_key,
        status=statement.status,
        pending_approval=statement.pending_approval,
        priority=scores.priority if scores else "unscored",
        ssvc_outcome=scores.ssvc_outcome if scores else "",
        kev_listed=bool(scores and scores.kev_listed),
        due_at=due_at,
        overdue=due_at is not None and due_at <= now,
    )


def keeps(row: QueueRow, wanted: QueueFilter, now: datetime) -> bool:
    if wanted.priority and row.priority != wanted.priority:
        return False
    if wanted.ssvc and row.ssvc_outcome.lower() != wanted.ssvc:
        return False
    if wanted.kev and row.kev_listed != (wanted.kev == "yes"):
        return False
    if wanted.due == "overdue" and not row.overdue:
        return False
    horizon = now + timedelta(days=wanted.within_days)
    if wanted.due == "within" and (row.due_at is None or row.due_at > horizon):
        return False
    if wanted.status == "pending":
        return row.pending_approval
    if wanted.status == "undecided":
        return row.status == Status.UNDER_INVESTIGATION and not row.pending_approval
    return not wanted.status or row.status == wanted.status


def queue_rows(user: Any, wanted: QueueFilter, now: datetime | None = None) -> list[QueueRow]:
    """Every open finding the user may see that the filter keeps, most urgent first."""
    now = now or timezone.now()
    versions = (
        readable_versions(user)
        .filter(pk__in=Finding.objects.filter(state=Finding.State.OPEN).values("version_id"))
        .select_related("product")
    )
    if wanted.product is not None:
        versions = versions.filter(product_id=wanted.product)
    rows = [
        row_of(version, statement, now)
        for version in versions
        for statement in selectors.version_statements(version)
    ]
    return sorted((row for row in rows if keeps(row, wanted, now)), key=lambda row: row.order)


def page_of(
    rows: list[QueueRow], cursor: str | None, limit: int
) -> tuple[list[QueueRow], str | None]:
    """One page after `cursor` (a signed sort key), and the cursor of the next page."""
    if cursor:
        try:
            due, rank, finding = decode_cursor(cursor, 3)
            last = (float(due), int(rank), int(finding))
        except (Refusal, ValueError) as error:
            message = "not a cursor of this queue."
            # A forged or foreign cursor cannot be understood: 400, like every keyset page.
            raise Refusal(f"cursor: {message}", Kind.UNREADABLE, {"cursor": message}) from error
        rows = [row for row in rows if row.order > last]
    items = rows[:limit]
    more = len(rows) > limit and items
    return items, encode_cursor(list(items[-1].order)) if more else None


@login_required
def queue_page(request: HttpRequest) -> HttpResponse:
    access.require_inside(request.user)
    items: list[QueueRow] = []
    next_cursor = None
    try:
        wanted = QueueFilter.parse(request.GET)
        limit = str(request.GET.get("limit") or DEFAULT_LIMIT)
        if not limit.isdigit() or not 1 <= int(limit) <= MAXIMUM_LIMIT:
            raise unusable("limit", f"a number from 1 to {MAXIMUM_LIMIT}.")
        items, next_cursor = page_of(
            queue_rows(request.user, wanted), request.GET.get("cursor"), int(limit)
        )
    except Refusal as refusal:
        messages.error(request, refusal.message)
        wanted = QueueFilter()
    following = request.GET.copy()
    following["cursor"] = next_cursor or ""
    context = {
        "rows": items,
        "wanted": wanted,
        "now": timezone.now(),
        "next_link": f"{reverse('triage:queue')}?{following.urlencode()}" if next_cursor else "",
        "priorities": PRIORITIES,
        "outcomes": OUTCOMES,
        "statuses": STATUSES,
        "products": Product.objects.filter(
            pk__in=readable_versions(request.user).values("product_id")
        ).order_by("name"),
    }
    partial = request.headers.get("HX-Request")
    return render(request, "triage/_queue_rows.html" if partial else "triage/queue.html", context)


class QueueQuery(Schema):
    priority: str = Field("", description=f"One of {', '.join(PRIORITIES)}")
    ssvc: str = Field("", description=f"SSVC outcome: one of {', '.join(OUTCOMES)}")
    kev: str = Field("", description="yes (KEV-listed) or no")
    due: str = Field("any", description="any, overdue, or within (within_days days from now)")
    within_days: int = Field(14, ge=1, le=LONGEST_WINDOW)
    product: int | None = Field(None, description="Product id")
    status: str = Field("", description=f"One of {', '.join(STATUSES)}")


class QueueRowOut(Schema):
    finding_id: int
    product: str
    version: str
    version_id: int
    vulnerability: str
    component: str
    status: str
    pending_approval: bool
    priority: str
    ssvc_outcome: str
    kev_listed: bool
    due_at: datetime | None
    overdue: bool
