"""An invitation is a password-setting e-mail: the new account has no usable password."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.http import HttpRequest
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from medvigil.audit.services import record


def send_invitation(request: HttpRequest, user: Any) -> None:
    if not user.email:
        return
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    link = request.build_absolute_uri(path)
    send_mail(
        "Your medvigil account",
        f"An account named {user.get_username()} was created for you on medvigil.\n"
        f"Choose your password here (the link works once): {link}\n",
        None,
        [user.email],
    )
    record("invitation-sent", user, details={"email": user.email})
