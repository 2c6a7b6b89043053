"""Pages of the audit trail: global log, per-object history, chain verification, exports."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from medvigil.audit import exports, selectors
from medvigil.audit.signatures import Signable, signature_status
from medvigil.platform.pagination import PageQuery, paginate
from medvigil.platform.refusals import Refusal

PAGE_SIZE = 50
FILTER_FIELDS = ("actor", "action", "object_type", "object_id", "since", "until")
View = Callable[..., HttpResponse]


def trail_readers_only(view: View) -> View:
    """Anonymous users go to the sign-in page; signed-in users who may not read it get 403."""

    @wraps(view)
    def guarded(request: HttpRequest, *arguments: Any, **keywords: Any) -> HttpResponse:
        if not selectors.may_read_trail(request.user):
            raise PermissionDenied(selectors.NOT_A_TRAIL_READER)
        return view(request, *arguments, **keywords)

    return login_required(guarded)


def typed_filters(request: HttpRequest) -> dict[str, str]:
    return {name: request.GET.get(name, "").strip() for name in FILTER_FIELDS}


def page_of_events(request: HttpRequest, rows: Any, typed: dict[str, str]) -> dict[str, Any]:
    """One keyset page and the link to the next, keeping the typed filters."""
    cursor = request.GET.get("cursor") or None
    page = paginate(rows, PageQuery(cursor=cursor, limit=PAGE_SIZE), ordering=("-sequence",))
    next_link = ""
    if page["next_cursor"]:
        kept = {name: value for name, value in typed.items() if value}
        next_link = "?" + urlencode({**kept, "cursor": page["next_cursor"]})
    return {"events": page["items"], "next_link": next_link}


@trail_readers_only
def event_list(request: HttpRequest) -> HttpResponse:
    typed = typed_filters(request)
    context: dict[str, Any] = {
        "filters": typed,
        "actions": selectors.actions(),
        "events": [],
        "next_link": "",
        "error": "",
    }
    status = 200
    try:
        filters = selectors.EventFilter.from_text(**typed)
        context.update(page_of_events(request, selectors.events(filters), typed))
        context["export_query"] = urlencode({name: value for name, value in typed.items() if value})
    except Refusal as refusal:
        context["error"] = str(refusal)
        status = refusal.status
    template = "audit/_events.html" if getattr(request, "htmx", False) else "audit/events.html"
    return render(request, template, context, status=status)


@login_required
def object_history(request: HttpRequest, object_type: str, object_id: str) -> HttpResponse:
    try:
        target = selectors.history_target(request.user, object_type, object_id)
    except Refusal as refusal:
        raise Http404(str(refusal)) from refusal
    context: dict[str, Any] = {
        "object_type": object_type,
        "object_id": object_id,
        "target": target,
        "signatures": signature_status(target) if isinstance(target, Signable) else None,
        "error": "",
    }
    try:
        rows = selectors.object_events(object_type, object_id)
        context.update(page_of_events(request, rows, {}))
        context["events"] = [
            selectors.as_seen_by(event, object_type, object_id) for event in context["events"]
        ]
    except Refusal as refusal:
        context.update(events=[], next_link="", error=str(refusal))
        return render(request, "audit/object_history.html", context, status=refusal.status)
    return render(request, "audit/object_history.html", context)


@trail_readers_only
def verify(request: HttpRequest) -> HttpResponse:
    return render(request, "audit/verify.html", {"report": selectors.chain_report()})


@trail_readers_only
def export(request: HttpRequest, format_name: str) -> HttpResponse:
    try:
        filters = selectors.EventFilter.from_text(**typed_filters(request))
    except Refusal as refusal:
        return HttpResponse(
            str(refusal), status=refusal.status, content_type="text/plain; charset=utf-8"
        )
    result = exports.export_events(filters, format_name)
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    return response
