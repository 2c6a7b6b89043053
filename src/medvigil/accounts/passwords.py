"""Password reset by e-mail (Django's views), with audit events."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as authentication_views
from django.http import HttpResponse

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
    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        record("password-reset-completed", form.user)
        return response


class AuditedPasswordChangeView(authentication_views.PasswordChangeView):
    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        record("password-changed", form.user)
        return response
