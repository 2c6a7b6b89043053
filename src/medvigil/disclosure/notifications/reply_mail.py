"""Email to the reporter when the PSIRT replies, and to a party's account when it writes.

A reporter who gave an OpenPGP key receives the reply itself, encrypted to
that key (ASCII-armoured in the body). Without a key the mail only says a
reply is waiting behind the follow-up link: the reply's text never travels
in clear. A party's account is only told that a message is waiting. Each mail
is a task queued in the transaction that writes its message, so a message is
never committed without its mail, nor a mail queued for a rolled-back message.
A failed send stays a failed task, which an administrator retries.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse

from medvigil.disclosure.cases.models import (
    Case,
    Message,
)
from medvigil.disclosure.intake import reporter_keys
from medvigil.disclosure.intake.models import EncryptedReply, ReporterKey
from medvigil.disclosure.parties.models import PartyMessage
from medvigil.platform.queues import interactive_task
from medvigil.platform.refusals import Kind, Refusal


def reply_mail(message_id: int) -> EmailMessage | None:
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


def party_notice(party_message_id: int) -> EmailMessage | None:
    """Tell a party's account that the PSIRT wrote; the text stays behind the sign-in."""
    message = (
        PartyMessage.objects.select_related("party__case", "party__user")
        .filter(pk=party_message_id)
        .first()
    )
    if message is None or message.party.user is None or not message.party.user.email:
        return None
    party = message.party
    return EmailMessage(
        subject=f"[{party.case.number}] Message from the PSIRT",
        body=(
            f"The PSIRT of {settings.DISCLOSURE_ORGANISATION} wrote to {party.name} on case "
            f"{party.case.number}. Sign in and open "
            f"{reverse('disclosure:party-detail', args=[party.pk])} to read it."
        ),
        to=[message.party.user.email],
    )


@interactive_task
def send_party_notice_task(party_message_id: int) -> dict[str, Any]:
    mail = party_notice(party_message_id)
    if mail is None:
        return {"skipped": "no account email"}
    mail.send(fail_silently=False)
    return {"sent_to": len(mail.to)}


def seal_for_reporter(case: Case, message: Message, body: str) -> None:
    """Encrypt a reply to the reporter's own key (when they gave one) and mail it."""
    key = ReporterKey.objects.filter(case=case).first()
    if key is not None:
        try:
            armoured = reporter_keys.encrypt(key.armoured, key.fingerprint, body)
        except Refusal as error:
            raise Refusal(f"The reply was not sent: {error}", Kind.CONFLICT) from error
        EncryptedReply.objects.create(
            message=message, fingerprint=key.fingerprint, armoured=armoured
        )
    if case.reporter_email:  # in the reply's transaction: committed with it, or not at all
        send_reply_task.enqueue(message.pk)
