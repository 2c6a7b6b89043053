"""security.txt (RFC 9116) generated from settings, with Expires kept current.

Fields: Contact (one per configured contact, in order of preference),
Expires (now + DISCLOSURE_SECURITY_TXT_DAYS, under a year as §2.5.5
recommends), Encryption (when a disclosure key exists), Acknowledgments,
Preferred-Languages, Canonical and Policy.
"""

from __future__ import annotations

import datetime

from django.conf import settings


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
