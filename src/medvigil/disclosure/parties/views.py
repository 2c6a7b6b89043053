"""Pages of the other parties on a case: the handler's side and the party's own view.

A party reaches its view through its account (/disclosure/parties/<id>/) or
its secret link (/disclosure/party/<token>); an invisible party answers 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from medvigil.disclosure.cases import selectors
from medvigil.disclosure.cases.models import Message
from medvigil.disclosure.intake.portal import base_url
from medvigil.disclosure.parties import selectors as party_selectors
from medvigil.disclosure.parties import services as party_services
from medvigil.disclosure.parties.forms import InvitePartyForm, PartyMessageForm, ShareMessageForm
from medvigil.disclosure.parties.models import CaseParty
from medvigil.platform import permissions
from medvigil.platform.refusals import Refusal


@login_required
@require_POST
@never_cache
def party_invite(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case(request.user, case_id)
    permissions.require(request.user, "handle", case)
    form = InvitePartyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the party's kind and name.")
        return redirect("disclosure:case-detail", case_id=case.pk)
    data = form.cleaned_data
    account = None
    if data["account"]:
        account = get_user_model().objects.filter(username=data["account"]).first()
        if account is None:
            messages.error(request, f"There is no account {data['account']!r}.")
            return redirect("disclosure:case-detail", case_id=case.pk)
    try:
        invitation = party_services.invite(
            case,
            user=request.user,
            kind=data["kind"],
            name=data["name"],
            account=account,
            with_link=data["with_link"],
            sees_report=data["sees_report"],
            sees_reporter_contact=data["sees_reporter_contact"],
        )
    except Refusal as error:
        messages.error(request, error.message)
        return redirect("disclosure:case-detail", case_id=case.pk)
    link = ""
    if invitation.access_token:
        link = base_url(request) + reverse("disclosure:party-link", args=[invitation.access_token])
    context = {"case": case, "party": invitation.party, "link": link}
    return render(request, "disclosure/party_invited.html", context)


@login_required
@require_POST
def party_revoke(request: HttpRequest, party_id: int) -> HttpResponse:
    party = party_selectors.party(request.user, party_id)
    permissions.require(request.user, "handle", party)
    party_services.revoke(party, user=request.user)
    messages.success(request, f"{party.name} no longer sees the case.")
    return redirect("disclosure:case-detail", case_id=party.case_id)


@login_required
@require_POST
def party_share(request: HttpRequest, party_id: int) -> HttpResponse:
    party = party_selectors.party(request.user, party_id)
    permissions.require(request.user, "handle", party)
    form = ShareMessageForm(request.POST)
    if form.is_valid():
        message = Message.objects.filter(
            pk=form.cleaned_data["message_id"], case_id=party.case_id
        ).first()
        if message is None:
            messages.error(request, "No such message on this case.")
        else:
            try:
                party_services.share(party, message, user=request.user)
            except Refusal as error:
                messages.error(request, error.message)
            else:
                messages.success(request, f"Message shared with {party.name}.")
    else:
        messages.error(request, "Choose a message.")
    return redirect("disclosure:case-detail", case_id=party.case_id)


def write(request: HttpRequest, party: CaseParty, *, from_party: bool) -> bool:
    form = PartyMessageForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write a message first.")
        return False
    try:
        party_services.write(
            party,
            user=request.user if request.user.is_authenticated else None,
            body=form.cleaned_data["body"],
            from_party=from_party,
        )
    except Refusal as error:
        messages.error(request, error.message)
        return False
    return True


@login_required
@require_POST
def party_message(request: HttpRequest, party_id: int) -> HttpResponse:
    """A handler writes to the party, or the party (signed in) writes to the PSIRT."""
    party = party_selectors.party(request.user, party_id)
    permissions.require(request.user, "message", party)
    handler = selectors.sees_internal(request.user)
    write(request, party, from_party=not handler)
    if handler:
        return redirect("disclosure:case-detail", case_id=party.case_id)
    return redirect("disclosure:party-detail", party_id=party.pk)


@login_required
def party_list(request: HttpRequest) -> HttpResponse:
    rows = party_selectors.visible_parties(request.user).filter(revoked_at__isnull=True)[:500]
    listed = [{"party": item, "title": selectors.title(item.case)} for item in rows]
    return render(request, "disclosure/party_list.html", {"rows": listed})


@login_required
def party_detail(request: HttpRequest, party_id: int) -> HttpResponse:
    party = party_selectors.party(request.user, party_id)
    context = {
        "view": party_selectors.view(party),
        "form": PartyMessageForm(),
        "action": reverse("disclosure:party-message", args=[party.pk]),
    }
    return render(request, "disclosure/party_detail.html", context)


@never_cache
def party_link(request: HttpRequest, access_token: str) -> HttpResponse:
    party = party_selectors.party_by_token(access_token)
    if request.method == "POST" and write(request, party, from_party=True):
        messages.success(request, "Your message was sent to the PSIRT.")
        return redirect(request.path)
    context = {"view": party_selectors.view(party), "form": PartyMessageForm(), "action": ""}
    response = render(request, "disclosure/party_detail.html", context)
    # Only the origin in a Referer, so the token never leaves; "no-referrer" would make
    # browsers send "Origin: null" with the page's form, which CSRF checks refuse.
    response["Referrer-Policy"] = "strict-origin"
    return response
