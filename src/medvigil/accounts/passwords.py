"""Password reset by e-mail and change (Django's views), with audit events; both end
every API token and every other session of the person (accounts.tokens.revoke_access)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as authentication_views
from django.db import transaction
from django.http import HttpResponse

from medvigil.accounts.tokens import revoke_access
from medvigil.audit.services import record


class AuditedPasswordResetView(authentication_views.PasswordResetView):
    def form_valid(self, form: Any) -> HttpResponse:
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
