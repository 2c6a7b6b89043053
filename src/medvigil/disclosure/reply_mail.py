"""Email to the reporter when the PSIRT replies.

A reporter who gave an OpenPGP key receives the reply itself, encrypted to
that key (ASCII-armoured in the body). Without a key the mail only says a
reply is waiting behind the follow-up link: the reply's text never travels
in clear. A failed send stays a failed task, which an administrator retries.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage

from medvigil.web.queues import interactive_task


def reply_mail(message_id: int) -> EmailMessage | None:
    from medvigil.disclosure.models import EncryptedReply, Message

    message = Message.objects.select_related("case").filter(pk=message_id).first()
    if message is None or not message.case.reporter_email:
        return None
    case = message.case
    encrypted = EncryptedReply.objects.filter(message=message).first()
    if encrypted is not None:
        body = (
            f"The PSIRT of {settings.DISCLOSURE_ORGANISATION} replied on case {case.number}.\n"
            f"The reply is encrypted to your OpenPGP key {encrypted.fingerprint}:\n\n"
            f"{encrypted.armoured}"
        )
    else:
        body = (
            f"The PSIRT of {settings.DISCLOSURE_ORGANISATION} replied on case {case.number}.\n"
            "Open the follow-up link you received with your report to read it. "
            "Replies are not sent by email unless you give us your OpenPGP key."
        )
    return EmailMessage(
        subject=f"[{case.number}] Reply from the PSIRT",
        body=body,
        to=[case.reporter_email],
    )


@interactive_task
def send_reply_task(message_id: int) -> dict[str, Any]:
    mail = reply_mail(message_id)
    if mail is None:
        return {"skipped": "no reporter email"}
    mail.send(fail_silently=False)
    return {"sent_to": len(mail.to)}
