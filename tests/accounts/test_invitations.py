"""An account and its invitation are created together, or neither is.

Before, the account was committed first and the mail sent after, in the
request: with the mail server down the administrator got a 500 and an
account that no invitation would ever reach (and no `invitation-sent`
event). Now the invitation is a task queued in the account's transaction:
a refused or rolled-back creation leaves no account and no task; a mail
server that is down leaves the account whole with its invitation pending,
which a retry sends.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction
from django.test import Client
from django_tasks_db.models import DBTaskResult

from medvigil.accounts.invitations import invite, send_invitation_task
from medvigil.audit.models import AuditEvent
from medvigil.operations.services import retry_task
from medvigil.platform.workers import run_worker
from tests import factories

pytestmark = pytest.mark.django_db
TASK = "medvigil.accounts.invitations.send_invitation_task"
SITE = "http://testserver/"


class Undone(Exception):
    """Raised to roll a transaction back, as any failure after the write would."""


def send_queued_invitations() -> None:
    """Send each queued invitation in this process, as a worker would."""
    for row in DBTaskResult.objects.filter(task_path=TASK, status="READY"):
        send_invitation_task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])


def invite_nora() -> Any:
    return invite(SITE, username="nora", email="nora@example.org", roles={"viewer"})


def undone() -> None:
    with transaction.atomic():
        invite_nora()
        assert DBTaskResult.objects.filter(task_path=TASK).count() == 1  # in the same transaction
        raise Undone


def test_a_rolled_back_invitation_leaves_no_account_and_no_mail() -> None:
    with pytest.raises(Undone):
        undone()
    assert not get_user_model().objects.filter(username="nora").exists()
    assert not DBTaskResult.objects.exists()
    assert not AuditEvent.objects.filter(action="user-created").exists()


def test_the_invitation_is_mailed_from_the_queue_with_a_working_link() -> None:
    user = invite_nora()
    assert mail.outbox == []  # nothing leaves before the commit
    send_queued_invitations()
    assert [message.to for message in mail.outbox] == [["nora@example.org"]]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
    assert f"{SITE}password-reset/" in link
    event = AuditEvent.objects.get(action="invitation-sent")
    assert event.object_id == str(user.pk)


@pytest.mark.django_db(transaction=True)
def test_a_mail_server_that_is_down_leaves_the_account_whole_and_its_invitation_pending(
    settings: Any,
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 5
    client = factories.sign_in(Client(), factories.user(username="ada", administrator=True))
    response = client.post(
        "/api/v1/accounts/users",
        {"username": "nora", "email": "nora@example.org", "roles": ["viewer"]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content  # before: a 500, the account kept
    run_worker(batch=True)
    failed = DBTaskResult.objects.get(task_path=TASK)
    assert failed.status == "FAILED"
    assert get_user_model().objects.filter(username="nora", is_active=True).exists()
    assert not AuditEvent.objects.filter(action="invitation-sent").exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    retry_task(str(failed.pk))
    run_worker(batch=True)
    assert [message.to for message in mail.outbox] == [["nora@example.org"]]
    assert AuditEvent.objects.filter(action="invitation-sent").count() == 1
