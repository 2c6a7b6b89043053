"""Mail to a reporter or a party is queued in the transaction that writes its message.

Before, the mail task was queued after the commit (`on_commit`): a process
killed between the commit and the queueing left a reply or a party message
whose mail was never sent, and nothing knew. Now the task row is written in
the message's own transaction: a rolled-back message queues nothing, a
committed one always carries its mail.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from medvigil.disclosure.cases import services as case_services
from medvigil.disclosure.cases.models import Message, MessageKind
from medvigil.disclosure.notifications.reply_mail import send_party_notice_task, send_reply_task
from medvigil.disclosure.parties import services as party_services
from medvigil.disclosure.parties.models import PartyMessage
from tests.disclosure.conftest import researcher, submitted

pytestmark = pytest.mark.django_db


class Undone(Exception):
    """Raised to roll a transaction back, as any failure after the write would."""


def undone(write: Callable[[], Any], queued_inside: Callable[[Any], bool]) -> None:
    """Run `write` in a transaction, check what it queued there, then roll it all back."""
    with transaction.atomic():
        assert queued_inside(write())
        raise Undone


def queued(task: Any) -> list[list[Any]]:
    path = f"{task.func.__module__}.{task.func.__qualname__}"
    rows = DBTaskResult.objects.filter(task_path=path)
    return [row.args_kwargs["args"] for row in rows]


def test_a_reply_to_the_reporter_is_queued_with_it_or_not_at_all(psirt: Any) -> None:
    case = submitted(reporter_email="ada@example.org").case

    def reply() -> Message:
        return case_services.post_message(
            case, user=psirt, kind=MessageKind.TO_REPORTER, body="We reproduced it."
        )

    with pytest.raises(Undone):  # queued in the reply's own transaction, then rolled back
        undone(reply, lambda message: queued(send_reply_task) == [[message.pk]])
    assert not Message.objects.filter(kind=MessageKind.TO_REPORTER).exists()
    assert queued(send_reply_task) == []

    message = reply()
    assert queued(send_reply_task) == [[message.pk]]


def test_a_message_to_a_party_is_queued_with_it_or_not_at_all(psirt: Any) -> None:
    case = submitted().case
    coordinator = researcher("cert-team")
    party = party_services.invite(
        case, user=psirt, kind="coordinator", name="CERT", account=coordinator
    ).party

    def write() -> PartyMessage:
        return party_services.write(
            party, user=psirt, body="Embargo ends Monday.", from_party=False
        )

    with pytest.raises(Undone):
        undone(write, lambda message: queued(send_party_notice_task) == [[message.pk]])
    assert not PartyMessage.objects.exists()
    assert queued(send_party_notice_task) == []

    message = party_services.write(party, user=psirt, body="Embargo ends Monday.", from_party=False)
    assert queued(send_party_notice_task) == [[message.pk]]
