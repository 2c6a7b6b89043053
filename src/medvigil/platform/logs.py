"""Secrets kept out of logs: link tokens in paths and every query value are redacted.

A follow-up link, a party link and a password-reset link carry their secret in
the path, and a query string may carry anything; gunicorn's access log and
Django's request log wrote them in full. `redact` replaces them; the logging
filter applies it to every log record, the gunicorn logger to every access line.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from gunicorn.glogging import Logger  # type: ignore[import-untyped]

REDACTED = "[redacted]"
# Paths whose last segment is a secret: the researcher's follow-up link, a party's access
# link, and the password-reset link (its second segment; the first is the user's id).
SECRET_SEGMENT = re.compile(
    r"(/(?:follow-up|party)/|/password-reset/[^/?#\s\"']+/)(?!set-password/)[^/?#\s\"']+"
)
QUERY_VALUE = re.compile(r"([?&][^=&#\s\"']*=)[^&#\s\"']*")


def redact(text: str) -> str:
    """The text with secret path segments and every query value replaced."""
    return QUERY_VALUE.sub(rf"\g<1>{REDACTED}", SECRET_SEGMENT.sub(rf"\g<1>{REDACTED}", text))


class RedactSecretsFilter(logging.Filter):
    """Redacts a record's message (formatted with its arguments) before any handler writes it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


class RedactingGunicornLogger(Logger):
    """gunicorn's logger, with the request line, path and query redacted in the access log."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        # Every text atom: a custom format may name the environ's paths and query too.
        redacted = {
            key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()
        }
        for key in ("q", "{query_string}e"):
            if isinstance(atoms.get(key), str) and atoms[key]:
                # The bare query string, without its leading "?".
                redacted[key] = redact("?" + atoms[key])[1:]
        return redacted
