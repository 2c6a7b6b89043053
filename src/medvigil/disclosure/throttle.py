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
from django.utils import timezone

from medvigil.disclosure.models import SubmissionRecord

WINDOW = datetime.timedelta(hours=1)


def address_hash(address: str) -> str:
    key = settings.SECRET_KEY.encode("utf-8")
    return hmac.new(key, address.encode("utf-8"), hashlib.sha256).hexdigest()


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
