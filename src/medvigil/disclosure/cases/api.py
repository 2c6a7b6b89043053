"""The disclosure API at /api/v1/disclosure: it only translates HTTP.

Handlers (PSIRT, administrators) see and act on every case; a researcher
sees and writes to their own cases only; other roles see none. An invisible
case answers 404, a visible one the user may not act on 403.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from medvigil.audit.context import client_address
from medvigil.disclosure.cases import (
    findings_links,
    metrics,
    selectors,
    services,
    suggestions,
    workflow,
)
from medvigil.disclosure.cases.models import Case, FindingLink, MessageKind
from medvigil.disclosure.cases.schemas import (
    AffectedIn,
    AffectedOut,
    AffectedSuggestionOut,
    CaseEmbargoIn,
    CaseMessageIn,
    CaseMessageOut,
    CaseOut,
    CaseSummaryOut,
    CaseTransitionIn,
    FindingLinkIn,
    FindingLinkOut,
    FindingSuggestionOut,
    FixIn,
    FixOut,
    MetricsOut,
    StateName,
)
from medvigil.disclosure.intake import services as intake
from medvigil.disclosure.intake.schemas import (
    DisclosureReceiptOut,
    DisclosureReportIn,
)
from medvigil.platform import permissions
from medvigil.platform.pagination import Page, PageQuery, paginate
from medvigil.platform.refusals import Kind, Refusal
from medvigil.portfolio.selectors import version_for

router = Router()


class CaseFilter(Schema):
    state: StateName | None = None


def summary(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "number": case.number,
        "title": selectors.title(case),
        "state": case.state,
        "outcome": case.outcome,
        "received_at": case.received_at,
        "overdue": selectors.is_overdue(case),
    }


def case_out(case: Case, handler: bool) -> dict[str, Any]:
    report = selectors.report(case)
    clocks = [
        {
            "key": state.rule.key,
            "label": state.rule.label,
            "rule": state.rule.describe(),
            "started_at": state.started_at,
            "due_at": state.due_at,
            "remaining_seconds": int(state.remaining.total_seconds()),
            "overdue": state.overdue,
            "met_at": state.met_at,
        }
        for state in selectors.clocks(case)
    ]
    return {
        **summary(case),
        "description": report.description,
        "steps": report.steps,
        "impact": report.impact,
        "product_id": case.product_id,
        "product_text": case.product_text,
        "version_text": case.version_text,
        "cvss_vector": case.cvss_vector,
        "cvss_score": case.cvss_score,
        "arrived_encrypted": case.arrived_encrypted,
        "embargo_until": case.embargo_until,
        "embargo_time_zone": case.embargo_time_zone,
        "acknowledged_at": case.acknowledged_at,
        "triaged_at": case.triaged_at,
        "disclosed_at": case.disclosed_at,
        "closed_at": case.closed_at,
        "clocks": clocks,
        "next_states": list(workflow.next_states(case.state)) if handler else [],
        "reporter_name": case.reporter_name if handler else None,
        "reporter_email": case.reporter_email if handler else None,
    }


def handled_case(request: HttpRequest, case_id: int) -> Case:
    case = selectors.case(request.user, case_id)
    permissions.require(request.user, "handle", case)
    return case


@router.get("/cases", response=Page[CaseSummaryOut], summary="Cases you may see")
def list_cases(request: HttpRequest, filters: Query[CaseFilter], page: Query[PageQuery]) -> Any:
    rows = selectors.cases(request.user, state=filters.state or "")
    return paginate(rows, page, ordering=("-id",), serialize=summary)


@router.post("/cases", response={201: DisclosureReceiptOut}, summary="Report a vulnerability")
def submit(request: HttpRequest, payload: DisclosureReportIn) -> Status[dict[str, Any]]:
    product = None
    if payload.product_id is not None:
        product = selectors.public_products().filter(pk=payload.product_id).first()
        if product is None:
            raise Refusal(
                "That product is not in the public product list.",
                Kind.INVALID,
                errors={"product_id": ["Unknown product."]},
            )
    data = intake.ReportData(**payload.dict(exclude={"product_id"}), product=product)
    receipt = intake.submit_report(
        data, reporter_user=request.user, address=client_address(request)
    )
    return Status(
        201,
        {
            "id": receipt.case.pk,
            "number": receipt.case.number,
            "follow_up_token": receipt.follow_up_token,
        },
    )


@router.get("/cases/{case_id}", response=CaseOut, summary="One case")
def get_case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    return case_out(selectors.case(request.user, case_id), selectors.sees_internal(request.user))


@router.post("/cases/{case_id}/transitions", response=CaseOut, summary="Move a case")
def move_case(request: HttpRequest, case_id: int, payload: CaseTransitionIn) -> dict[str, Any]:
    case = services.transition(
        handled_case(request, case_id),
        user=request.user,
        target=payload.target,
        outcome=payload.outcome,
        note=payload.note,
    )
    return case_out(case, True)


@router.get("/cases/{case_id}/messages", response=list[CaseMessageOut], summary="Messages")
def list_messages(request: HttpRequest, case_id: int) -> list[Any]:
    case = selectors.case(request.user, case_id)
    return selectors.messages(case, include_internal=selectors.sees_internal(request.user))


@router.post("/cases/{case_id}/messages", response={201: CaseMessageOut}, summary="Write a message")
def post_message(request: HttpRequest, case_id: int, payload: CaseMessageIn) -> Status[Any]:
    case = selectors.case(request.user, case_id)
    permissions.require(request.user, "message", case)
    handler = selectors.sees_internal(request.user)
    if payload.internal and not handler:
        raise Refusal("Only handlers write internal notes.", Kind.FORBIDDEN)
    if handler:
        kind = MessageKind.INTERNAL if payload.internal else MessageKind.TO_REPORTER
        message = services.post_message(case, user=request.user, kind=kind, body=payload.body)
    else:
        message = intake.post_reporter_message(
            case, payload.body, user=request.user, address=client_address(request)
        )
    shown = [
        item for item in selectors.messages(case, include_internal=handler) if item.id == message.pk
    ]
    return Status(201, shown[0])


@router.get(
    "/cases/{case_id}/suggestions",
    response=list[AffectedSuggestionOut],
    summary="Affected versions suggested from the report",
)
def list_suggestions(request: HttpRequest, case_id: int) -> list[Any]:
    return suggestions.suggest(request.user, handled_case(request, case_id))


@router.put(
    "/cases/{case_id}/affected/{version_id}",
    response={201: AffectedOut},
    summary="Confirm an affected version (one you may see)",
)
def confirm_affected(
    request: HttpRequest, case_id: int, version_id: int, payload: AffectedIn
) -> Status[Any]:
    case = handled_case(request, case_id)
    version = version_for(request.user, version_id)
    affected = services.confirm_affected(
        case, user=request.user, version=version, reason=payload.reason
    )
    who = affected.confirmed_by.get_username() if affected.confirmed_by else "system"
    return Status(
        201,
        {
            "version_id": version.pk,
            "label": str(version),
            "reason": affected.reason,
            "confirmed_by": who,
            "confirmed_at": affected.confirmed_at,
        },
    )


@router.put("/cases/{case_id}/embargo", response=CaseOut, summary="Set or lift the embargo")
def set_embargo(request: HttpRequest, case_id: int, payload: CaseEmbargoIn) -> dict[str, Any]:
    case = services.set_embargo(
        handled_case(request, case_id),
        user=request.user,
        until=payload.until,
        time_zone=payload.time_zone,
    )
    return case_out(case, True)


@router.put("/cases/{case_id}/fix", response=FixOut, summary="When a fix became available")
def record_fix(request: HttpRequest, case_id: int, payload: FixIn) -> dict[str, Any]:
    case = handled_case(request, case_id)
    fix = services.record_fix(
        case,
        user=request.user,
        available_at=payload.available_at or timezone.now(),
        description=payload.description,
    )
    return {"case_id": case.pk, "available_at": fix.available_at, "description": fix.description}


@router.get(
    "/cases/{case_id}/finding-suggestions",
    response=list[FindingSuggestionOut],
    summary="Findings on the affected versions matching the case's CVE ids",
)
def finding_suggestions(request: HttpRequest, case_id: int) -> list[Any]:
    return findings_links.suggest(request.user, handled_case(request, case_id))


def link_out(link: FindingLink) -> dict[str, Any]:
    finding = link.finding
    return {
        "finding_id": finding.pk,
        "vulnerability": finding.vulnerability.canonical_id,
        "version": str(finding.version),
        "component": finding.component_label,
        "reason": link.reason,
        "linked_at": link.linked_at,
    }


@router.get("/cases/{case_id}/findings", response=list[FindingLinkOut], summary="Linked findings")
def list_finding_links(request: HttpRequest, case_id: int) -> list[Any]:
    case = handled_case(request, case_id)
    return [link_out(link) for link in findings_links.linked_findings(case)]


@router.put(
    "/cases/{case_id}/findings/{finding_id}",
    response={201: FindingLinkOut},
    summary="Link a finding you may see to the case",
)
def link_finding(
    request: HttpRequest, case_id: int, finding_id: int, payload: FindingLinkIn
) -> Status[Any]:
    case = handled_case(request, case_id)
    finding = permissions.get_visible(
        request.user, findings_links.visible_findings(request.user), pk=finding_id
    )
    link = findings_links.link(case, user=request.user, finding=finding, reason=payload.reason)
    return Status(201, link_out(link))


@router.get("/metrics", response=MetricsOut, summary="Time to acknowledge, triage, fix, disclose")
def program_metrics(request: HttpRequest) -> dict[str, Any]:
    if not selectors.sees_internal(request.user):
        raise Refusal("The program's metrics are for handlers.", Kind.FORBIDDEN)
    counted = metrics.figures(request.user)
    program = counted.program
    return {
        "cases": program.cases,
        "open": program.open,
        "overdue": program.overdue,
        "notifications_overdue": counted.notifications_overdue,
        "durations": [
            {
                "key": item.key,
                "count": item.count,
                "median_hours": item.median_hours,
                "longest_hours": item.longest_hours,
            }
            for item in program.durations
        ],
        "measured_at": counted.measured_at,
    }
