"""The triage dashboard: three plots as SVG images with the same numbers as tables.

The SVG is built with ElementTree (every label escaped) and shown as a
data: URI image, so the page needs no script nor external asset and the
Content-Security-Policy stays strict. Numbers come from
`medvigil.core.scoring.trends`; this module only gathers their inputs.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from xml.etree import ElementTree

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from medvigil.core.scoring import trends
from medvigil.triage import access
from medvigil.triage.keys import key_of
from medvigil.triage.models import Assessment, Decision, RemediationPlan, Status
from medvigil.triage.policies import readable_versions
from medvigil.vulns.models import Finding

SETTLED = {Status.NOT_AFFECTED, Status.FIXED}
COLOURS = {
    "critical": "#8b0000",
    "high": "#d9480f",
    "medium": "#e6a700",
    "low": "#2f7d32",
    "none": "#6c757d",
    "unscored": "#adb5bd",
    "due": "#495057",
    "done": "#2f7d32",
}
WIDTH, HEIGHT, MARGIN = 720, 260, 40
SVG = "http://www.w3.org/2000/svg"
# Characters XML 1.0 cannot carry: a product name holding one must not break the image.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def label(value: str) -> str:
    return NOT_XML.sub("", value)


# Gathering -----------------------------------------------------------------


def spans_and_heat(
    user: Any, now: datetime, weeks: int
) -> tuple[list[trends.FindingSpan], list[tuple[str, float | None]]]:
    """Findings alive in the window, with their current priority and decision history."""
    versions = readable_versions(user)
    start = now - trends.WEEK * weeks
    findings = (
        Finding.objects.filter(version__in=versions, first_seen__lte=now)
        .exclude(state=Finding.State.CANDIDATE)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=start))
        .select_related("vulnerability", "component", "version__product")
        .only(
            "id",
            "first_seen",
            "closed_at",
            "state",
            "vulnerability_id",
            "component_id",
            "component_name",
            "component_version",
            "component_purl",
            "version__product__name",
            "version__version",
            "vulnerability__canonical_id",
            "component__name",
            "component__version",
            "component__purl",
        )
    )
    scores = {
        (row["version_id"], row["vulnerability_id"], row["component_key"]): row
        for row in Assessment.objects.filter(version__in=versions).values(
            "version_id",
            "vulnerability_id",
            "component_key",
            "priority",
            "cvss3_base",
            "cvss4_base",
        )
    }
    history: dict[tuple[int, int, str], list[tuple[datetime, bool]]] = {}
    for decision in Decision.objects.filter(version__in=versions).values(
        "version_id",
        "vulnerability_id",
        "component_key",
        "status",
        "created_at",
        "requires_approval",
        "approved_at",
    ):
        effective = (
            decision["approved_at"] if decision["requires_approval"] else decision["created_at"]
        )
        if effective is not None:
            identity = (
                decision["version_id"],
                decision["vulnerability_id"],
                decision["component_key"],
            )
            history.setdefault(identity, []).append((effective, decision["status"] in SETTLED))
    spans, heat = [], []
    for finding in findings:
        identity = (finding.version_id, finding.vulnerability_id, key_of(finding).component_key)
        score: Any = scores.get(identity) or {}
        span = trends.FindingSpan(
            priority=score.get("priority") or "unscored",
            opened=finding.first_seen,
            closed=finding.closed_at if finding.state == Finding.State.CLOSED else None,
            decisions=tuple(history.get(identity, ())),
        )
        spans.append(span)
        if span.open_at(now):
            base = score.get("cvss3_base")
            heat.append(
                (
                    finding.version.product.name,
                    base if base is not None else score.get("cvss4_base"),
                )
            )
    return spans, heat


def clocks(user: Any, now: datetime, past: int, ahead: int) -> list[trends.Clock]:
    plans = RemediationPlan.objects.filter(
        version__in=readable_versions(user),
        due_at__gte=now - trends.WEEK * past,
        due_at__lt=now + trends.WEEK * ahead,
    ).values_list("due_at", "remediated_at")
    return [trends.Clock(due, done) for due, done in plans if due is not None]


# Rendering -----------------------------------------------------------------


def svg_root(title: str, height: int = HEIGHT) -> ElementTree.Element:
    root = ElementTree.Element(
        "svg",
        {
            "xmlns": SVG,
            "width": str(WIDTH),
            "height": str(height),
            "viewBox": f"0 0 {WIDTH} {height}",
            "role": "img",
        },
    )
    ElementTree.SubElement(root, "title").text = title
    return root


def text(parent: ElementTree.Element, x: float, y: float, value: str, **extra: str) -> None:
    attributes = {"x": f"{x:.1f}", "y": f"{y:.1f}", "font-size": "11", "font-family": "sans-serif"}
    ElementTree.SubElement(parent, "text", {**attributes, **extra}).text = label(value)


def bar(
    parent: ElementTree.Element,
    x: float,
    y: float,
    width: float,
    height: float,
    series: str,
    caption: str,
) -> None:
    rect = ElementTree.SubElement(
        parent,
        "rect",
        {
            "x": f"{x:.1f}",
            "y": f"{y:.1f}",
            "width": f"{width:.1f}",
            "height": f"{height:.1f}",
            "fill": COLOURS[series],
            "class": series,
        },
    )
    ElementTree.SubElement(rect, "title").text = label(caption)


def legend(root: ElementTree.Element, names: Sequence[str]) -> None:
    for index, name in enumerate(names):
        x = MARGIN + index * 100
        ElementTree.SubElement(
            root,
            "rect",
            {
                "x": str(x),
                "y": "8",
                "width": "10",
                "height": "10",
                "fill": COLOURS[name],
                "class": "legend",
            },
        )
        text(root, x + 14, 17, name)


def serialised(root: ElementTree.Element) -> str:
    return ElementTree.tostring(root, encoding="unicode")


def priority_svg(weeks: Sequence[trends.WeekCounts]) -> str:
    root = svg_root("Open findings by priority, week by week")
    legend(root, trends.PRIORITIES)
    highest = max((sum(week.counts) for week in weeks), default=0) or 1
    plot_height, slot = HEIGHT - 2 * MARGIN, (WIDTH - 2 * MARGIN) / max(len(weeks), 1)
    for index, week in enumerate(weeks):
        x, bottom = MARGIN + index * slot, float(HEIGHT - MARGIN)
        for name, count in zip(trends.PRIORITIES, week.counts, strict=True):
            if count:
                height = plot_height * count / highest
                bottom -= height
                bar(
                    root,
                    x + 2,
                    bottom,
                    slot - 4,
                    height,
                    name,
                    f"{week.ending:%Y-%m-%d} {name}: {count}",
                )
        text(root, x + 2, HEIGHT - MARGIN + 14, f"{week.ending:%m-%d}")
    return serialised(root)


def burn_down_svg(weeks: Sequence[trends.BurnWeek]) -> str:
    root = svg_root("Remediation due dates per week, and those done")
    legend(root, ("due", "done"))
    highest = max((week.due for week in weeks), default=0) or 1
    plot_height, slot = HEIGHT - 2 * MARGIN, (WIDTH - 2 * MARGIN) / max(len(weeks), 1)
    for index, week in enumerate(weeks):
        x = MARGIN + index * slot
        for offset, name, count in ((0, "due", week.due), (1, "done", week.done)):
            if count:
                height = plot_height * count / highest
                bar(
                    root,
                    x + 2 + offset * (slot - 4) / 2,
                    HEIGHT - MARGIN - height,
                    (slot - 4) / 2,
                    height,
                    name,
                    f"week of {week.starting:%Y-%m-%d} {name}: {count}",
                )
        text(root, x + 2, HEIGHT - MARGIN + 14, f"{week.starting:%m-%d}")
    return serialised(root)


def heat_svg(heat: trends.HeatMap) -> str:
    row_height, label_width = 24, 200
    height = MARGIN + row_height * max(len(heat.products), 1) + 10
    root = svg_root("Open findings per product and severity", height)
    cell = (WIDTH - label_width - 10) / len(trends.SEVERITIES)
    for column, severity in enumerate(trends.SEVERITIES):
        text(root, label_width + column * cell + 4, MARGIN - 8, severity)
    for line, (product, counts) in enumerate(zip(heat.products, heat.counts, strict=True)):
        y = MARGIN + line * row_height
        text(root, 4, y + 16, product[:32])
        for column, count in enumerate(counts):
            strength = count / heat.highest if heat.highest else 0
            rect = ElementTree.SubElement(
                root,
                "rect",
                {
                    "x": f"{label_width + column * cell:.1f}",
                    "y": str(y),
                    "width": f"{cell - 2:.1f}",
                    "height": str(row_height - 2),
                    "fill": COLOURS["critical"],
                    "fill-opacity": f"{0.08 + 0.92 * strength:.2f}",
                    "class": "cell",
                },
            )
            caption = f"{product} {trends.SEVERITIES[column]}: {count}"
            ElementTree.SubElement(rect, "title").text = label(caption)
            text(root, label_width + column * cell + cell / 2 - 6, y + 16, str(count))
    return serialised(root)


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    access.require_inside(request.user)
    now = timezone.now()
    spans, open_now = spans_and_heat(request.user, now, weeks=12)
    by_priority = trends.open_by_priority(spans, now, weeks=12)
    burn = trends.burn_down(clocks(request.user, now, past=8, ahead=4), now, past=8, ahead=4)
    heat = trends.heat_map(open_now)
    context = {
        "priorities": trends.PRIORITIES,
        "severities": trends.SEVERITIES,
        "by_priority": by_priority,
        "burn": burn,
        "heat": heat,
        "heat_rows": list(zip(heat.products, heat.counts, strict=True)),
        "priority_image": data_uri(priority_svg(by_priority)),
        "burn_image": data_uri(burn_down_svg(burn)),
        "heat_image": data_uri(heat_svg(heat)),
    }
    return render(request, "triage/dashboard.html", context)
