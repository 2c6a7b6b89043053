"""The vulnerability API at /api/v1/vulns: it only translates HTTP.

Reference data (vulnerabilities, advisories, KEV, EPSS) is read by inside
users and customers; findings follow their version's visibility (invisible
versions answer 404). Re-matching is for inside editing roles; importing an
uploaded feed file and synchronising feeds are for administrators.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from medvigil.platform import permissions
from medvigil.platform.pagination import Page, PageQuery, paginate
from medvigil.platform.refusals import Kind, Refusal
from medvigil.portfolio.selectors import version_for
from medvigil.vulns import exposure, review, selectors, services, sources
from medvigil.vulns.identity_api import router as identity_router
from medvigil.vulns.models import Finding, Vulnerability
from medvigil.vulns.policies import (
    may_administer_feeds,
    may_trigger_matching,
    reads_reference_data,
)
from medvigil.vulns.schemas import (
    CandidateReviewIn,
    ConfiguredSourceOut,
    ExposureOut,
    FeedImportOut,
    FeedKindName,
    FeedSourceIn,
    FeedsOut,
    FindingOut,
    FindingQuery,
    QueuedOut,
    RecommendedSourceOut,
    VulnerabilityDetailOut,
    VulnerabilityOut,
    VulnerabilityQuery,
)
from medvigil.vulns.sync import sync_feeds_task
from medvigil.vulns.tasks import match_version_task, rematch_all_task

router = Router(tags=["vulnerabilities"])
router.add_router("/identities", identity_router)


def require_reader(request: HttpRequest) -> None:
    if not reads_reference_data(request.user):
        raise Refusal("Vulnerability data is for inside users and customers.", Kind.FORBIDDEN)


def vulnerability_out(vulnerability: Vulnerability, kev: bool | None = None) -> dict[str, Any]:
    listed = kev if kev is not None else bool(selectors.kev_entries_of(vulnerability))
    return {
        "id": vulnerability.canonical_id,
        "aliases": vulnerability.members,
        "summary": vulnerability.summary,
        "severity": vulnerability.severity,
        "score": vulnerability.score,
        "published": vulnerability.published,
        "modified": vulnerability.modified,
        "kev": listed,
    }


def finding_out(finding: Finding) -> dict[str, Any]:
    vulnerability, version = finding.vulnerability, finding.version
    return {
        "id": finding.pk,
        "vulnerability": vulnerability.canonical_id,
        "aliases": vulnerability.members,
        "summary": vulnerability.summary,
        "severity": vulnerability.severity,
        "score": vulnerability.score,
        "kev": bool(getattr(finding, "kev", False)),
        "state": finding.state,
        "close_reason": finding.close_reason,
        "product_id": version.product_id,
        "product": version.product.name,
        "version_id": version.pk,
        "version": version.version,
        "component": {
            "id": finding.component_id,
            "name": finding.component_name,
            "version": finding.component_version,
            "purl": finding.component_purl,
            "cpe": finding.component_cpe,
        },
        "method": finding.method,
        "confidence": finding.confidence,
        "provenance": finding.provenance,
        "first_seen": finding.first_seen,
        "last_seen": finding.last_seen,
        "closed_at": finding.closed_at,
        "review": finding.review,
        "review_note": finding.review_note,
    }


@router.get(
    "/vulnerabilities",
    response=Page[VulnerabilityOut],
    summary="Search vulnerabilities by id or alias (prefix) or summary words",
)
def search(
    request: HttpRequest, query: Query[VulnerabilityQuery], page: Query[PageQuery]
) -> dict[str, Any]:
    require_reader(request)
    rows = selectors.search_vulnerabilities(request.user, query.q)
    result = paginate(rows, page, ordering=("canonical_id",))
    result["items"] = [vulnerability_out(item, item.kev) for item in result["items"]]
    return result


@router.get(
    "/vulnerabilities/{identifier}",
    response=VulnerabilityDetailOut,
    summary="A vulnerability with its advisories, KEV, EPSS and where we are exposed",
)
def detail(request: HttpRequest, identifier: str) -> dict[str, Any]:
    require_reader(request)
    vulnerability = selectors.vulnerability_named(request.user, identifier)
    exposed = exposure.exposure_page(request.user, vulnerability)
    return {
        **vulnerability_out(vulnerability),
        "advisories": [
            {
                "id": advisory.identifier,
                "source": advisory.source,
                "document_name": advisory.document_name,
                "modified": advisory.modified,
                "published": advisory.published,
                "withdrawn": advisory.withdrawn,
                "aliases": advisory.aliases,
                "summary": advisory.summary,
                "severities": advisory.severities,
                "cwe_ids": advisory.cwe_ids,
                "references": advisory.references,
            }
            for advisory in selectors.advisories_of(vulnerability)
        ],
        "kev_entries": selectors.kev_entries_of(vulnerability),
        "epss": selectors.epss_of(vulnerability),
        "exposure": [exposure_out(entry) for entry in exposed.entries],
        "exposed_versions": exposed.versions,
        "exposure_next_cursor": exposed.next_cursor,
    }


def exposure_out(entry: exposure.Exposure) -> dict[str, Any]:
    return {
        "product_id": entry.version.product_id,
        "product": entry.version.product.name,
        "version_id": entry.version.pk,
        "version": entry.version.version,
        "open_findings": entry.open_findings,
        "closed_findings": entry.closed_findings,
        "components": entry.components,
        "component_count": entry.component_count,
    }


@router.get(
    "/vulnerabilities/{identifier}/exposure",
    response=Page[ExposureOut],
    summary="Where we are exposed: versions with a finding of this vulnerability, paged",
)
def exposure_list(request: HttpRequest, identifier: str, page: Query[PageQuery]) -> dict[str, Any]:
    require_reader(request)
    vulnerability = selectors.vulnerability_named(request.user, identifier)
    exposed = exposure.exposure_page(request.user, vulnerability, page.cursor, page.limit)
    return {
        "items": [exposure_out(entry) for entry in exposed.entries],
        "next_cursor": exposed.next_cursor,
    }


@router.get(
    "/versions/{version_id}/findings",
    response=Page[FindingOut],
    summary="Findings of a product version, filtered by state, severity and KEV",
)
def version_findings(
    request: HttpRequest, version_id: int, filters: Query[FindingQuery], page: Query[PageQuery]
) -> dict[str, Any]:
    version = version_for(request.user, version_id)
    finding_filter = selectors.FindingFilter(
        state=filters.state or "", severity=filters.severity or "", kev=filters.kev
    )
    result = paginate(selectors.findings_of_version(version, finding_filter), page)
    result["items"] = [finding_out(item) for item in result["items"]]
    return result


@router.post(
    "/versions/{version_id}/rematch",
    response={202: QueuedOut},
    summary="Match a version's components again (queued, interactive)",
)
def rematch_version(request: HttpRequest, version_id: int) -> Status[dict[str, Any]]:
    version = version_for(request.user, version_id, "change")
    if not may_trigger_matching(request.user):
        raise Refusal("Only inside users who edit records may start matching.", Kind.FORBIDDEN)
    result = match_version_task.enqueue(version.pk)
    return Status(202, {"task_id": str(result.id), "detail": f"Matching {version} is queued."})


@router.post(
    "/findings/{finding_id}/review",
    response=FindingOut,
    summary="Confirm or dismiss a candidate (a CPE criterion naming every version)",
)
def review_candidate(request: HttpRequest, finding_id: int, body: CandidateReviewIn) -> Any:
    finding = reviewable_finding(request.user, finding_id)
    reviewed = review.review_candidate(finding, request.user, body.decision, body.note)
    return finding_out(selectors.finding_for_output(reviewed.pk))


def reviewable_finding(user: Any, finding_id: int) -> Finding:
    """A finding the user sees, on a version the user may change, by an editing role."""
    finding = permissions.get_visible(
        user, Finding.objects.select_related("version__product"), pk=finding_id
    )
    permissions.require(user, "change", finding.version)
    if not may_trigger_matching(user):
        raise Refusal("Only inside users who edit records review candidates.", Kind.FORBIDDEN)
    return finding


@router.post("/rematch", response={202: QueuedOut}, summary="Re-match the whole portfolio (queued)")
def rematch_portfolio(request: HttpRequest) -> Status[dict[str, Any]]:
    if not may_trigger_matching(request.user):
        raise Refusal("Only inside users who edit records may start matching.", Kind.FORBIDDEN)
    result = rematch_all_task.enqueue()
    return Status(202, {"task_id": str(result.id), "detail": "A full re-match is queued."})


@router.get("/feeds", response=FeedsOut, summary="Feed sources, recent imports and counts")
def feeds(request: HttpRequest) -> dict[str, Any]:
    if not permissions.is_inside(request.user):
        raise Refusal("Feed status is for inside users.", Kind.FORBIDDEN)
    return {
        "sources": [
            {
                **{
                    name: getattr(status.source, name)
                    for name in (
                        "name",
                        "kind",
                        "url",
                        "enabled",
                        "interval_hours",
                        "maximum_age_hours",
                        "scope",
                        "last_checked_at",
                        "last_imported_at",
                        "last_status",
                        "last_counts",
                        "last_error",
                    )
                },
                "age_hours": status.age_hours,
                "stale": status.stale,
            }
            for status in selectors.feed_status()
        ],
        "imports": list(selectors.recent_imports()),
        **selectors.reference_counts(),
    }


@router.post(
    "/feeds/imports",
    response={201: FeedImportOut},
    summary="Import an uploaded feed file or zip archive (administrators)",
)
def import_upload(
    request: HttpRequest, file: File[UploadedFile], kind: Form[FeedKindName] = "auto"
) -> Status[Any]:
    if not may_administer_feeds(request.user):
        raise Refusal("Only administrators import feeds.", Kind.FORBIDDEN)
    # An upload is bounded (413), so it is imported in one transaction: refused, it
    # leaves no import record behind.
    with transaction.atomic():
        feed_import = services.import_feed(file.read(), kind, name=file.name or "upload")
        if not feed_import.counts.get("files"):
            message = f"{file.name}: nothing in this file could be read as a feed."
            raise Refusal(message, errors={"file": message})
    return Status(201, feed_import)


@router.post(
    "/feeds/sync",
    response={202: QueuedOut},
    summary="Synchronise every configured feed now (queued; administrators)",
)
def sync(request: HttpRequest) -> Status[dict[str, Any]]:
    if not may_administer_feeds(request.user):
        raise Refusal("Only administrators synchronise feeds.", Kind.FORBIDDEN)
    result = sync_feeds_task.enqueue()
    return Status(202, {"task_id": str(result.id), "detail": "Feed synchronisation is queued."})


@router.get(
    "/feeds/recommended",
    response=list[RecommendedSourceOut],
    summary="The catalogue of public sources for this portfolio, and which are enabled",
)
def recommended(request: HttpRequest) -> list[dict[str, Any]]:
    if not permissions.is_inside(request.user):
        raise Refusal("Feed status is for inside users.", Kind.FORBIDDEN)
    return [
        {
            **asdict(offer.recommended),
            "configured": offer.source is not None,
            "enabled": offer.enabled,
        }
        for offer in sources.offers()
    ]


def require_feed_administrator(request: HttpRequest) -> None:
    if not may_administer_feeds(request.user):
        raise Refusal("Only administrators configure feeds.", Kind.FORBIDDEN)


@router.post(
    "/feeds/sources",
    response={201: ConfiguredSourceOut},
    summary="Configure (or change) a feed source the workers synchronise (administrators)",
)
def add_source(request: HttpRequest, body: FeedSourceIn) -> Status[Any]:
    require_feed_administrator(request)
    source = sources.add_source(
        body.name,
        body.url,
        body.kind,
        body.maximum_age_hours,
        interval_hours=body.interval_hours,
        scope=body.scope,
        enabled=body.enabled,
    )
    return Status(201, source)


@router.post(
    "/feeds/sources/{source_name}/enable",
    response=ConfiguredSourceOut,
    summary="Enable a configured or recommended source (administrators)",
)
def enable_source(request: HttpRequest, source_name: str) -> Any:
    require_feed_administrator(request)
    (source,) = sources.enable([source_name])
    return source


@router.post(
    "/feeds/sources/{source_name}/disable",
    response=ConfiguredSourceOut,
    summary="Disable a configured source: nothing more is downloaded (administrators)",
)
def disable_source(request: HttpRequest, source_name: str) -> Any:
    require_feed_administrator(request)
    (source,) = sources.disable([source_name])
    return source
