"""The dashboard's numbers on worked examples, their SVG, and the page that shows both."""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from defusedxml.ElementTree import fromstring
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from medvigil.core.scoring import trends
from medvigil.triage import plots, services
from medvigil.triage.statements import Statement
from medvigil.vulns.models import Finding
from tests import factories
from tests.triage.conftest import Portfolio

NOW = datetime(2026, 3, 31, 12, tzinfo=UTC)
DAY = timedelta(days=1)
SVG = "{http://www.w3.org/2000/svg}"


def test_open_by_priority_counts_a_finding_while_open_and_not_settled() -> None:
    spans = [
        # Opened 20 days ago, still open: in the last three weekly points.
        trends.FindingSpan("high", NOW - 20 * DAY),
        # Opened 30 days ago, closed 10 days ago: in points at -28, -21 and -14 days.
        trends.FindingSpan("critical", NOW - 30 * DAY, closed=NOW - 10 * DAY),
        # Not affected 16 days ago, reopened (affected) 3 days ago: out at -14 and -7.
        trends.FindingSpan(
            "low", NOW - 40 * DAY, decisions=((NOW - 16 * DAY, True), (NOW - 3 * DAY, False))
        ),
        trends.FindingSpan("bogus", NOW - DAY),  # an unknown priority counts as unscored
    ]
    weeks = trends.open_by_priority(spans, NOW, weeks=5)
    assert [week.ending for week in weeks] == [NOW - 7 * DAY * back for back in (4, 3, 2, 1, 0)]
    by_name = [dict(zip(trends.PRIORITIES, week.counts, strict=True)) for week in weeks]
    assert [row["high"] for row in by_name] == [0, 0, 1, 1, 1]
    assert [row["critical"] for row in by_name] == [1, 1, 1, 0, 0]
    assert [row["low"] for row in by_name] == [1, 1, 0, 0, 1]
    assert [row["unscored"] for row in by_name] == [0, 0, 0, 0, 1]


def test_burn_down_counts_due_done_and_late_per_week() -> None:
    clocks = [
        trends.Clock(NOW - 10 * DAY, NOW - 12 * DAY),  # done on time
        trends.Clock(NOW - 9 * DAY, NOW - 2 * DAY),  # done late
        trends.Clock(NOW - 8 * DAY),  # missed
        trends.Clock(NOW + 3 * DAY),  # upcoming
    ]
    weeks = trends.burn_down(clocks, NOW, past=2, ahead=1)
    assert [week.starting for week in weeks] == [NOW - 14 * DAY, NOW - 7 * DAY, NOW]
    assert [(week.due, week.done, week.late) for week in weeks] == [(3, 2, 2), (0, 0, 0), (1, 0, 0)]


def test_severity_bands_and_heat_map() -> None:
    assert [trends.severity_of(score) for score in (10.0, 9.0, 8.9, 7.0, 4.0, 3.9, 0.0, None)] == [
        "critical",
        "critical",
        "high",
        "high",
        "medium",
        "low",
        "none",
        "unscored",
    ]
    heat = trends.heat_map([("Pump", 9.8), ("Pump", 5.0), ("ab monitor", None), ("Pump", 9.1)])
    assert heat.products == ("ab monitor", "Pump")
    assert heat.counts == ((0, 0, 0, 0, 0, 1), (2, 0, 1, 0, 0, 0))
    assert heat.highest == 2


def parsed(svg: str) -> Any:
    root = fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def rects(root: Any, kind: str) -> list[Any]:
    return [rect for rect in root.iter(f"{SVG}rect") if rect.get("class") == kind]


def test_priority_svg_draws_one_bar_per_non_zero_count_with_labels() -> None:
    weeks = [
        trends.WeekCounts(NOW - 7 * DAY, (1, 2, 0, 0, 0)),
        trends.WeekCounts(NOW, (0, 3, 0, 0, 1)),
    ]
    root = parsed(plots.priority_svg(weeks))
    assert len(rects(root, "high")) == 2
    assert len(rects(root, "critical")) == 1
    assert len(rects(root, "unscored")) == 1
    labels = {title.text for title in root.iter(f"{SVG}title")}
    assert "2026-03-31 high: 3" in labels
    assert {"03-24", "03-31"} <= {text.text for text in root.iter(f"{SVG}text")}


def test_burn_down_and_heat_svg_are_well_formed_with_every_cell() -> None:
    burn = parsed(
        plots.burn_down_svg(
            [trends.BurnWeek(NOW, 4, 1, 0), trends.BurnWeek(NOW + 7 * DAY, 0, 0, 0)]
        )
    )
    assert len(rects(burn, "due")) == 1
    assert len(rects(burn, "done")) == 1
    heat = trends.heat_map([('Pump <&> "X"', 9.8), ("Monitor", 2.0)])
    root = parsed(plots.heat_svg(heat))
    assert len(rects(root, "cell")) == 2 * len(trends.SEVERITIES)
    assert 'Pump <&> "X"' in {text.text for text in root.iter(f"{SVG}text")}


@given(
    st.lists(st.tuples(st.text(max_size=40), st.one_of(st.none(), st.floats(0, 10))), max_size=20)
)
def test_heat_svg_stays_well_formed_for_any_product_name(
    rows: list[tuple[str, float | None]],
) -> None:
    root = parsed(plots.heat_svg(trends.heat_map(rows)))
    assert len(rects(root, "cell")) == len({name for name, _ in rows}) * len(trends.SEVERITIES)


@pytest.mark.django_db
def test_dashboard_page_shows_the_plots_as_images_and_the_numbers_as_tables(
    portfolio: Portfolio,
) -> None:
    finding = portfolio.finding(portfolio.development)
    services.decide(
        finding,
        portfolio.engineer,
        Statement(
            status="not_affected",
            justification="vulnerable_code_not_in_execute_path",
            impact_statement="Build-time only.",
        ),
    )
    client = factories.sign_in(Client(), portfolio.viewer)
    page = client.get("/triage/dashboard/")
    assert page.status_code == 200
    html = page.content.decode()
    images = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert len(images) == 3
    for image in images:
        parsed(base64.b64decode(image).decode())
    assert "<script" not in html.split("</header>")[-1]
    released_open = Finding.objects.filter(version=portfolio.released, state="open").count()
    heat = page.context["heat"]
    assert heat.products == (portfolio.released.product.name,)
    # Both versions match the same real SBOM; the one settled decision leaves one fewer open.
    assert sum(heat.counts[0]) == 2 * released_open - 1
    assert sum(page.context["by_priority"][-1].counts) == 2 * released_open - 1
    assert "Open findings per product and CVSS base severity" in html


@pytest.mark.django_db
def test_outside_users_get_no_dashboard(portfolio: Portfolio) -> None:
    customer = factories.user(roles=["customer"], organisation=factories.organisation())
    assert factories.sign_in(Client(), customer).get("/triage/dashboard/").status_code == 403
