"""An invitation is a password-setting e-mail: the new account has no usable password.

`invite` creates the account and queues its mail in one transaction: an
account is never committed without its invitation, and a refused or failed
creation queues nothing. The mail is sent by a worker (`send_invitation_task`),
so a mail server that is down never undoes nor half-creates an account; a
failed send stays a failed task, which an administrator retries.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from medvigil.accounts import services
from medvigil.audit.services import record
from medvigil.platform.queues import interactive_task


def invitation_link(base_url: str, user: Any) -> str:
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return base_url.rstrip("/") + path


@interactive_task
def send_invitation_task(user_id: int, base_url: str) -> dict[str, Any]:
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None or not user.email:
        return {"skipped": "no account or no address"}
    send_mail(
        "Your medvigil account",
        f"An account named {user.get_username()} was created for you on medvigil.\n"
        f"Choose your password here (the link works once): {invitation_link(base_url, user)}\n",
        None,
        [user.email],
    )
    record("invitation-sent", user, details={"email": user.email})
    return {"sent_to": 1}


def invite(base_url: str, **account: Any) -> Any:
    """Create the account (`services.create_account`) and queue its invitation, atomically.

    `base_url` is the site's address as the inviting request reached it (the
    link in the mail points there).
    """
    with transaction.atomic():
        user = services.create_account(**account)
        if user.email:
            send_invitation_task.enqueue(user.pk, base_url)
    return user
