"""Where are we exposed to a vulnerability: one row per product version, paged.

A vulnerability can have tens of thousands of findings across a portfolio;
the page costs what it shows. The versions come from the version table
(visible to the viewer, with a finding of this vulnerability: an index probe
per version on `finding_vulnerability_version`), in keyset pages ordered by
product name, version and id; the counts of the page's versions come from one
grouped query; the component names from one query over the page's open
findings, at most `COMPONENTS_SHOWN` per version with the number of the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from medvigil.platform import permissions
from medvigil.platform.pagination import DEFAULT_LIMIT, after, decode_cursor, encode_cursor
from medvigil.portfolio.models import ProductVersion
from medvigil.vulns.models import Finding, Vulnerability

ORDERING = ("product__name", "version", "id")
COMPONENTS_SHOWN = 10


@dataclass
class Exposure:
    version: ProductVersion
    open_findings: int = 0
    closed_findings: int = 0
    components: list[str] = field(default_factory=list)
    # Components with an open finding, the ones not listed in `components` included.
    component_count: int = 0

    @property
    def components_not_shown(self) -> int:
        return self.component_count - len(self.components)


@dataclass(frozen=True)
class ExposurePage:
    entries: list[Exposure]
    next_cursor: str | None
    versions: int


def findings_of(vulnerability: Vulnerability) -> QuerySet[Finding]:
    return Finding.objects.filter(vulnerability=vulnerability).exclude(
        state=Finding.State.CANDIDATE
    )


def exposed_versions(user: Any, vulnerability: Vulnerability) -> QuerySet[ProductVersion]:
    """The versions the user may see that have (or had) a finding of `vulnerability`."""
    found = findings_of(vulnerability).filter(version=OuterRef("pk"))
    return permissions.visible(user, ProductVersion.objects.filter(Exists(found)))


def exposure_page(
    user: Any, vulnerability: Vulnerability, cursor: str | None = None, limit: int = DEFAULT_LIMIT
) -> ExposurePage:
    versions = exposed_versions(user, vulnerability)
    rows = versions.select_related("product").order_by(*ORDERING)
    if cursor:
        rows = rows.filter(after(ORDERING, decode_cursor(cursor, len(ORDERING))))
    window = list(rows[: limit + 1])
    shown = window[:limit]
    next_cursor = None
    if len(window) > limit and shown:
        last = shown[-1]
        next_cursor = encode_cursor([last.product.name, last.version, last.pk])
    entries = {version.pk: Exposure(version) for version in shown}
    if entries:
        count_page(vulnerability, entries)
    return ExposurePage(list(entries.values()), next_cursor, versions.count())


def count_page(vulnerability: Vulnerability, entries: dict[int, Exposure]) -> None:
    rows = findings_of(vulnerability).filter(version_id__in=list(entries))
    counted = (
        rows.order_by()
        .values("version_id")
        .annotate(
            open=Count("pk", filter=Q(state=Finding.State.OPEN)),
            closed=Count("pk", filter=Q(state=Finding.State.CLOSED)),
        )
    )
    for row in counted:
        entry = entries[row["version_id"]]
        entry.open_findings = row["open"]
        entry.closed_findings = row["closed"]
    labels = (
        rows.filter(state=Finding.State.OPEN)
        .order_by("version_id", "component_name", "component_version")
        .values_list("version_id", "component_name", "component_version")
        .distinct()
    )
    for version_id, name, version in labels:
        entry = entries[version_id]
        entry.component_count += 1
        if len(entry.components) < COMPONENTS_SHOWN:
            entry.components.append(f"{name} {version}".strip())
