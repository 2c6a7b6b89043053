"""Sign-in, sign-out and failed sign-in go into the audit trail.

An attempt refused because its user name or address is locked is not audited
here one by one: the lockout sets `REFUSED_WHILE_LOCKED` and audits the lock
itself, at most once per window, so an attack cannot grow the trail without bound.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from medvigil.audit.context import Actor, actor_for_request, client_address
from medvigil.audit.services import record

REFUSED_WHILE_LOCKED: ContextVar[bool] = ContextVar("refused_while_locked", default=False)


@receiver(user_logged_in)
def on_signed_in(sender: Any, request: HttpRequest, user: Any, **_: Any) -> None:
    record("signed-in", user, actor=actor_for_request(request))


@receiver(user_logged_out)
def on_signed_out(sender: Any, request: HttpRequest, user: Any, **_: Any) -> None:
    if user is not None:
        actor = Actor(
            user=user,
            label=user.get_username(),
            request_id=getattr(request, "request_id", ""),
            client_address=client_address(request),
        )
        record("signed-out", user, actor=actor)


@receiver(user_login_failed)
def on_sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **_: Any
) -> None:
    if REFUSED_WHILE_LOCKED.get():
        REFUSED_WHILE_LOCKED.set(False)
        return
    attempted = str(credentials.get("username", ""))[:150]
    actor = actor_for_request(request) if request is not None else Actor(label="anonymous")
    record("sign-in-failed", ("auth.user", ""), details={"username": attempted}, actor=actor)
