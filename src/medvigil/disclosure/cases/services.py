"""Every write of case handling: one transaction each, with its audit event.

Audit events name the case and what happened, never what the reporter wrote:
the report's text lives only encrypted in the case. Refusals raise
`Refusal` (a problem document in the API, errors beside the fields on pages)
and store nothing. The report itself arrives through `intake.services`.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from medvigil.audit.services import record
from medvigil.disclosure.cases import workflow
from medvigil.disclosure.cases.models import (
    AffectedVersion,
    Case,
    CaseState,
    CaseTransition,
    FixAvailability,
    Message,
    MessageKind,
)
from medvigil.disclosure.intake import encryption
from medvigil.disclosure.keys.openpgp import readable
from medvigil.disclosure.notifications.reply_mail import seal_for_reporter
from medvigil.platform.refusals import Kind, Refusal
from medvigil.portfolio.models import ProductVersion


def actor(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_lengths(values: Mapping[str, str]) -> None:
    limit = settings.DISCLOSURE_TEXT_MAX_CHARACTERS
    too_long = {
        name: [f"Longer than {limit} characters."]
        for name, text in values.items()
        if len(text) > limit
    }
    if too_long:
        raise Refusal(
            f"Some fields are longer than {limit} characters.", Kind.TOO_LARGE, errors=too_long
        )


@transaction.atomic
def transition(case: Case, *, user: Any, target: str, outcome: str = "", note: str = "") -> Case:
    """Move the case to `target` (dated now, audited); triage carries its outcome."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    reason = workflow.refusal(case.state, target, outcome, case.outcome)
    if reason:
        raise Refusal(reason, Kind.CONFLICT, errors={"state": [reason]})
    now = timezone.now()
    before = {"state": case.state, "outcome": case.outcome}
    CaseTransition.objects.create(
        case=case,
        from_state=case.state,
        to_state=target,
        outcome=outcome,
        note=note.strip(),
        occurred_at=now,
        recorded_by=user if getattr(user, "pk", None) else None,
    )
    case.state = target
    if outcome:
        case.outcome = outcome
    setattr(case, workflow.DATE_FIELD[CaseState(target)], now)
    case.last_reporter_update_at = now  # the reporter sees every state change
    case.full_clean()
    case.save()
    record(
        "disclosure-case-moved",
        case,
        changes={
            "state": [before["state"], case.state],
            "outcome": [before["outcome"], case.outcome],
        },
    )
    return case


def post_message(case: Case, *, user: Any, kind: str, body: str) -> Message:
    """A message from or to the reporter, or an internal note; kept encrypted.

    An OpenPGP message is decrypted (bounded) before the transaction opens, so a
    slow one never holds the database's write lock.
    """
    body = body.strip()
    if not body:
        raise Refusal("A message needs some text.", Kind.INVALID, errors={"body": ["Required."]})
    if kind not in MessageKind.values:
        raise Refusal(f"There is no message kind {kind!r}.", Kind.INVALID)
    check_lengths({"body": body})
    body, _ = readable(body, "body")
    with transaction.atomic():
        now = timezone.now()
        message = Message.objects.create(
            case=case,
            kind=kind,
            author=user if getattr(user, "pk", None) else None,
            body_sealed=encryption.seal_text(body),
            created_at=now,
        )
        if kind == MessageKind.TO_REPORTER:
            Case.objects.filter(pk=case.pk).update(last_reporter_update_at=now)
            seal_for_reporter(case, message, body)
        record("disclosure-message-posted", case, details={"kind": kind, "message_id": message.pk})
    return message


@transaction.atomic
def set_embargo(case: Case, *, user: Any, until: datetime.datetime | None, time_zone: str) -> Case:
    """Set (or lift, with None) the embargo: a local date and time in its own time zone."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    before = [case.embargo_until, case.embargo_time_zone]
    if until is None:
        case.embargo_until, case.embargo_time_zone = None, ""
    else:
        try:
            zone = ZoneInfo(time_zone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise Refusal(
                f"Unknown time zone {time_zone!r}.",
                Kind.INVALID,
                errors={"time_zone": ["Unknown."]},
            ) from error
        local = until.replace(tzinfo=zone) if until.tzinfo is None else until.astimezone(zone)
        case.embargo_until, case.embargo_time_zone = local, time_zone
    case.save(update_fields=["embargo_until", "embargo_time_zone"])
    record(
        "disclosure-embargo-set",
        case,
        changes={"embargo": [before, [case.embargo_until, case.embargo_time_zone]]},
    )
    return case


@transaction.atomic
def confirm_affected(
    case: Case, *, user: Any, version: ProductVersion, reason: str = ""
) -> AffectedVersion:
    """A person confirms that `version` is affected (from a suggestion or by choice)."""
    affected, created = AffectedVersion.objects.get_or_create(
        case=case,
        version=version,
        defaults={
            "reason": reason.strip()[:300],
            "confirmed_at": timezone.now(),
            "confirmed_by": user if getattr(user, "pk", None) else None,
        },
    )
    if created:
        record(
            "disclosure-affected-confirmed",
            case,
            details={"version_id": version.pk, "version": str(version), "reason": reason},
        )
    return affected


def aware(moment: datetime.datetime | None, name: str) -> datetime.datetime | None:
    if moment is None:
        return None
    if timezone.is_naive(moment):
        raise Refusal(
            f"{name} needs a time zone (for example 2026-09-14T10:00:00Z).",
            Kind.INVALID,
            errors={name: ["No time zone."]},
        )
    return moment


@transaction.atomic
def record_fix(
    case: Case, *, user: Any, available_at: datetime.datetime, description: str = ""
) -> FixAvailability:
    """When a fix or mitigation became available (replaces an earlier record)."""
    available = aware(available_at, "available_at")
    assert available is not None
    if available < case.received_at:
        raise Refusal(
            "A fix cannot be available before the report arrived.",
            Kind.INVALID,
            errors={"available_at": ["Before the report."]},
        )
    fix, _ = FixAvailability.objects.update_or_create(
        case=case,
        defaults={
            "available_at": available,
            "description": description.strip()[:300],
            "recorded_by": actor(user),
        },
    )
    record("disclosure-fix-recorded", case, details={"available_at": available})
    return fix
