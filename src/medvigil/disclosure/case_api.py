"""API of parties, notifications, the fix, finding links, the reporter's key and metrics.

Mounted on the disclosure router (/api/v1/disclosure). Handlers act on every
case; a party reads and writes its own party record only; an invisible
object answers 404, a visible one the user may not act on 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Status

from medvigil.disclosure import (
    findings_links,
    metrics,
    notifications,
    parties,
    selectors,
    services,
)
from medvigil.disclosure.api import handled_case, router
from medvigil.disclosure.case_schemas import (
    FindingLinkIn,
    FindingLinkOut,
    FindingSuggestionOut,
    FixIn,
    FixOut,
    MetricsOut,
    NotificationIn,
    NotificationOut,
    NotificationSentIn,
    PartyIn,
    PartyInvitationOut,
    PartyMessageIn,
    PartyMessageOut,
    PartyOut,
    PartyViewOut,
    ReporterKeyIn,
    ReporterKeyOut,
    ShareIn,
)
from medvigil.disclosure.models import CaseParty, FindingLink, Message, Notification
from medvigil.platform import permissions
from medvigil.platform.pagination import Page, PageQuery, paginate
from medvigil.platform.problems import Forbidden


def party_out(party: CaseParty) -> dict[str, Any]:
    return {
        "id": party.pk,
        "case_id": party.case_id,
        "case_number": party.case.number,
        "kind": party.kind,
        "name": party.name,
        "account": party.user.get_username() if party.user else None,
        "has_link": party.access_token_hash is not None,
        "sees_report": party.sees_report,
        "sees_reporter_contact": party.sees_reporter_contact,
        "invited_at": party.invited_at,
        "revoked_at": party.revoked_at,
    }


@router.get("/cases/{case_id}/parties", response=list[PartyOut], summary="Parties on a case")
def list_case_parties(request: HttpRequest, case_id: int) -> list[Any]:
    case = handled_case(request, case_id)
    return [party_out(party) for party in case.parties.select_related("case", "user")]


@router.post(
    "/cases/{case_id}/parties", response={201: PartyInvitationOut}, summary="Invite a party"
)
def invite_party(request: HttpRequest, case_id: int, payload: PartyIn) -> Status[Any]:
    case = handled_case(request, case_id)
    account = None
    if payload.account:
        account = get_user_model().objects.filter(username=payload.account).first()
        if account is None:
            raise services.DisclosureError(
                f"There is no account {payload.account!r}.", errors={"account": ["Unknown."]}
            )
    invitation = parties.invite(
        case,
        user=request.user,
        kind=payload.kind,
        name=payload.name,
        account=account,
        with_link=payload.with_link,
        sees_report=payload.sees_report,
        sees_reporter_contact=payload.sees_reporter_contact,
    )
    return Status(201, {**party_out(invitation.party), "access_token": invitation.access_token})


@router.get("/parties", response=Page[PartyOut], summary="Party records you may see")
def list_parties(request: HttpRequest, page: Query[PageQuery]) -> Any:
    return paginate(
        parties.visible_parties(request.user), page, ordering=("-id",), serialize=party_out
    )


def message_out(message: parties.PartyMessageView) -> dict[str, Any]:
    return {
        "id": message.id,
        "source": message.source,
        "author": message.author,
        "body": message.body,
        "created_at": message.created_at,
    }


@router.get("/parties/{party_id}", response=PartyViewOut, summary="What a party sees")
def get_party(request: HttpRequest, party_id: int) -> dict[str, Any]:
    shown = parties.view(parties.party(request.user, party_id))
    return {
        "party": party_out(shown.party),
        "number": shown.number,
        "title": shown.title,
        "state": shown.state,
        "outcome": shown.outcome,
        "product": shown.product,
        "version_text": shown.version_text,
        "cvss_vector": shown.cvss_vector,
        "embargo_until": shown.embargo_until,
        "embargo_time_zone": shown.embargo_time_zone,
        "affected": shown.affected,
        "description": shown.report.description if shown.report else None,
        "steps": shown.report.steps if shown.report else None,
        "impact": shown.report.impact if shown.report else None,
        "reporter_name": shown.reporter_name,
        "reporter_email": shown.reporter_email,
        "thread": [message_out(message) for message in shown.thread],
    }


@router.post(
    "/parties/{party_id}/messages",
    response={201: PartyMessageOut},
    summary="Write to the party (handlers) or to the PSIRT (the party)",
)
def write_party_message(
    request: HttpRequest, party_id: int, payload: PartyMessageIn
) -> Status[Any]:
    party = parties.party(request.user, party_id)
    permissions.require(request.user, "message", party)
    from_party = not selectors.sees_internal(request.user)
    message = parties.write(party, user=request.user, body=payload.body, from_party=from_party)
    shown = [
        item for item in parties.thread(party) if item.id == message.pk and item.source != "shared"
    ]
    return Status(201, message_out(shown[0]))


@router.post(
    "/parties/{party_id}/shared",
    response={201: PartyMessageOut},
    summary="Share a message of the reporter thread with the party",
)
def share_message(request: HttpRequest, party_id: int, payload: ShareIn) -> Status[Any]:
    party = parties.party(request.user, party_id)
    permissions.require(request.user, "handle", party)
    message = Message.objects.filter(pk=payload.message_id, case_id=party.case_id).first()
    if message is None:
        raise services.DisclosureError(
            "No such message on this case.", errors={"message_id": ["Not on this case."]}
        )
    parties.share(party, message, user=request.user)
    shown = [
        item for item in parties.thread(party) if item.id == message.pk and item.source == "shared"
    ]
    return Status(201, message_out(shown[0]))


@router.post("/parties/{party_id}/revocation", response=PartyOut, summary="Revoke a party")
def revoke_party(request: HttpRequest, party_id: int) -> dict[str, Any]:
    party = parties.party(request.user, party_id)
    permissions.require(request.user, "handle", party)
    return party_out(parties.revoke(party, user=request.user))


def notification_out(notification: Notification) -> dict[str, Any]:
    shown = notifications.notification_view(notification)
    deadline = shown.deadline
    return {
        "id": notification.pk,
        "case_id": notification.case_id,
        "recipient": notification.recipient,
        "recipient_name": notification.recipient_name,
        "rule": notification.rule,
        "rule_text": shown.rule_text,
        "source": shown.source,
        "started_at": notification.started_at,
        "due_at": notification.due_at,
        "sent_at": notification.sent_at,
        "remaining_seconds": int(deadline.remaining.total_seconds()) if deadline else None,
        "overdue": shown.overdue,
        "reference": notification.reference,
        "content": shown.content,
    }


@router.get(
    "/cases/{case_id}/notifications",
    response=list[NotificationOut],
    summary="Regulator and coordinator notifications of a case, with their deadlines",
)
def list_notifications(request: HttpRequest, case_id: int) -> list[Any]:
    case = handled_case(request, case_id)
    return [notification_out(item) for item in case.notifications.all()]


@router.post(
    "/cases/{case_id}/notifications",
    response={201: NotificationOut},
    summary="Record a notification to a regulator or coordinator",
)
def record_notification(request: HttpRequest, case_id: int, payload: NotificationIn) -> Status[Any]:
    case = handled_case(request, case_id)
    notification = notifications.record_notification(
        case,
        user=request.user,
        recipient=payload.recipient,
        rule=payload.rule,
        started_at=payload.started_at or timezone.now(),
        recipient_name=payload.recipient_name,
        sent_at=payload.sent_at,
        content=payload.content,
        reference=payload.reference,
    )
    return Status(201, notification_out(notification))


@router.post(
    "/notifications/{notification_id}/sent",
    response=NotificationOut,
    summary="Record that a notification was sent",
)
def notification_sent(
    request: HttpRequest, notification_id: int, payload: NotificationSentIn
) -> dict[str, Any]:
    notification = permissions.get_visible(
        request.user, Notification.objects.all(), pk=notification_id
    )
    done = notifications.mark_sent(
        notification,
        user=request.user,
        sent_at=payload.sent_at or timezone.now(),
        reference=payload.reference,
        content=payload.content,
    )
    return notification_out(done)


@router.put("/cases/{case_id}/fix", response=FixOut, summary="When a fix became available")
def record_fix(request: HttpRequest, case_id: int, payload: FixIn) -> dict[str, Any]:
    case = handled_case(request, case_id)
    fix = notifications.record_fix(
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


@router.put(
    "/cases/{case_id}/reporter-key",
    response=ReporterKeyOut,
    summary="The reporter's OpenPGP key (replies are encrypted to it)",
)
def set_reporter_key(request: HttpRequest, case_id: int, payload: ReporterKeyIn) -> dict[str, Any]:
    case = selectors.case(request.user, case_id)
    permissions.require(request.user, "message", case)
    key = services.set_reporter_key(case, payload.public_key)
    return {"fingerprint": key.fingerprint, "added_at": key.added_at}


@router.get("/metrics", response=MetricsOut, summary="Time to acknowledge, triage, fix, disclose")
def program_metrics(request: HttpRequest) -> dict[str, Any]:
    if not selectors.sees_internal(request.user):
        raise Forbidden("The program's metrics are for handlers.")
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
