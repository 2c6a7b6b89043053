"""Vulnerability pages (htmx): search, a vulnerability and its exposure, findings, feeds.

Views only translate HTTP: reads through selectors, writes through services
and tasks, permissions through `medvigil.platform.permissions` and the
policies of this app (invisible versions 404; refused actions 403).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from medvigil.platform import permissions
from medvigil.platform.forms import show_refusal
from medvigil.platform.pagination import PageQuery, paginate
from medvigil.platform.refusals import Kind, Refusal
from medvigil.portfolio.models import ProductVersion
from medvigil.portfolio.selectors import version_for
from medvigil.vulns import exposure, review, selectors, services, sources
from medvigil.vulns.forms import (
    CandidateReviewForm,
    FeedImportForm,
    FindingFilterForm,
    SearchForm,
)
from medvigil.vulns.models import Finding
from medvigil.vulns.policies import may_administer_feeds, may_trigger_matching, reads_reference_data
from medvigil.vulns.sync import sync_feeds_task
from medvigil.vulns.tasks import match_version_task

PAGE_SIZE = 50


def require_reader(request: HttpRequest) -> None:
    if not reads_reference_data(request.user):
        raise PermissionDenied("Vulnerability data is for inside users and customers.")


def next_link(request: HttpRequest, cursor: str | None) -> str:
    if not cursor:
        return ""
    kept = {key: value for key, value in request.GET.items() if key != "cursor" and value}
    return "?" + urlencode({**kept, "cursor": cursor})


def search_context(request: HttpRequest) -> dict[str, Any]:
    form = SearchForm(request.GET or None)
    query = form.cleaned_data.get("q", "") if form.is_valid() else ""
    page = paginate(
        selectors.search_vulnerabilities(request.user, query),
        PageQuery(cursor=request.GET.get("cursor") or None, limit=PAGE_SIZE),
        ordering=("canonical_id",),
    )
    return {
        "form": form,
        "query": query,
        "rows": page["items"],
        "next_link": next_link(request, page["next_cursor"]),
        "counts": selectors.reference_counts(),
        "inside": permissions.is_inside(request.user),
    }


@login_required
def search(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    return render(request, "vulns/search.html", search_context(request))


@login_required
def search_results(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    return render(request, "vulns/_results.html", search_context(request))


@login_required
def detail(request: HttpRequest, identifier: str) -> HttpResponse:
    require_reader(request)
    vulnerability = selectors.vulnerability_named(request.user, identifier)
    context = {
        "vulnerability": vulnerability,
        "advisories": selectors.advisories_of(vulnerability),
        "kev_entries": selectors.kev_entries_of(vulnerability),
        "epss": selectors.epss_of(vulnerability),
        "exposure": exposure.exposure_page(
            request.user, vulnerability, request.GET.get("exposure") or None
        ),
    }
    return render(request, "vulns/detail.html", context)


def findings_context(
    request: HttpRequest,
    version: ProductVersion,
    listing: Any = None,
    refused: tuple[Finding, CandidateReviewForm] | None = None,
) -> dict[str, Any]:
    """The findings listing (`listing` filters it instead of the query string).

    Each candidate row gets its own review form; a `refused` row keeps its typed form.
    """
    form = FindingFilterForm(listing or request.GET or {"state": "open"})
    typed = form.cleaned_data if form.is_valid() else {}
    kev = {"yes": True, "no": False}.get(typed.get("kev", ""))
    finding_filter = selectors.FindingFilter(
        state=typed.get("state", ""),
        severity=typed.get("severity", ""),
        kev=kev,
        search=typed.get("search", ""),
    )
    page = paginate(
        selectors.findings_of_version(version, finding_filter),
        PageQuery(cursor=request.GET.get("cursor") or None, limit=PAGE_SIZE),
    )
    rows = list(page["items"])
    refused_row, refused_form = refused if refused else (None, None)
    for row in rows:
        if refused_row is not None and row.pk == refused_row.pk:
            row.review_form = refused_form
        else:
            row.review_form = CandidateReviewForm(auto_id=f"review{row.pk}_%s")
    shown = refused_row is not None and any(row.pk == refused_row.pk for row in rows)
    return {
        "version": version,
        "product": version.product,
        "form": form,
        "rows": rows,
        "review_elsewhere": None if shown else refused_form,
        "next_link": next_link(request, page["next_cursor"]),
        "summary": selectors.version_finding_summary(version),
        "may_rematch": permissions.can(request.user, "change", version)
        and may_trigger_matching(request.user),
        "may_review": typed.get("state") == Finding.State.CANDIDATE
        and permissions.can(request.user, "change", version)
        and may_trigger_matching(request.user),
    }


@login_required
def version_findings(request: HttpRequest, version_id: int) -> HttpResponse:
    version = version_for(request.user, version_id)
    return render(request, "vulns/version_findings.html", findings_context(request, version))


@login_required
def version_finding_rows(request: HttpRequest, version_id: int) -> HttpResponse:
    version = version_for(request.user, version_id)
    return render(request, "vulns/_finding_rows.html", findings_context(request, version))


@login_required
@require_POST
def finding_review(request: HttpRequest, finding_id: int) -> HttpResponse:
    finding = permissions.get_visible(
        request.user, Finding.objects.select_related("version", "vulnerability"), pk=finding_id
    )
    permissions.require(request.user, "change", finding.version)
    if not may_trigger_matching(request.user):
        raise PermissionDenied("Only inside users who edit records review candidates.")
    form = CandidateReviewForm(request.POST, auto_id=f"review{finding.pk}_%s")
    status = 422
    if form.is_valid():
        try:
            review.review_candidate(
                finding, request.user, request.POST.get("decision", ""), form.cleaned_data["note"]
            )
        except Refusal as refusal:
            show_refusal(form, refusal)
            status = refusal.status
        else:
            messages.success(request, f"Review of {finding.vulnerability.canonical_id} recorded.")
            listing = reverse("vulns:version-findings", args=[finding.version_id])
            return redirect(f"{listing}?state=candidate")
    context = findings_context(
        request, finding.version, {"state": Finding.State.CANDIDATE}, (finding, form)
    )
    return render(request, "vulns/version_findings.html", context, status=status)


@login_required
@require_POST
def version_rematch(request: HttpRequest, version_id: int) -> HttpResponse:
    version = version_for(request.user, version_id, "change")
    if not may_trigger_matching(request.user):
        raise PermissionDenied("Only inside users who edit records may start matching.")
    match_version_task.enqueue(version.pk)
    messages.success(request, f"Matching {version} is queued; findings update when it has run.")
    return redirect("vulns:version-findings", version_id=version.pk)


def feeds_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {
        "statuses": selectors.feed_status(),
        "offers": sources.offers(),
        "imports": selectors.recent_imports(),
        "counts": selectors.reference_counts(),
        "may_administer": may_administer_feeds(request.user),
        "import_form": FeedImportForm(),
        **extra,
    }


@login_required
def feeds(request: HttpRequest) -> HttpResponse:
    if not permissions.is_inside(request.user):
        raise PermissionDenied("Feed status is for inside users.")
    return render(request, "vulns/feeds.html", feeds_context(request))


@login_required
@require_POST
def feed_import(request: HttpRequest) -> HttpResponse:
    if not may_administer_feeds(request.user):
        raise PermissionDenied("Only administrators import feeds.")
    form = FeedImportForm(request.POST, request.FILES)
    if form.is_valid():
        uploaded = form.cleaned_data["file"]
        result = services.import_feed(
            uploaded.read(), form.cleaned_data["kind"], name=uploaded.name
        )
        counts = ", ".join(f"{value} {key}" for key, value in result.counts.items())
        messages.success(request, f"Imported {uploaded.name}: {counts or 'nothing new'}.")
        if result.errors:
            messages.warning(request, f"{len(result.errors)} file(s) rejected; see the log below.")
        return redirect("vulns:feeds")
    context = feeds_context(request, import_form=form)
    return render(request, "vulns/feeds.html", context, status=422)


@login_required
@require_POST
def feed_sync(request: HttpRequest) -> HttpResponse:
    if not may_administer_feeds(request.user):
        raise PermissionDenied("Only administrators synchronise feeds.")
    sync_feeds_task.enqueue()
    messages.success(request, "Feed synchronisation is queued.")
    return redirect("vulns:feeds")


@login_required
@require_POST
def feed_enable(request: HttpRequest, source_name: str) -> HttpResponse:
    return switch_source(request, source_name, on=True)


@login_required
@require_POST
def feed_disable(request: HttpRequest, source_name: str) -> HttpResponse:
    return switch_source(request, source_name, on=False)


def switch_source(request: HttpRequest, source_name: str, *, on: bool) -> HttpResponse:
    if not may_administer_feeds(request.user):
        raise PermissionDenied("Only administrators configure feeds.")
    try:
        (source,) = sources.enable([source_name]) if on else sources.disable([source_name])
    except Refusal as refusal:
        if refusal.kind == Kind.MISSING:
            raise Http404(refusal.message) from refusal
        raise
    if on:
        messages.success(
            request,
            f"{source.name} is enabled: the workers synchronise it every "
            f"{source.interval_hours} h, starting now.",
        )
    else:
        messages.success(request, f"{source.name} is disabled: nothing more is downloaded.")
    return redirect("vulns:feeds")
