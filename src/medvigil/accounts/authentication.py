"""How API calls authenticate: a personal token, or a browser session with MFA done."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from medvigil.accounts import mfa
from medvigil.accounts.models import ApiToken
from medvigil.accounts.tokens import authenticate_token
from medvigil.audit.context import Actor, client_address, current
from medvigil.platform.refusals import Kind, Refusal

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenAuthentication(HttpBearer):
    """`Authorization: Bearer mvg_…`; a read token may only read."""

    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        address = client_address(request)
        found = authenticate_token(token, address)
        if found is None:
            return None
        if found.scope == ApiToken.Scope.READ and request.method not in SAFE_METHODS:
            raise Refusal(
                "This token may only read; create a write token to change data.", Kind.FORBIDDEN
            )
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        current.set(
            Actor(
                user=found.user,
                token_id=found.pk,
                label=found.user.get_username(),
                request_id=getattr(request, "request_id", ""),
                client_address=address,
            )
        )
        return found.user


class SessionAuthentication(APIKeyCookie):
    """The signed-in browser session; CSRF is checked for unsafe methods."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if mfa.needs_second_factor(user) and not mfa.session_is_verified(user):
            raise Refusal(
                "Complete the second sign-in step (authenticator code) first.", Kind.FORBIDDEN
            )
        return user


API_AUTHENTICATION = [TokenAuthentication(), SessionAuthentication()]
