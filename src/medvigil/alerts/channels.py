"""What an alert looks like on each channel, and how it is sent.

Webhooks are signed like the project's other webhooks: `X-Medvigil-Timestamp`
carries the Unix time of sending and `X-Medvigil-Signature` is `sha256=` and
the hex HMAC-SHA256 of `<timestamp>.<raw body>` under the webhook's own
secret. A receiver recomputes it over the bytes it received, compares in
constant time, and refuses a timestamp older than a few minutes (replays).
The secret is shown once when the webhook is made, and stored Fernet-encrypted
with the installation's key, like disclosure reports.

The body is medvigil's JSON for a generic webhook; for Slack and Microsoft
Teams it is the shape their incoming webhooks accept (Slack: `text` with
`blocks`; Teams: a `message` with an Adaptive Card attachment).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import urllib.request
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import send_mail

from medvigil.alerts.models import AlertEvent, Webhook
from medvigil.disclosure.intake.encryption import open_text, seal_text

SIGNATURE_HEADER = "X-Medvigil-Signature"
TIMESTAMP_HEADER = "X-Medvigil-Timestamp"


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def seal_secret(secret: str) -> str:
    return seal_text(secret)


def webhook_secret(webhook: Webhook) -> str:
    return open_text(webhook.secret_sealed)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, header: str) -> bool:
    """What a receiver does (Python): recompute and compare in constant time."""
    return hmac.compare_digest(signature(secret, timestamp, body), header)


def event_data(event: AlertEvent) -> dict[str, Any]:
    return {
        "id": event.pk,
        "key": event.key,
        "kind": event.kind,
        "title": event.title,
        "occurred_at": event.occurred_at.isoformat(),
        "object": {"type": event.object_type, "id": event.object_id},
        "product_id": event.product_id,
        "version_id": event.version_id,
        "severity": event.severity,
        "priority": event.priority,
        "details": event.details,
    }


def text_lines(events: Sequence[AlertEvent]) -> list[str]:
    return [f"- {event.get_kind_display()}: {event.title}" for event in events]


def generic_body(events: Sequence[AlertEvent], digest: bool) -> dict[str, Any]:
    if digest:
        return {"type": "digest", "events": [event_data(event) for event in events]}
    return {"type": "event", "event": event_data(events[0])}


def slack_body(events: Sequence[AlertEvent], digest: bool) -> dict[str, Any]:
    heading = f"medvigil: {len(events)} alerts today" if digest else events[0].title
    lines = "\n".join(text_lines(events))
    return {
        "text": heading,
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": heading[:150]}},
            {"type": "section", "text": {"type": "mrkdwn", "text": lines[:3000]}},
        ],
    }


def teams_body(events: Sequence[AlertEvent], digest: bool) -> dict[str, Any]:
    heading = f"medvigil: {len(events)} alerts today" if digest else events[0].title
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": [
            {"type": "TextBlock", "text": heading, "weight": "Bolder", "wrap": True},
            *(
                {"type": "TextBlock", "text": line, "wrap": True}
                for line in text_lines(events)[:50]
            ),
        ],
    }
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": card,
            }
        ],
    }


BODIES = {
    Webhook.Flavour.GENERIC: generic_body,
    Webhook.Flavour.SLACK: slack_body,
    Webhook.Flavour.TEAMS: teams_body,
}


def webhook_body(webhook: Webhook, events: Sequence[AlertEvent], digest: bool) -> bytes:
    build = BODIES.get(Webhook.Flavour(webhook.flavour), generic_body)
    return json.dumps(build(events, digest), sort_keys=True).encode()


def post(webhook: Webhook, body: bytes) -> None:
    if not webhook.url.startswith(("https://", "http://")):
        raise ValueError("A webhook address must be http or https.")
    timestamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        webhook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "medvigil-alerts",
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: signature(webhook_secret(webhook), timestamp, body),
        },
    )
    timeout = settings.ALERTS_WEBHOOK_TIMEOUT_SECONDS
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (checked)
        if not 200 <= response.status < 300:
            raise ValueError(f"The webhook answered {response.status}.")


def email_message(events: Sequence[AlertEvent], digest: bool) -> tuple[str, str]:
    if digest:
        subject = f"[medvigil] Daily digest: {len(events)} alerts"
    else:
        subject = f"[medvigil] {events[0].title}"
    body = "\n".join(text_lines(events)) + "\n\nSee your inbox in medvigil for the details.\n"
    return subject[:250], body


def send_email(
    address: str, events: Sequence[AlertEvent], digest: bool, connection: Any = None
) -> None:
    subject, body = email_message(events, digest)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address], connection=connection)
