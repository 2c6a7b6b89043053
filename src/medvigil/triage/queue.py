"""The triage queue: open findings of every version the user may see, most urgent first.

Filters: priority, SSVC outcome, KEV listing, due date (overdue, due within
N days), product and status (a VEX status, "pending" approval or
"undecided"). Rows are the open findings with the statement in force that
`standing` keeps on each finding (the same as the version lists state), read
in one indexed query. Order: earliest due date first (none last), then
priority, then finding id; pages are keyset cursors over that order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
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
from medvigil.triage import access, standing
from medvigil.triage.models import Status
from medvigil.triage.policies import readable_versions
from medvigil.vulns.models import NO_DUE, UNSCORED_RANK, Finding

STATUSES = (*Status.values, "pending", "undecided")
PRIORITIES = (*[value.value for value in Priority], "unscored")
OUTCOMES = tuple(value.value for value in Outcome)
DUE_CHOICES = ("any", "overdue", "within")
LONGEST_WINDOW = 366
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# What a row reads of a finding and its relations (no provenance, no component JSON).
SHOWN = (
    "id",
    "version_id",
    "vulnerability_id",
    "component_id",
    "component_name",
    "component_version",
    "component_purl",
    *standing.DEFAULTS,
    "version__version",
    "version__product__name",
    "vulnerability__canonical_id",
    "component__name",
    "component__version",
    "component__purl",
)


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
    def order(self) -> tuple[int, int, int]:
        """The keyset: due date (microseconds since the epoch, NO_DUE if none), rank, id."""
        due = self.due_at or NO_DUE
        rank = PRIORITIES.index(self.priority) if self.priority in PRIORITIES else UNSCORED_RANK
        return (microseconds(due), rank, self.finding_id)


def microseconds(moment: datetime) -> int:
    return (moment - EPOCH) // timedelta(microseconds=1)


def row_of(finding: Finding, now: datetime) -> QueueRow:
    due_at = None if finding.triage_due == NO_DUE else finding.triage_due
    return QueueRow(
        finding_id=finding.pk,
        product=finding.version.product.name,
        version=finding.version.version,
        version_id=finding.version_id,
        vulnerability=finding.vulnerability.canonical_id,
        component=standing.identity_of(finding)[2],
        status=finding.triage_status,
        pending_approval=finding.triage_pending,
        priority=finding.triage_priority,
        ssvc_outcome=finding.triage_ssvc,
        kev_listed=finding.triage_kev,
        due_at=due_at,
        overdue=due_at is not None and due_at <= now,
    )


def kept(user: Any, wanted: QueueFilter, now: datetime) -> QuerySet[Finding]:
    """Open findings of the versions the user may read that the filter keeps, in queue order."""
    rows = Finding.objects.filter(state=Finding.State.OPEN, version__in=readable_versions(user))
    if wanted.product is not None:
        rows = rows.filter(version__product_id=wanted.product)
    if wanted.priority:
        rows = rows.filter(triage_priority=wanted.priority)
    if wanted.ssvc:
        rows = rows.filter(triage_ssvc__iexact=wanted.ssvc)
    if wanted.kev:
        rows = rows.filter(triage_kev=wanted.kev == "yes")
    if wanted.due == "overdue":
        rows = rows.filter(triage_due__lte=now)
    elif wanted.due == "within":
        rows = rows.filter(triage_due__lte=now + timedelta(days=wanted.within_days))
    if wanted.status == "pending":
        rows = rows.filter(triage_pending=True)
    elif wanted.status == "undecided":
        rows = rows.filter(triage_status=Status.UNDER_INVESTIGATION, triage_pending=False)
    elif wanted.status:
        rows = rows.filter(triage_status=wanted.status)
    return rows.order_by("triage_due", "triage_rank", "id")


def after(cursor: str) -> Q:
    """Rows after the signed sort key `cursor`, or a 400 refusal for a foreign cursor."""
    try:
        due, rank, finding = (int(part) for part in decode_cursor(cursor, 3))
        moment = EPOCH + timedelta(microseconds=due)
    except (Refusal, ValueError, TypeError, OverflowError) as error:
        message = "not a cursor of this queue."
        # A forged or foreign cursor cannot be understood: 400, like every keyset page.
        raise Refusal(f"cursor: {message}", Kind.UNREADABLE, {"cursor": message}) from error
    return (
        Q(triage_due__gt=moment)
        | Q(triage_due=moment, triage_rank__gt=rank)
        | Q(triage_due=moment, triage_rank=rank, id__gt=finding)
    )


def queue_page_rows(
    user: Any, wanted: QueueFilter, cursor: str | None, limit: int, now: datetime | None = None
) -> tuple[list[QueueRow], str | None]:
    """One page of the queue after `cursor`, and the cursor of the next page: one query."""
    now = now or timezone.now()
    rows = kept(user, wanted, now)
    if cursor:
        rows = rows.filter(after(cursor))
    fetched = list(
        rows.select_related("version__product", "vulnerability", "component").only(*SHOWN)[
            : limit + 1
        ]
    )
    items = [row_of(finding, now) for finding in fetched[:limit]]
    more = len(fetched) > limit
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
        items, next_cursor = queue_page_rows(
            request.user, wanted, request.GET.get("cursor"), int(limit)
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
