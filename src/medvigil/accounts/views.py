"""Account pages: second factor, tokens, and administration of people."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from medvigil.accounts import mfa, selectors, services, tokens
from medvigil.accounts.forms import (
    AccessForm,
    CodeForm,
    InviteForm,
    OrganisationForm,
    TeamForm,
    TokenForm,
)
from medvigil.accounts.invitations import invite
from medvigil.accounts.models import ApiToken
from medvigil.audit.services import record
from medvigil.platform import permissions
from medvigil.platform.forms import show_refusal
from medvigil.platform.refusals import Refusal


def administrators_only(request: HttpRequest) -> None:
    if not permissions.is_administrator(request.user):
        raise PermissionDenied("Only administrators manage people.")


@login_required
def mfa_setup(request: HttpRequest) -> HttpResponse:
    if mfa.confirmed_totp(request.user) is not None:
        return redirect("mfa-verify")
    device = mfa.pending_totp(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = mfa.confirm_enrolment(request, device, form.cleaned_data["code"])
        if codes is not None:
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
        form.add_error(
            "code", "That code is not right; check the time on your device and try again."
        )
    return render(
        request,
        "accounts/mfa_setup.html",
        {
            "form": form,
            "secret": mfa.secret_text(device),
            "qr_code": mfa.qr_code_data_uri(device),
        },
    )


@login_required
def mfa_verify(request: HttpRequest) -> HttpResponse:
    if mfa.confirmed_totp(request.user) is None:
        return redirect("mfa-setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if mfa.verify_second_factor(request, form.cleaned_data["code"]):
            return redirect(request.GET.get("next") or "dashboard")
        form.add_error("code", "That code is not right.")
    return render(request, "accounts/mfa_verify.html", {"form": form})


@login_required
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    codes = mfa.replace_recovery_codes(request.user)
    record("recovery-codes-replaced", cast(Model, request.user))
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


@login_required
def account(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = tokens.issue_token(request.user, **form.cleaned_data)
        except Refusal as refusal:
            show_refusal(form, refusal)
    return render(
        request,
        "accounts/account.html",
        {
            "me": selectors.me(request.user),
            "tokens": selectors.tokens(request.user),
            "form": TokenForm() if issued else form,
            "issued": issued,
        },
    )


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    token = permissions.get_visible(request.user, ApiToken.objects.all(), pk=token_id)
    tokens.revoke_token(token)
    messages.success(request, f"Token {token.name} revoked.")
    return redirect("account")


@login_required
def users(request: HttpRequest) -> HttpResponse:
    administrators_only(request)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = invite(
                request.build_absolute_uri("/"),
                username=data["username"],
                email=data["email"],
                roles=set(data["roles"]),
                teams=data["teams"],
                organisation=data["organisation"],
                printed_name=data["printed_name"],
            )
        except Refusal as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, f"Invited {user.get_username()}.")
            return redirect("administration-users")
    people = [
        selectors.user_summary(user) for user in selectors.users(request.user).order_by("username")
    ]
    return render(request, "accounts/users.html", {"people": people, "form": form})


@login_required
def user_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    administrators_only(request)
    person = permissions.get_visible(request.user, get_user_model().objects.all(), pk=user_id)
    summary = selectors.user_summary(person)
    initial: dict[str, Any] = {
        "roles": summary["roles"],
        "teams": list(person.teams.all()),
        "organisation": getattr(getattr(person, "profile", None), "organisation", None),
    }
    form = AccessForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.set_access(
                person,
                roles=set(data["roles"]),
                teams=data["teams"],
                organisation=data["organisation"],
                by=request.user,
            )
        except Refusal as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, "Access updated.")
            return redirect("administration-user", user_id=person.pk)
    return render(request, "accounts/user_detail.html", {"person": summary, "form": form})


@login_required
@require_POST
def user_activity(request: HttpRequest, user_id: int) -> HttpResponse:
    administrators_only(request)
    person = permissions.get_visible(request.user, get_user_model().objects.all(), pk=user_id)
    try:
        services.set_active(person, request.POST.get("active") == "1", by=request.user)
    except Refusal as refusal:
        messages.error(request, str(refusal))
    return redirect("administration-user", user_id=person.pk)


@login_required
def organisations(request: HttpRequest) -> HttpResponse:
    administrators_only(request)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_organisation(**form.cleaned_data)
        except Refusal as refusal:
            show_refusal(form, refusal)
        else:
            return redirect("administration-organisations")
    context = {"organisations": selectors.organisations(request.user), "form": form}
    return render(request, "accounts/organisations.html", context)


@login_required
def teams(request: HttpRequest) -> HttpResponse:
    administrators_only(request)
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_team(**form.cleaned_data)
        except Refusal as refusal:
            show_refusal(form, refusal)
        else:
            return redirect("administration-teams")
    return render(
        request, "accounts/teams.html", {"teams": selectors.teams(request.user), "form": form}
    )
