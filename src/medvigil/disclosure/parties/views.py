"""Pages of the other parties on a case: the handler's side and the party's own view.

A party reaches its view through its account (/disclosure/parties/<id>/) or
its secret link (/disclosure/party/<token>); an invisible party answers 404.
A refused form renders its page again (the case page for handlers) as typed.
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
from medvigil.disclosure.cases.page import case_again, case_page
from medvigil.disclosure.intake.portal import base_url
from medvigil.disclosure.parties import selectors as party_selectors
from medvigil.disclosure.parties import services as party_services
from medvigil.disclosure.parties.forms import InvitePartyForm, PartyMessageForm, ShareMessageForm
from medvigil.disclosure.parties.models import CaseParty
from medvigil.platform import permissions
from medvigil.platform.forms import show_refusal
from medvigil.platform.refusals import Refusal


@login_required
@require_POST
@never_cache
def party_invite(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case(request.user, case_id)
    permissions.require(request.user, "handle", case)
    # Own id prefix, as on the case page: several forms there share field names.
    form = InvitePartyForm(request.POST, auto_id="invite_%s")
    if not form.is_valid():
        return case_again(request, case, invite_form=form)
    data = form.cleaned_data
    account = None
    if data["account"]:
        account = get_user_model().objects.filter(username=data["account"]).first()
        if account is None:
            form.add_error("account", f"There is no account {data['account']!r}.")
            return case_again(request, case, invite_form=form)
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
    except Refusal as refusal:
        return case_again(request, case, refusal, invite_form=form)
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


def write(
    request: HttpRequest, party: CaseParty, form: PartyMessageForm, *, from_party: bool
) -> int | None:
    """Write the message of `form`; None once written, else the status of the refusal."""
    if not form.is_valid():
        return 422
    try:
        party_services.write(
            party,
            user=request.user if request.user.is_authenticated else None,
            body=form.cleaned_data["body"],
            from_party=from_party,
        )
    except Refusal as refusal:
        show_refusal(form, refusal)
        return refusal.status
    return None


@login_required
@require_POST
def party_message(request: HttpRequest, party_id: int) -> HttpResponse:
    """A handler writes to the party, or the party (signed in) writes to the PSIRT."""
    party = party_selectors.party(request.user, party_id)
    permissions.require(request.user, "message", party)
    handler = selectors.sees_internal(request.user)
    if handler:
        # The same id prefix as the party's form on the case page.
        form = PartyMessageForm(request.POST, auto_id=f"party{party.pk}_%s")
        status = write(request, party, form, from_party=False)
        if status is not None:
            case = selectors.case(request.user, party.case_id)
            return case_page(request, case, status, party_forms={party.pk: form})
        return redirect("disclosure:case-detail", case_id=party.case_id)
    form = PartyMessageForm(request.POST)
    status = write(request, party, form, from_party=True)
    if status is not None:
        return party_page(request, party, form, status=status)
    return redirect("disclosure:party-detail", party_id=party.pk)


@login_required
def party_list(request: HttpRequest) -> HttpResponse:
    rows = party_selectors.visible_parties(request.user).filter(revoked_at__isnull=True)[:500]
    listed = [{"party": item, "title": selectors.title(item.case)} for item in rows]
    return render(request, "disclosure/party_list.html", {"rows": listed})


@login_required
def party_detail(request: HttpRequest, party_id: int) -> HttpResponse:
    party = party_selectors.party(request.user, party_id)
    return party_page(request, party, PartyMessageForm())


def party_page(
    request: HttpRequest,
    party: CaseParty,
    form: PartyMessageForm,
    *,
    action: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """What the party sees, with its message form (fresh, or refused as typed)."""
    context = {
        "view": party_selectors.view(party),
        "form": form,
        "action": reverse("disclosure:party-message", args=[party.pk])
        if action is None
        else action,
    }
    return render(request, "disclosure/party_detail.html", context, status=status)


@never_cache
def party_link(request: HttpRequest, access_token: str) -> HttpResponse:
    party = party_selectors.party_by_token(access_token)
    form = PartyMessageForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        refused = write(request, party, form, from_party=True)
        if refused is None:
            messages.success(request, "Your message was sent to the PSIRT.")
            return redirect(request.path)
        status = refused
    response = party_page(request, party, form, action="", status=status)
    # Only the origin in a Referer, so the token never leaves; "no-referrer" would make
    # browsers send "Origin: null" with the page's form, which CSRF checks refuse.
    response["Referrer-Policy"] = "strict-origin"
    return response
