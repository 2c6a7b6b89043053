"""Secrets stay out of the logs: link tokens in paths and every query value are redacted.

Before, a researcher's follow-up token and a password-reset token were written
in full to gunicorn's access log and Django's request log (issue 19, defect 12).
"""

from __future__ import annotations

import datetime
import logging

import pytest
from django.test import Client
from gunicorn.config import Config

from medvigil.platform.logs import RedactingGunicornLogger, redact

FOLLOW_UP = "fu-Zx81secretsecretsecret"
RESET = "c5t7n9-0123456789abcdef0123456789abcdef"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            f"GET /disclosure/follow-up/{FOLLOW_UP} HTTP/1.1",
            "GET /disclosure/follow-up/[redacted] HTTP/1.1",
        ),
        (f"/disclosure/party/{FOLLOW_UP}?x=1", "/disclosure/party/[redacted]?x=[redacted]"),
        (f"/password-reset/MQ/{RESET}/", "/password-reset/MQ/[redacted]/"),
        ("/password-reset/MQ/set-password/", "/password-reset/MQ/set-password/"),
        (
            "/api/v1/vulns/findings?cursor=abc&limit=5",
            "/api/v1/vulns/findings?cursor=[redacted]&limit=[redacted]",
        ),
        ("/products/3/", "/products/3/"),
    ],
)
def test_secret_segments_and_query_values_are_redacted(line: str, expected: str) -> None:
    assert redact(line) == expected


def test_the_gunicorn_access_line_holds_no_token() -> None:
    logger = RedactingGunicornLogger(Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/disclosure/follow-up/{FOLLOW_UP}?token={RESET}",
        "PATH_INFO": f"/disclosure/follow-up/{FOLLOW_UP}",
        "QUERY_STRING": f"token={RESET}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://medvigil.example/password-reset/MQ/{RESET}/",
    }

    class Response:
        status = "200 OK"
        sent = 10
        headers: list[tuple[str, str]] = []

    atoms = logger.atoms(Response(), [], environ, datetime.timedelta(seconds=1))
    written = " ".join(str(value) for value in atoms.values())
    assert FOLLOW_UP not in written
    assert RESET not in written
    assert atoms["q"] == "token=[redacted]"


@pytest.mark.django_db
def test_the_django_request_log_holds_no_token(caplog: pytest.LogCaptureFixture) -> None:
    # The filter sits on the console handler; caplog's handler gets the record first, so
    # the filter is applied here the way the handler applies it.
    handler = logging.getLogger().handlers[0]
    with caplog.at_level(logging.WARNING, logger="django.request"):
        Client().get(f"/password-reset/MQ/{RESET}/?token={RESET}")
        Client().get(f"/disclosure/follow-up/{RESET}?token={RESET}")
    assert caplog.records
    for record in caplog.records:
        assert all(item.filter(record) for item in handler.filters)
        assert RESET not in record.getMessage()
