"""Who is acting and from where, for the audit events of the current request or job."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse

from medvigil.platform.addresses import client_address


@dataclass(frozen=True)
class Actor:
    user: Any = None
    token_id: int | None = None
    label: str = "system"
    request_id: str = ""
    client_address: str = ""


SYSTEM = Actor()
current: ContextVar[Actor] = ContextVar("medvigil_audit_actor", default=SYSTEM)


def actor_for_request(request: HttpRequest, *, token_id: int | None = None) -> Actor:
    user = getattr(request, "user", None)
    authenticated = user is not None and user.is_authenticated
    return Actor(
        user=user if authenticated else None,
        token_id=token_id,
        label=user.get_username() if authenticated and user is not None else "anonymous",
        request_id=getattr(request, "request_id", ""),
        client_address=client_address(request),
    )


@contextmanager
def acting_as(actor: Actor) -> Iterator[Actor]:
    token = current.set(actor)
    try:
        yield actor
    finally:
        current.reset(token)


class AuditContextMiddleware:
    """Sets the acting user for audit events; token requests refine it in the API auth."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current.set(actor_for_request(request))
        try:
            return self.get_response(request)
        finally:
            current.reset(token)
