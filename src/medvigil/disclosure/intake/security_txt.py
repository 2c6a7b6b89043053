"""security.txt (RFC 9116) generated from settings, with Expires kept current.

Fields: Contact (one per configured contact, in order of preference),
Expires (now + DISCLOSURE_SECURITY_TXT_DAYS, under a year as §2.5.5
recommends), Encryption (when a disclosure key exists), Acknowledgments,
Preferred-Languages, Canonical and Policy. Clear-signed with the disclosure
key when one exists and DISCLOSURE_SECURITY_TXT_SIGNED is on.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import re

from django.conf import settings
from django.core.cache import cache

from medvigil.disclosure.keys import openpgp

logger = logging.getLogger(__name__)


def render(
    *,
    base_url: str,
    now: datetime.datetime,
    encryption_url: str | None,
    policy_url: str,
    report_url: str,
    acknowledgments_url: str,
    canonical_url: str,
) -> str:
    expires = (now + datetime.timedelta(days=settings.DISCLOSURE_SECURITY_TXT_DAYS)).astimezone(
        datetime.UTC
    )
    lines = [f"# Security contact of {settings.DISCLOSURE_ORGANISATION}. Served by medvigil."]
    lines += [f"Contact: {contact}" for contact in settings.DISCLOSURE_CONTACTS]
    lines.append(f"Contact: {base_url}{report_url}")
    lines.append(f"Expires: {expires.replace(microsecond=0).isoformat().replace('+00:00', 'Z')}")
    if encryption_url:
        lines.append(f"Encryption: {base_url}{encryption_url}")
    lines.append(f"Acknowledgments: {base_url}{acknowledgments_url}")
    lines.append(f"Preferred-Languages: {', '.join(settings.DISCLOSURE_LANGUAGES)}")
    lines.append(f"Canonical: {base_url}{canonical_url}")
    lines.append(f"Policy: {base_url}{policy_url}")
    return "\n".join(lines) + "\n"


EXPIRES_LINE = re.compile(r"^Expires: .*$", re.MULTILINE)
SIGNED_LIFETIME_SECONDS = 3600


def signed(text: str, fingerprint: str) -> str:
    """The file clear-signed with the disclosure key (RFC 9116 §2.3).

    A signature is made at most once an hour per content and key, so anonymous
    requests cannot keep gpg busy; the Expires inside is then at most an hour
    older than a freshly built one, and stays current.
    """
    content = EXPIRES_LINE.sub("", text)
    key = "security-txt:" + hashlib.sha256(f"{fingerprint}\n{content}".encode()).hexdigest()
    cached = cache.get(key)
    if isinstance(cached, str):
        return cached
    try:
        made = openpgp.clearsign(text)
    except RuntimeError:
        # An expired or unusable key must not take security.txt down: serve it unsigned.
        logger.warning("security.txt served unsigned: the disclosure key could not sign")
        return text
    if made is None:
        return text
    cache.set(key, made, SIGNED_LIFETIME_SECONDS)
    return made
