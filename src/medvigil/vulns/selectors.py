"""Reads of vulnerability intelligence and findings, for views, the API and the CLI.

Every read that depends on the viewer goes through
`medvigil.platform.permissions.visible`, so a customer's exposure list holds
only the versions it has deployed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from medvigil.platform import permissions
from medvigil.portfolio.models import ProductVersion
from medvigil.vulns.models import (
    Advisory,
    EpssScore,
    FeedImport,
    FeedSource,
    Finding,
    KevEntry,
    Vulnerability,
    VulnerabilityAlias,
)

SEARCH_LIMIT = 100


@dataclass(frozen=True)
class FindingFilter:
    state: str = ""
    severity: str = ""
    kev: bool | None = None
    search: str = ""


def kev_listed() -> ExpressionWrapper:
    """True for a finding whose vulnerability (any of its ids) is in the KEV catalog.

    A column of the vulnerability row (`vulns.kev_flags` keeps it), read through the join.
    """
    return ExpressionWrapper(Q(vulnerability__kev_listed=True), output_field=BooleanField())


def vulnerability_kev() -> ExpressionWrapper:
    return ExpressionWrapper(Q(kev_listed=True), output_field=BooleanField())


def search_vulnerabilities(user: Any, query: str) -> QuerySet[Vulnerability]:
    """Vulnerabilities by id or alias (exact, then prefix), else by words of the summary."""
    rows = permissions.visible(user, Vulnerability.objects.filter(merged_into__isnull=True))
    text = query.strip()
    if not text:
        return rows.annotate(kev=vulnerability_kev()).order_by("-modified", "canonical_id")
    by_id = VulnerabilityAlias.objects.filter(identifier__istartswith=text).values("vulnerability")
    return (
        rows.filter(Q(pk__in=by_id) | Q(summary__icontains=text))
        .annotate(kev=vulnerability_kev())
        .order_by("canonical_id")
    )


def vulnerability_named(user: Any, identifier: str) -> Vulnerability:
    """The vulnerability known by `identifier` (its canonical id or any alias), or Http404."""
    alias = VulnerabilityAlias.objects.filter(identifier__iexact=identifier.strip()).first()
    pk = alias.vulnerability_id if alias else None
    return permissions.get_visible(user, Vulnerability.objects.all(), pk=pk)


def advisories_of(vulnerability: Vulnerability) -> QuerySet[Advisory]:
    return vulnerability.advisories.order_by("identifier", "source").defer("raw", "record")


def kev_entries_of(vulnerability: Vulnerability) -> list[KevEntry]:
    return list(KevEntry.objects.filter(cve_id__in=vulnerability.members))


def epss_of(vulnerability: Vulnerability) -> list[EpssScore]:
    return list(EpssScore.objects.filter(cve_id__in=vulnerability.members))


def visible_findings(user: Any) -> QuerySet[Finding]:
    """Findings of the versions the user may see; candidates (not yet findings) left out."""
    return permissions.visible(user, Finding.objects.exclude(state=Finding.State.CANDIDATE))


def open_findings_by_component(person: Any, component_ids: Sequence[int]) -> dict[int, int]:
    """Open findings per component, for the component search (`sbom.search`).

    `person` None counts every finding (the command line); else only visible ones.
    """
    rows = Finding.objects.filter(component_id__in=component_ids, state=Finding.State.OPEN)
    if person is not None:
        rows = permissions.visible(person, rows)
    counted = (
        rows.values("component_id").annotate(count=Count("id")).values_list("component_id", "count")
    )
    return {component_id: count for component_id, count in counted if component_id is not None}


def findings_of_version(version: ProductVersion, filters: FindingFilter) -> QuerySet[Finding]:
    """A version's findings; candidates only when asked for by state."""
    rows = Finding.objects.filter(version=version).annotate(kev=kev_listed())
    if filters.state:
        rows = rows.filter(state=filters.state)
    else:
        rows = rows.exclude(state=Finding.State.CANDIDATE)
    if filters.severity:
        rows = rows.filter(vulnerability__severity=filters.severity)
    if filters.kev is not None:
        rows = rows.filter(kev=filters.kev)
    if filters.search:
        rows = rows.filter(
            Q(vulnerability__canonical_id__icontains=filters.search)
            | Q(component_name__icontains=filters.search)
        )
    return rows.select_related("vulnerability", "version__product")


def finding_for_output(finding_id: int) -> Finding:
    """One finding with what its API representation reads."""
    return (
        Finding.objects.annotate(kev=kev_listed())
        .select_related("vulnerability", "version__product")
        .get(pk=finding_id)
    )


def version_finding_summary(version: ProductVersion) -> dict[str, int]:
    rows = Finding.objects.filter(version=version)
    return rows.aggregate(
        open=Count("pk", filter=Q(state="open")),
        closed=Count("pk", filter=Q(state="closed")),
        candidates=Count("pk", filter=Q(state="candidate")),
    )


@dataclass(frozen=True)
class FeedStatus:
    source: FeedSource
    age_hours: float | None
    stale: bool


def feed_status(now: datetime | None = None) -> list[FeedStatus]:
    moment = now or timezone.now()
    statuses = []
    for source in FeedSource.objects.all():
        imported = source.last_imported_at
        age = (moment - imported).total_seconds() / 3600 if imported else None
        stale = source.enabled and (age is None or age > source.maximum_age_hours)
        statuses.append(FeedStatus(source, age, stale))
    return statuses


def recent_imports(limit: int = 20) -> QuerySet[FeedImport]:
    return FeedImport.objects.select_related("source").defer("changed_keys")[:limit]


def reference_counts() -> dict[str, int]:
    return {
        "advisories": Advisory.objects.count(),
        "vulnerabilities": Vulnerability.objects.filter(merged_into__isnull=True).count(),
        "kev": KevEntry.objects.count(),
        "epss": EpssScore.objects.count(),
    }


def all_findings(product: str = "", version: str = "", state: str = "open") -> QuerySet[Finding]:
    """Every finding, for the operator's command line (no viewer to narrow by)."""
    rows = Finding.objects.annotate(kev=kev_listed())
    if product:
        rows = rows.filter(
            Q(version__product__name__iexact=product)
            | Q(version__product__model_number__iexact=product)
        )
    if version:
        rows = rows.filter(version__version=version)
    rows = rows.filter(state=state) if state else rows.exclude(state=Finding.State.CANDIDATE)
    return rows.select_related("vulnerability", "version__product").order_by(
        "version__product__name", "version__version", "vulnerability__canonical_id", "id"
    )
