"""API of parties, notifications, the fix, finding links, the reporter's key and metrics.

Mounted on the disclosure router (/api/v1/disclosure). Handlers act on every
case; a party reads and writes its own party record only; an invisible
object answers 404, a visible one the user may not act on 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from ninja import Query, Router, Status

from medvigil.disclosure.cases import selectors
from medvigil.disclosure.cases.api import handled_case
from medvigil.disclosure.cases.models import Message
from medvigil.disclosure.parties import selectors as party_selectors
from medvigil.disclosure.parties import services as party_services
from medvigil.disclosure.parties.models import CaseParty
from medvigil.disclosure.parties.schemas import (
    PartyIn,
    PartyInvitationOut,
    PartyMessageIn,
    PartyMessageOut,
    PartyOut,
    PartyViewOut,
    ShareIn,
)
from medvigil.platform import permissions
from medvigil.platform.pagination import Page, PageQuery, paginate
from medvigil.platform.refusals import Kind, Refusal

router = Router()


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
            raise Refusal(
                f"There is no account {payload.account!r}.",
                Kind.INVALID,
                errors={"account": ["Unknown."]},
            )
    invitation = party_services.invite(
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
        party_selectors.visible_parties(request.user), page, ordering=("-id",), serialize=party_out
    )


def message_out(message: party_selectors.PartyMessageView) -> dict[str, Any]:
    return {
        "id": message.id,
        "source": message.source,
        "author": message.author,
        "body": message.body,
        "created_at": message.created_at,
    }


@router.get("/parties/{party_id}", response=PartyViewOut, summary="What a party sees")
def get_party(request: HttpRequest, party_id: int) -> dict[str, Any]:
    shown = party_selectors.view(party_selectors.party(request.user, party_id))
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
    party = party_selectors.party(request.user, party_id)
    permissions.require(request.user, "message", party)
    from_party = not selectors.sees_internal(request.user)
    message = party_services.write(
        party, user=request.user, body=payload.body, from_party=from_party
    )
    shown = [
        item
        for item in party_selectors.thread(party)
        if item.id == message.pk and item.source != "shared"
    ]
    return Status(201, message_out(shown[0]))


@router.post(
    "/parties/{party_id}/shared",
    response={201: PartyMessageOut},
    summary="Share a message of the reporter thread with the party",
)
def share_message(request: HttpRequest, party_id: int, payload: ShareIn) -> Status[Any]:
    party = party_selectors.party(request.user, party_id)
    permissions.require(request.user, "handle", party)
    message = Message.objects.filter(pk=payload.message_id, case_id=party.case_id).first()
    if message is None:
        raise Refusal(
            "No such message on this case.",
            Kind.INVALID,
            errors={"message_id": ["Not on this case."]},
        )
    party_services.share(party, message, user=request.user)
    shown = [
        item
        for item in party_selectors.thread(party)
        if item.id == message.pk and item.source == "shared"
    ]
    return Status(201, message_out(shown[0]))


@router.post("/parties/{party_id}/revocation", response=PartyOut, summary="Revoke a party")
def revoke_party(request: HttpRequest, party_id: int) -> dict[str, Any]:
    party = party_selectors.party(request.user, party_id)
    permissions.require(request.user, "handle", party)
    return party_out(party_services.revoke(party, user=request.user))
