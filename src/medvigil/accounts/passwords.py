"""Password reset by e-mail and change (Django's views), with audit events and a rate limit.

Both end every API token and every other session of the person
(accounts.tokens.revoke_access). Anyone may ask for a reset mail, so asking is
limited per client address and per e-mail address (platform.rates) before any
mail is sent or any event written: a refused request answers 429 with
Retry-After, and only the first refusal of an address or e-mail in a window is
audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as authentication_views
from django.db import transaction
from django.http import HttpResponse

from medvigil.accounts.tokens import revoke_access
from medvigil.audit.services import record
from medvigil.platform import rates
from medvigil.platform.addresses import client_address
from medvigil.platform.forms import show_refusal
from medvigil.platform.refusals import Refusal

PER_ADDRESS = rates.Limit(
    "password-reset-address",
    "PASSWORD_RESETS_PER_HOUR_PER_ADDRESS",
    "Too many password resets asked from your address in the last hour",
)
PER_EMAIL = rates.Limit(
    "password-reset-email",
    "PASSWORD_RESETS_PER_HOUR_PER_EMAIL",
    "Too many password resets asked for this e-mail address in the last hour",
)


def take(limit: rates.Limit, subject: str) -> None:
    def first_refusal(_: str) -> None:
        record("password-reset-rate-limited", ("auth.user", ""), details={"limit": limit.scope})

    rates.take(limit, [subject], first_refusal=first_refusal)


class AuditedPasswordResetView(authentication_views.PasswordResetView):
    def form_valid(self, form: Any) -> HttpResponse:
        try:
            take(PER_ADDRESS, client_address(self.request))
            take(PER_EMAIL, form.cleaned_data["email"].strip().lower())
        except Refusal as refusal:
            show_refusal(form, refusal)
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            return rates.with_retry_after(response, refusal)
        # Recorded whatever the address, so the trail shows attempts on unknown addresses too.
        record(
            "password-reset-requested",
            ("auth.user", ""),
            details={"email": form.cleaned_data["email"][:254]},
        )
        return super().form_valid(form)


class AuditedPasswordResetConfirmView(authentication_views.PasswordResetConfirmView):
    """A reset means the old password may be known to someone else: end all access."""

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            record("password-reset-completed", form.user)
            revoke_access(form.user, "password-reset")
        return response


class AuditedPasswordChangeView(authentication_views.PasswordChangeView):
    """Every token and every other session ends; the session that changed it stays."""

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            record("password-changed", form.user)
            revoke_access(
                form.user, "password-changed", keep_session=self.request.session.session_key
            )
        return response
