"""Sign-in throttling and lockout, shared by every web process through the database.

A user name with LOCKOUT_FAILURES failures in the last LOCKOUT_MINUTES is
locked for that long; an address with THROTTLE_FAILURES failures in the same
window is refused whatever the user name. Both refusals look the same as a
wrong password to the client, and both are audited.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from medvigil.accounts.models import SignInFailure
from medvigil.audit.context import actor_for_request, client_address
from medvigil.audit.services import record


def window_start() -> Any:
    return timezone.now() - timedelta(minutes=settings.LOCKOUT_MINUTES)


def is_locked(username: str) -> bool:
    recent = SignInFailure.objects.filter(username=username, occurred_at__gte=window_start())
    return recent.count() >= settings.LOCKOUT_FAILURES


def is_throttled(address: str) -> bool:
    if not address:
        return False
    recent = SignInFailure.objects.filter(client_address=address, occurred_at__gte=window_start())
    return recent.count() >= settings.THROTTLE_FAILURES


class LockoutBackend(ModelBackend):
    """Django's password check, refused outright while the name or address is locked."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        name = username or kwargs.get("username") or ""
        address = client_address(request) if request is not None else ""
        if is_locked(name) or is_throttled(address):
            actor = actor_for_request(request) if request is not None else None
            record(
                "sign-in-refused-locked",
                ("auth.user", ""),
                details={"username": name[:150], "address": address},
                actor=actor,
            )
            # PermissionDenied stops Django from trying any other backend.
            raise PermissionDenied("locked")
        return super().authenticate(request, username=username, password=password, **kwargs)


@receiver(user_login_failed)
def remember_failure(
    sender: Any, credentials: dict[str, Any], request: Any = None, **_: Any
) -> None:
    SignInFailure.objects.create(
        username=str(credentials.get("username", ""))[:150],
        client_address=client_address(request) if request is not None else "",
        occurred_at=timezone.now(),
    )


@receiver(user_logged_in)
def forget_failures(sender: Any, request: Any, user: Any, **_: Any) -> None:
    SignInFailure.objects.filter(username=user.get_username()).delete()
