"""Limits on writes that anyone may attempt: counted in the database, checked first.

A `Limit` allows a number of attempts per subject (a client address, an e-mail
address, a case) in a sliding window. `take` counts one attempt for each
subject, or refuses with 429 and `retry_after` when one of them is at its
limit; callers take before any expensive work (decryption, key import,
scoring, file writes), so a refused request costs one indexed count.

Subjects are stored only as a keyed hash (HMAC with the secret key). A
refused request adds nothing, except the first refusal of a subject in a
window: that one is marked, and `first_refusal` is called for it (callers
write their audit event there), so anonymous traffic adds at most one record
and one event per subject per window. Records older than the window are
deleted as new ones come. Every web process sees the same counts.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpResponse
from django.utils import timezone

from medvigil.platform.models import RateRecord
from medvigil.platform.refusals import Kind, Refusal

HOUR = datetime.timedelta(hours=1)


@dataclass(frozen=True)
class Limit:
    scope: str  # what is limited, e.g. "disclosure-report"
    setting: str  # the setting that holds the attempts allowed per window
    refusal: str  # what the refused person reads, before "try again in …"
    window: datetime.timedelta = HOUR

    @property
    def allowed(self) -> int:
        return int(getattr(settings, self.setting))


def subject_hash(scope: str, subject: str) -> str:
    key = settings.SECRET_KEY.encode("utf-8")
    return hmac.new(key, f"{scope}\n{subject}".encode(), hashlib.sha256).hexdigest()


def lock(hashes: Sequence[str]) -> None:
    """Serialise attempts of the same subjects until the transaction ends.

    SQLite transactions start IMMEDIATE (settings), so writers are serialised
    already; PostgreSQL takes an advisory lock on each hash, in order.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for hashed in sorted(hashes):
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(hashed[:15], 16)])


def wait_text(seconds: int) -> str:
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def refusal_for(limit: Limit, hashed: str, now: datetime.datetime) -> Refusal | None:
    since = now - limit.window
    attempts = RateRecord.objects.filter(
        scope=limit.scope, subject_hash=hashed, refused=False, occurred_at__gte=since
    )
    if attempts.count() < limit.allowed:
        return None
    oldest = attempts.order_by("occurred_at").values_list("occurred_at", flat=True).first()
    free_at = (oldest or now) + limit.window
    retry_after = max(1, math.ceil((free_at - now).total_seconds()))
    return Refusal(
        f"{limit.refusal}; please try again in {wait_text(retry_after)}.",
        Kind.TOO_MANY,
        retry_after=retry_after,
    )


def take(
    limit: Limit,
    subjects: Sequence[str],
    *,
    first_refusal: Callable[[str], None] | None = None,
) -> None:
    """Count one attempt for every subject, or refuse (429) when one is at the limit.

    Runs in its own transaction: call it before the write's transaction, so an
    attempt counts even when the write is refused later. `first_refusal(subject)`
    is called, inside this transaction, for a subject's first refusal in a window.
    """
    subjects = [subject for subject in subjects if subject]
    hashes = {subject: subject_hash(limit.scope, subject) for subject in subjects}
    refusal = None
    with transaction.atomic():
        lock(list(hashes.values()))
        now = timezone.now()
        for subject, hashed in hashes.items():
            refusal = refusal_for(limit, hashed, now)
            if refusal is None:
                continue
            earlier = RateRecord.objects.filter(
                scope=limit.scope,
                subject_hash=hashed,
                refused=True,
                occurred_at__gte=now - limit.window,
            )
            if not earlier.exists():
                RateRecord.objects.create(
                    scope=limit.scope, subject_hash=hashed, occurred_at=now, refused=True
                )
                if first_refusal is not None:
                    first_refusal(subject)
            break
        else:
            RateRecord.objects.bulk_create(
                RateRecord(scope=limit.scope, subject_hash=hashed, occurred_at=now)
                for hashed in hashes.values()
            )
            RateRecord.objects.filter(
                scope=limit.scope, occurred_at__lt=now - limit.window
            ).delete()
    if refusal is not None:
        raise refusal


def with_retry_after(response: HttpResponse, refusal: Refusal) -> HttpResponse:
    """A page's response to a refusal, with Retry-After when the refusal says when."""
    if "retry_after" in refusal.facts:
        response["Retry-After"] = str(refusal.facts["retry_after"])
    return response
