"""Each audit checkpoint is mailed to the administrators when MEDVIGIL_AUDIT_CHECKPOINT_MAIL is
set: a copy off the machine that whoever holds the checkpoint file cannot cut."""

from __future__ import annotations

import socket
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core import mail

from medvigil.audit import checkpoints
from medvigil.audit.context import Actor
from medvigil.audit.services import record, take_checkpoint
from medvigil.configuration import ConfigurationError, read_configuration

pytestmark = pytest.mark.django_db


def last_line(settings: Any) -> str:
    return Path(settings.AUDIT_CHECKPOINT_FILE).read_text().splitlines()[-1]


def test_a_checkpoint_is_mailed_with_its_signed_line(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.AUDIT_CHECKPOINT_MAIL = ["audit@example.org", "quality@example.org"]
    record("product-changed", ("portfolio.product", "1"), actor=Actor(label="writer"))
    taken = take_checkpoint()
    (sent,) = mail.outbox
    assert sent.to == ["audit@example.org", "quality@example.org"]
    assert sent.subject == f"medvigil audit checkpoint #{taken.sequence}"
    assert sent.body.splitlines()[-1] == last_line(settings)
    assert checkpoints.parse_line(sent.body.splitlines()[-1]) == taken


def test_nothing_is_mailed_without_the_setting(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.AUDIT_CHECKPOINT_MAIL = []
    take_checkpoint()
    assert mail.outbox == []


class Collect:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_checkpoint_goes_through_a_real_smtp_server(settings: Any) -> None:
    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.AUDIT_CHECKPOINT_MAIL = ["audit@example.org"]
        taken = take_checkpoint()
    finally:
        controller.stop()
    ((recipients, content),) = handler.messages
    assert recipients == ["audit@example.org"]
    message = message_from_bytes(content)
    assert message["Subject"] == f"medvigil audit checkpoint #{taken.sequence}"
    body = message.get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert body.splitlines()[-1] == last_line(settings)


def test_a_server_that_cannot_be_reached_does_not_lose_the_checkpoint(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    settings.EMAIL_USE_TLS = False
    settings.AUDIT_CHECKPOINT_MAIL = ["audit@example.org"]
    taken = take_checkpoint()
    assert checkpoints.parse_line(last_line(settings)) == taken


def test_the_setting_takes_mail_addresses_only(tmp_path: Path) -> None:
    environment = {"MEDVIGIL_HOME": str(tmp_path)}
    given = {**environment, "MEDVIGIL_AUDIT_CHECKPOINT_MAIL": "a@example.org, b@example.org"}
    assert read_configuration(given).audit_checkpoint_mail == ("a@example.org", "b@example.org")
    with pytest.raises(ConfigurationError, match="not a mail address"):
        read_configuration({**environment, "MEDVIGIL_AUDIT_CHECKPOINT_MAIL": "administrators"})
