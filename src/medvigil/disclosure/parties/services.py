"""Other parties on a case: suppliers, coordinators, hospitals, other manufacturers.

A party sees the case summary, its own thread with the PSIRT and the
messages of the reporter thread a handler shared with it; never the internal
notes, and the report's text or the reporter's contact only when the handler
opted in. It reaches the case through an account whose role fits its kind,
or through a secret link whose SHA-256 only is stored (like the reporter's).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from medvigil.audit.services import record
from medvigil.disclosure.cases.models import Case, Message, MessageKind
from medvigil.disclosure.cases.services import check_lengths, token_hash
from medvigil.disclosure.intake import encryption
from medvigil.disclosure.notifications import reply_mail
from medvigil.disclosure.parties.models import CaseParty, PartyKind, PartyMessage, SharedMessage
from medvigil.platform import permissions
from medvigil.platform.refusals import Kind, Refusal
from medvigil.platform.roles import Role

# The account role each kind of party signs in with.
ROLES_OF_KIND = {
    PartyKind.SUPPLIER: {Role.SUPPLIER},
    PartyKind.COORDINATOR: {Role.RESEARCHER},
    PartyKind.HOSPITAL: {Role.CUSTOMER},
    PartyKind.MANUFACTURER: {Role.SUPPLIER, Role.RESEARCHER},
}


@dataclass(frozen=True)
class Invitation:
    party: CaseParty
    access_token: str  # "" when the party signs in with an account; shown once otherwise


def actor(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


@transaction.atomic
def invite(
    case: Case,
    *,
    user: Any,
    kind: str,
    name: str,
    account: Any = None,
    with_link: bool = False,
    sees_report: bool = False,
    sees_reporter_contact: bool = False,
) -> Invitation:
    """Add a party; it needs an account of the role its kind signs in with, or a link."""
    name = name.strip()
    if kind not in PartyKind.values:
        raise Refusal(
            f"There is no party kind {kind!r}.", Kind.INVALID, errors={"kind": ["Unknown."]}
        )
    if not name:
        raise Refusal("A party needs a name.", Kind.INVALID, errors={"name": ["Required."]})
    if account is None and not with_link:
        raise Refusal(
            "Choose an account for the party or give it a secret link.",
            Kind.INVALID,
            errors={"account": ["An account or a link is needed."]},
        )
    if account is not None:
        allowed = {role.value for role in ROLES_OF_KIND[PartyKind(kind)]}
        if not permissions.has_role(account, *allowed) or permissions.is_inside(account):
            raise Refusal(
                f"A {kind} party signs in with an outside account of role "
                f"{' or '.join(sorted(allowed))}.",
                Kind.INVALID,
                errors={"account": ["Wrong role for this kind of party."]},
            )
        if CaseParty.objects.filter(case=case, user=account).exists():
            raise Refusal(
                "That account is already a party on this case.",
                Kind.CONFLICT,
                errors={"account": ["Already a party."]},
            )
    token = secrets.token_urlsafe(32) if with_link else ""
    try:
        with transaction.atomic():
            party = CaseParty.objects.create(
                case=case,
                kind=kind,
                name=name[:200],
                user=account,
                access_token_hash=token_hash(token) if token else None,
                sees_report=sees_report,
                sees_reporter_contact=sees_reporter_contact,
                invited_by=actor(user),
                invited_at=timezone.now(),
            )
    except IntegrityError as error:  # the same account invited twice at once
        raise Refusal("That account is already a party on this case.", Kind.CONFLICT) from error
    record(
        "disclosure-party-invited",
        case,
        details={
            "party_id": party.pk,
            "kind": kind,
            "name": party.name,
            "account": account.get_username() if account is not None else "",
            "link": bool(token),
            "sees_report": sees_report,
            "sees_reporter_contact": sees_reporter_contact,
        },
    )
    return Invitation(party, token)


@transaction.atomic
def revoke(party: CaseParty, *, user: Any) -> CaseParty:
    """The party loses its view (account and link); its thread is kept for the record."""
    if party.revoked_at is None:
        party.revoked_at = timezone.now()
        party.save(update_fields=["revoked_at"])
        record("disclosure-party-revoked", party.case, details={"party_id": party.pk})
    return party


@transaction.atomic
def write(party: CaseParty, *, user: Any, body: str, from_party: bool) -> PartyMessage:
    """A message between the PSIRT and the party, kept encrypted like the report."""
    body = body.strip()
    if not body:
        raise Refusal("A message needs some text.", Kind.INVALID, errors={"body": ["Required."]})
    check_lengths({"body": body})
    if party.revoked_at is not None:
        raise Refusal("This party no longer takes part in the case.", Kind.CONFLICT)
    message = PartyMessage.objects.create(
        party=party,
        from_party=from_party,
        author=actor(user),
        body_sealed=encryption.seal_text(body),
        created_at=timezone.now(),
    )
    record(
        "disclosure-party-message",
        party.case,
        details={"party_id": party.pk, "from_party": from_party, "message_id": message.pk},
    )
    if not from_party and party.user_id is not None:  # committed with the message, or not at all
        reply_mail.send_party_notice_task.enqueue(message.pk)
    return message


@transaction.atomic
def share(party: CaseParty, message: Message, *, user: Any) -> SharedMessage:
    """Show one message of the reporter thread to the party (never an internal note)."""
    if message.case_id != party.case_id:
        raise Refusal("That message belongs to another case.", Kind.CONFLICT)
    if message.kind == MessageKind.INTERNAL:
        raise Refusal("Internal notes are never shared with a party.", Kind.CONFLICT)
    shared, created = SharedMessage.objects.get_or_create(
        party=party,
        message=message,
        defaults={"shared_by": actor(user), "shared_at": timezone.now()},
    )
    if created:
        record(
            "disclosure-message-shared",
            party.case,
            details={"party_id": party.pk, "message_id": message.pk},
        )
    return shared


# Reads ------------------------------------------------------------------------------------
