"""The triage queue across versions and products: filters, order, pages, refusals."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medvigil.platform.refusals import Refusal
from medvigil.triage import services, standing
from medvigil.triage.keys import key_of
from medvigil.triage.models import Assessment, RemediationPlan
from medvigil.triage.queue import QueueFilter, QueueRow, queue_page_rows
from medvigil.triage.remediation import PlanInput, save_plan
from medvigil.triage.statements import Statement
from medvigil.vulns.models import Finding
from tests import factories
from tests.triage.conftest import MINIMIST, Portfolio

pytestmark = pytest.mark.django_db

NOT_AFFECTED = Statement(
    status="not_affected",
    justification="vulnerable_code_not_in_execute_path",
    impact_statement="Build-time only.",
)


def client_for(user: Any) -> Client:
    return factories.sign_in(Client(raise_request_exception=False), user)


def open_count(portfolio: Portfolio) -> int:
    return Finding.objects.filter(
        version__in=[portfolio.released, portfolio.development], state="open"
    ).count()


def arrange(portfolio: Portfolio) -> tuple[Finding, Finding]:
    """Minimist in development: overdue, act, KEV, not affected; in released: due in 10 days."""
    late, soon = portfolio.finding(portfolio.development), portfolio.finding(portfolio.released)
    now = timezone.now()
    for finding, due, priority in (
        (late, now - timedelta(days=2), "critical"),
        (soon, now + timedelta(days=10), "high"),
    ):
        save_plan(finding, portfolio.engineer, PlanInput())
        key = key_of(finding).lookup()
        RemediationPlan.objects.filter(**key).update(due_at=due)
        Assessment.objects.filter(**key).update(priority=priority)
    Assessment.objects.filter(**key_of(late).lookup()).update(ssvc_outcome="act", kev_listed=True)
    # The dates and scores above are set around the services: copy them as a service would.
    standing.refresh([key_of(late), key_of(soon)])
    services.decide(late, portfolio.engineer, NOT_AFFECTED)
    return late, soon


def queue_rows(user: Any, wanted: QueueFilter) -> list[QueueRow]:
    """The whole queue, in one page."""
    rows, following = queue_page_rows(user, wanted, None, 10_000)
    assert following is None
    return rows


def ids(rows: list[Any]) -> list[int]:
    return [row.finding_id for row in rows]


def test_queue_covers_every_visible_version_most_urgent_first(portfolio: Portfolio) -> None:
    late, soon = arrange(portfolio)
    rows = queue_rows(portfolio.viewer, QueueFilter())
    assert len(rows) == open_count(portfolio)
    assert ids(rows)[:2] == [late.pk, soon.pk]
    assert rows[0].overdue
    assert rows[0].status == "not_affected"
    assert rows[0].product == portfolio.released.product.name
    assert all(row.due_at is None for row in rows[2:])


def test_each_filter_keeps_what_it_names(portfolio: Portfolio) -> None:
    late, soon = arrange(portfolio)
    viewer = portfolio.viewer

    def kept(**values: Any) -> list[int]:
        return ids(queue_rows(viewer, QueueFilter.parse(values)))

    assert kept(priority="critical") == [late.pk]
    assert kept(ssvc="act") == [late.pk]
    assert kept(kev="yes") == [late.pk]
    assert late.pk not in kept(kev="no")
    assert kept(due="overdue") == [late.pk]
    assert kept(due="within", within_days="14") == [late.pk, soon.pk]
    assert kept(due="within", within_days="5") == [late.pk]
    assert kept(status="not_affected") == [late.pk]
    undecided = kept(status="undecided")
    assert late.pk not in undecided
    assert len(undecided) == open_count(portfolio) - 1
    assert kept(product=str(portfolio.released.product_id), status="affected") == []
    other = factories.product(owner=portfolio.team)
    assert kept(product=str(other.pk)) == []


def test_unknown_filters_are_refused_by_name() -> None:
    for values, named in (
        ({"priority": "urgent"}, "priority"),
        ({"ssvc": "panic"}, "ssvc"),
        ({"kev": "maybe"}, "kev"),
        ({"due": "later"}, "due"),
        ({"within_days": "0"}, "within_days"),
        ({"product": "x"}, "product"),
        ({"status": "closed"}, "status"),
    ):
        with pytest.raises(Refusal, match=named):
            QueueFilter.parse(values)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.dictionaries(
        st.sampled_from(["priority", "ssvc", "kev", "due", "within_days", "product", "status"]),
        st.text(max_size=12),
    )
)
def test_any_filter_input_is_parsed_or_refused(values: dict[str, str]) -> None:
    refusal = ""
    try:
        QueueFilter.parse(values)
    except Refusal as error:
        refusal = str(error)
    assert not refusal or refusal.split(":")[0] in values


def test_pages_follow_each_other_without_gaps(portfolio: Portfolio) -> None:
    arrange(portfolio)
    everything = queue_rows(portfolio.viewer, QueueFilter())
    seen, cursor = [], None
    while True:
        items, cursor = queue_page_rows(portfolio.viewer, QueueFilter(), cursor, 2)
        seen.extend(items)
        if cursor is None:
            break
    assert ids(seen) == ids(everything)
    with pytest.raises(Refusal, match="cursor"):
        queue_page_rows(portfolio.viewer, QueueFilter(), "forged", 2)


def test_api_queue_pages_filters_and_problems(portfolio: Portfolio) -> None:
    late, soon = arrange(portfolio)
    client = client_for(portfolio.viewer)
    first = client.get("/api/v1/triage/queue", {"limit": 1})
    assert first.status_code == 200
    assert [item["finding_id"] for item in first.json()["items"]] == [late.pk]
    second = client.get("/api/v1/triage/queue", {"limit": 1, "cursor": first.json()["next_cursor"]})
    assert [item["finding_id"] for item in second.json()["items"]] == [soon.pk]
    kev = client.get("/api/v1/triage/queue", {"kev": "yes"}).json()["items"]
    assert [(item["vulnerability"], item["ssvc_outcome"]) for item in kev] == [(MINIMIST, "act")]
    refused = client.get("/api/v1/triage/queue", {"status": "closed"})
    assert refused.status_code == 422
    assert refused["Content-Type"] == "application/problem+json"
    assert "status" in refused.json()["detail"]
    assert client.get("/api/v1/triage/queue", {"cursor": "forged"}).status_code == 400


def test_queue_page_and_its_htmx_rows(portfolio: Portfolio) -> None:
    late, _ = arrange(portfolio)
    client = client_for(portfolio.viewer)
    page = client.get("/triage/queue/", {"due": "overdue"})
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-finding="{late.pk}"' in html
    assert html.count("data-finding=") == 1
    assert 'hx-get="/triage/queue/"' in html
    rows = client.get("/triage/queue/", {"limit": "1"}, headers={"HX-Request": "true"})
    assert rows.content.decode().lstrip().startswith("<table")
    assert 'rel="next"' in rows.content.decode()
    refused = client.get("/triage/queue/", {"priority": "urgent"})
    assert refused.status_code == 200
    assert "priority: choose one of" in refused.content.decode()


def test_outside_users_get_no_queue(portfolio: Portfolio) -> None:
    customer = factories.user(roles=["customer"], organisation=factories.organisation())
    client = client_for(customer)
    assert client.get("/triage/queue/").status_code == 403
    assert client.get("/api/v1/triage/queue").status_code == 403
