"""Personal API tokens: shown once, stored as SHA-256, scoped, expiring, revocable.

A token reads `mvg_<prefix>_<secret>`. The prefix finds the row; the
digest of the whole token is compared in constant time. Tokens carry 256
bits of randomness, so a fast hash is enough (no dictionary to guess from).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from medvigil.accounts.models import ApiToken
from medvigil.audit.context import Actor
from medvigil.audit.services import record
from medvigil.platform.refusals import Refusal

TOKEN_PREFIX = "mvg"  # noqa: S105 (a public marker, not a secret)
MAXIMUM_LIFETIME_DAYS = 365
# Recording every request would flood the trail: one "token-used" event per window.
USE_AUDIT_INTERVAL = timedelta(hours=1)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@transaction.atomic
def issue_token(user: Any, *, name: str, scope: str, lifetime_days: int) -> IssuedToken:
    if scope not in ApiToken.Scope.values:
        message = f"Scope must be one of {', '.join(ApiToken.Scope.values)}."
        raise Refusal(message, errors={"scope": message})
    if not 1 <= lifetime_days <= MAXIMUM_LIFETIME_DAYS:
        message = f"A token lives between 1 and {MAXIMUM_LIFETIME_DAYS} days."
        raise Refusal(message, errors={"lifetime_days": message})
    if not name.strip():
        message = "Give the token a name that says what it is for."
        raise Refusal(message, errors={"name": message})
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        prefix=prefix,
        digest=digest(secret),
        scope=scope,
        expires_at=timezone.now() + timedelta(days=lifetime_days),
    )
    record("token-created", token, details={"scope": scope, "expires_at": token.expires_at})
    return IssuedToken(token, secret)


@transaction.atomic
def revoke_token(token: ApiToken) -> None:
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record("token-revoked", token)


@transaction.atomic
def revoke_access(user: Any, reason: str, *, keep_session: str | None = None) -> int:
    """End every way in that `user` holds besides the password: API tokens and sessions.

    Called when the password is reset or changed and when the account is
    deactivated, so a token or session taken before never works again (not even
    after reactivation). `keep_session` is the session of a person changing
    their own password. One "access-revoked" event says why and how much ended.
    """
    now = timezone.now()
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    ended = end_sessions(user, keep_session)
    record("access-revoked", user, details={"reason": reason, "tokens": revoked, "sessions": ended})
    return revoked


def end_sessions(user: Any, keep_session: str | None = None) -> int:
    """Delete the user's stored sessions (all but `keep_session`)."""
    ended = 0
    # Sessions are stored encoded: the only way to find a user's is to read the live ones.
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.session_key == keep_session:
            continue
        if str(session.get_decoded().get(SESSION_KEY)) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def authenticate_token(presented: str, address: str) -> ApiToken | None:
    """The live token matching `presented`, with its use recorded; None otherwise."""
    parts = presented.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.digest, digest(presented)):
        return None
    now = timezone.now()
    if token.revoked_at is not None or token.expires_at <= now or not token.user.is_active:
        return None
    previous_use = token.last_used_at
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_address=address[:64])
    if previous_use is None or now - previous_use >= USE_AUDIT_INTERVAL:
        actor = Actor(
            user=token.user,
            token_id=token.pk,
            label=token.user.get_username(),
            client_address=address,
        )
        record("token-used", token, actor=actor)
    return token


def token_lifetime_default() -> int:
    return int(getattr(settings, "API_TOKEN_DEFAULT_DAYS", 90))
