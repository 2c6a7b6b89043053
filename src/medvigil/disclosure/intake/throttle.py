"""The per-address rate limit of the public submission form, kept in the database.

Addresses are stored only as a keyed hash (HMAC with the secret key), and
only for accepted submissions: a refused one leaves nothing behind. Every
web process sees the same counts.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac

from django.conf import settings
from django.db import connection
from django.utils import timezone

from medvigil.disclosure.intake.models import SubmissionRecord

WINDOW = datetime.timedelta(hours=1)


def address_hash(address: str) -> str:
    key = settings.SECRET_KEY.encode("utf-8")
    return hmac.new(key, address.encode("utf-8"), hashlib.sha256).hexdigest()


def lock(address: str) -> None:
    """Serialise submissions from one address until the transaction ends.

    SQLite transactions start IMMEDIATE (settings), so writers are serialised
    already; PostgreSQL takes an advisory lock on the address's hash.
    """
    if connection.vendor == "postgresql":
        key = int(address_hash(address)[:15], 16)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def recent_submissions(address: str) -> int:
    since = timezone.now() - WINDOW
    return SubmissionRecord.objects.filter(
        address_hash=address_hash(address), occurred_at__gte=since
    ).count()


def allows(address: str) -> bool:
    return recent_submissions(address) < settings.DISCLOSURE_SUBMISSIONS_PER_HOUR


def remember(address: str) -> None:
    SubmissionRecord.objects.create(address_hash=address_hash(address), occurred_at=timezone.now())
    SubmissionRecord.objects.filter(occurred_at__lt=timezone.now() - WINDOW).delete()
