"""The audit trail over HTTP: events (filtered, paginated), per-object history, verification."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from medvigil.audit import selectors
from medvigil.audit.schemas import EventFilterQuery, EventOut, VerificationOut
from medvigil.platform.pagination import Page, PageQuery, paginate
from medvigil.platform.refusals import Kind, Refusal

router = Router(tags=["audit"])
ORDERING = ("-sequence",)


def require_trail_reader(request: HttpRequest) -> None:
    if not selectors.may_read_trail(request.user):
        raise Refusal(selectors.NOT_A_TRAIL_READER, Kind.FORBIDDEN)


@router.get("/events", response=Page[EventOut], summary="Audit events, newest first")
def list_events(
    request: HttpRequest, filters: Query[EventFilterQuery], page: Query[PageQuery]
) -> dict[str, Any]:
    require_trail_reader(request)
    chosen = selectors.EventFilter.from_text(**filters.dict())
    return paginate(selectors.events(chosen), page, ordering=ORDERING)


@router.get(
    "/objects/{object_type}/{object_id}/events",
    response=Page[EventOut],
    summary="History of one object, newest first",
)
def object_events(
    request: HttpRequest, object_type: str, object_id: str, page: Query[PageQuery]
) -> dict[str, Any]:
    selectors.history_target(request.user, object_type, object_id)
    return paginate(selectors.object_events(object_type, object_id), page, ordering=ORDERING)


@router.get("/verify", response=VerificationOut, summary="Recompute the hash chain")
def verify(request: HttpRequest) -> dict[str, Any]:
    require_trail_reader(request)
    report = selectors.chain_report()
    first_break = report.verification.first_break
    broken: dict[str, Any] | None = None
    if first_break is not None:
        broken = {"sequence": first_break.sequence, "reason": first_break.reason}
        if report.broken_event is not None:
            event = report.broken_event
            broken |= {
                "action": event.action,
                "object_type": event.object_type,
                "object_id": event.object_id,
                "occurred_at": event.occurred_at,
            }
    return {
        "intact": report.intact,
        "checked": report.checked,
        "first_break": broken,
        "checkpoints_checked": report.checkpoints_checked,
        "checkpoint_problems": [asdict(problem) for problem in report.checkpoint_problems],
    }
