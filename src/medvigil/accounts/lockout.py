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
from medvigil.audit.models import AuditEvent
from medvigil.audit.services import record
from medvigil.audit.signals import REFUSED_WHILE_LOCKED

LOCKED_ACTION = "sign-in-refused-locked"


def window_start() -> Any:
    return timezone.now() - timedelta(minutes=settings.LOCKOUT_MINUTES)


def failures_of(username: str) -> int:
    recent = SignInFailure.objects.filter(username=username, occurred_at__gte=window_start())
    return recent.count()


def failures_from(address: str) -> int:
    if not address:
        return 0
    recent = SignInFailure.objects.filter(client_address=address, occurred_at__gte=window_start())
    return recent.count()


def is_locked(username: str) -> bool:
    return failures_of(username) >= settings.LOCKOUT_FAILURES


def is_throttled(address: str) -> bool:
    return failures_from(address) >= settings.THROTTLE_FAILURES


def audit_lock(request: HttpRequest | None, name: str, address: str) -> None:
    """One event per locked user name or address per window, with its count of failures."""
    locked = "user name" if is_locked(name) else "address"
    subject = (
        {"details__username": name[:150]} if is_locked(name) else {"details__address": address}
    )
    recent = AuditEvent.objects.filter(action=LOCKED_ACTION, occurred_at__gte=window_start())
    if recent.filter(details__locked=locked, **subject).exists():
        return
    failures = failures_of(name) if locked == "user name" else failures_from(address)
    record(
        LOCKED_ACTION,
        ("auth.user", ""),
        details={
            "username": name[:150],
            "address": address,
            "locked": locked,
            "failures_in_window": failures,
            "window_minutes": settings.LOCKOUT_MINUTES,
        },
        actor=actor_for_request(request) if request is not None else None,
    )


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
            audit_lock(request, name, address)
            # The lock event stands for this attempt: no `sign-in-failed` of its own.
            REFUSED_WHILE_LOCKED.set(True)
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
