"""Every write of the disclosure program: one transaction each, with its audit event.

Audit events name the case and what happened, never what the reporter wrote:
the report's text lives only encrypted in the case. Refusals raise
`DisclosureError` (a problem document in the API, a message on pages) and
store nothing.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cvss import CVSS3, CVSS4
from cvss.exceptions import CVSSError
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from medvigil.audit.services import record
from medvigil.disclosure import (
    attachments,
    encryption,
    openpgp,
    reporter_keys,
    throttle,
    workflow,
)
from medvigil.disclosure.models import (
    AffectedVersion,
    Attachment,
    Case,
    CaseState,
    CaseTransition,
    EncryptedReply,
    Message,
    MessageKind,
    ReporterKey,
)
from medvigil.platform.problems import Problem
from medvigil.portfolio.models import Product, ProductVersion


class DisclosureError(Problem):
    """A write refused by a disclosure rule; nothing was stored."""

    def __init__(
        self, detail: str, *, status: int = 422, errors: Mapping[str, list[str]] | None = None
    ) -> None:
        self.field_errors = dict(errors or {})
        listed = [
            {"location": [name], "message": message}
            for name, messages in self.field_errors.items()
            for message in messages
        ]
        super().__init__(status, detail, **({"errors": listed} if listed else {}))


@dataclass(frozen=True)
class ReportData:
    title: str
    description: str
    steps: str = ""
    impact: str = ""
    product: Product | None = None
    product_text: str = ""
    version_text: str = ""
    cvss_vector: str = ""
    reporter_name: str = ""
    reporter_email: str = ""
    credit_name: str = ""
    files: Sequence[tuple[str, bytes]] = field(default_factory=tuple)
    reporter_public_key: str = ""


@dataclass(frozen=True)
class Receipt:
    case: Case
    follow_up_token: str  # shown once; only its SHA-256 is stored


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def scored_vector(vector: str) -> tuple[str, Decimal | None]:
    """The cleaned CVSS 3.x/4.0 vector and its base score; refuses a malformed one."""
    vector = vector.strip()
    if not vector:
        return "", None
    try:
        if vector.startswith("CVSS:4.0/"):
            parsed4 = CVSS4(vector)
            return parsed4.clean_vector(), Decimal(str(parsed4.base_score))
        if vector.startswith(("CVSS:3.0/", "CVSS:3.1/")):
            parsed3 = CVSS3(vector)
            return parsed3.clean_vector(), Decimal(str(parsed3.scores()[0]))
    except CVSSError as error:
        raise DisclosureError(
            f"The CVSS vector is not valid: {error}", errors={"cvss_vector": [str(error)]}
        ) from error
    raise DisclosureError(
        "The CVSS vector must start with CVSS:3.0/, CVSS:3.1/ or CVSS:4.0/.",
        errors={"cvss_vector": ["Unknown CVSS version."]},
    )


def check_lengths(values: Mapping[str, str]) -> None:
    limit = settings.DISCLOSURE_TEXT_MAX_CHARACTERS
    too_long = {
        name: [f"Longer than {limit} characters."]
        for name, text in values.items()
        if len(text) > limit
    }
    if too_long:
        raise DisclosureError(
            f"Some fields are longer than {limit} characters.", status=413, errors=too_long
        )


def next_number(year: int) -> str:
    prefix = f"MV-{year}-"
    numbers = Case.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    highest = max((int(number.removeprefix(prefix)) for number in numbers), default=0)
    return f"{prefix}{highest + 1:04d}"


def readable(text: str) -> tuple[str, bool]:
    """An OpenPGP message encrypted to the disclosure key, decrypted; other text as is."""
    if openpgp.is_armoured_message(text):
        plaintext = openpgp.decrypt(text)
        if plaintext is not None:
            return plaintext, True
    return text, False


def checked_files(files: Sequence[tuple[str, bytes]]) -> list[attachments.CheckedFile]:
    if len(files) > settings.DISCLOSURE_ATTACHMENTS_PER_SUBMISSION:
        raise DisclosureError(
            f"At most {settings.DISCLOSURE_ATTACHMENTS_PER_SUBMISSION} attachments per report.",
            errors={"attachments": ["Too many files."]},
        )
    try:
        return [attachments.check(name, content) for name, content in files]
    except attachments.AttachmentRefused as error:
        status = 413 if "larger than" in str(error) else 415
        raise DisclosureError(
            str(error), status=status, errors={"attachments": [str(error)]}
        ) from error


def checked_reporter_key(text: str) -> reporter_keys.CheckedKey | None:
    if not text.strip():
        return None
    try:
        return reporter_keys.check(text)
    except reporter_keys.KeyRefused as error:
        raise DisclosureError(str(error), errors={"reporter_public_key": [str(error)]}) from error


def submit_report(data: ReportData, *, reporter_user: Any, address: str) -> Receipt:
    """Store a report from the portal or the API; refuse it whole when a rule says no."""
    title, description = data.title.strip(), data.description.strip()
    if not title or not description:
        raise DisclosureError(
            "A report needs a title and a description.",
            errors={
                name: ["Required."]
                for name, text in (("title", title), ("description", description))
                if not text
            },
        )
    check_lengths(
        {"title": title, "description": description, "steps": data.steps, "impact": data.impact}
    )
    vector, score = scored_vector(data.cvss_vector)
    files = checked_files(data.files)
    reporter_key = checked_reporter_key(data.reporter_public_key)
    description, arrived_encrypted = readable(description)
    steps, steps_encrypted = readable(data.steps.strip())
    user = reporter_user if getattr(reporter_user, "pk", None) else None
    token = secrets.token_urlsafe(32)
    written: list[str] = []
    try:
        with transaction.atomic():
            # Counted and recorded in one transaction, serialised per address, so
            # concurrent requests from one address cannot all slip under the limit.
            throttle.lock(address)
            if not throttle.allows(address):
                raise DisclosureError(
                    "Too many reports from your address in the last hour; please try again.",
                    status=429,
                )
            now = timezone.now()
            case = Case(
                number=next_number(now.year),
                received_at=now,
                reporter_user=user,
                reporter_name=data.reporter_name.strip()[:200],
                reporter_email=data.reporter_email.strip()[:254],
                credit_name=data.credit_name.strip()[:200],
                product=data.product,
                product_text=data.product_text.strip()[:200],
                version_text=data.version_text.strip()[:100],
                title_sealed=encryption.seal_text(title[:300]),
                description_sealed=encryption.seal_text(description),
                steps_sealed=encryption.seal_text(steps),
                impact_sealed=encryption.seal_text(data.impact.strip()),
                cvss_vector=vector,
                cvss_score=score,
                arrived_encrypted=arrived_encrypted or steps_encrypted,
                follow_up_token_hash=token_hash(token),
            )
            case.save()
            CaseTransition.objects.create(
                case=case, to_state=CaseState.RECEIVED, occurred_at=now, recorded_by=user
            )
            for checked in files:
                stored_name = attachments.store(checked.content)
                written.append(stored_name)
                Attachment.objects.create(
                    case=case,
                    filename=checked.filename,
                    content_type=checked.content_type,
                    size=len(checked.content),
                    sha256=checked.sha256,
                    stored_name=stored_name,
                    uploaded_at=now,
                )
            if reporter_key is not None:
                ReporterKey.objects.create(
                    case=case,
                    fingerprint=reporter_key.fingerprint,
                    armoured=reporter_key.armoured,
                    added_at=now,
                )
            throttle.remember(address)
            record(
                "disclosure-case-received",
                case,
                details={
                    "anonymous": user is None and not case.reporter_email,
                    "arrived_encrypted": case.arrived_encrypted,
                    "attachments": len(files),
                    "reporter_key": reporter_key.fingerprint if reporter_key else "",
                },
            )
    except IntegrityError as error:
        for stored_name in written:
            attachments.discard(stored_name)
        raise DisclosureError(
            "Two reports arrived at once; please send yours again.", status=409
        ) from error
    except BaseException:
        for stored_name in written:
            attachments.discard(stored_name)
        raise
    return Receipt(case, token)


@transaction.atomic
def transition(case: Case, *, user: Any, target: str, outcome: str = "", note: str = "") -> Case:
    """Move the case to `target` (dated now, audited); triage carries its outcome."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    reason = workflow.refusal(case.state, target, outcome, case.outcome)
    if reason:
        raise DisclosureError(reason, status=409, errors={"state": [reason]})
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
    setattr(case, workflow.DATE_FIELD[target], now)
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


@transaction.atomic
def post_message(case: Case, *, user: Any, kind: str, body: str) -> Message:
    """A message from or to the reporter, or an internal note; kept encrypted."""
    body = body.strip()
    if not body:
        raise DisclosureError("A message needs some text.", errors={"body": ["Required."]})
    if kind not in MessageKind.values:
        raise DisclosureError(f"There is no message kind {kind!r}.")
    check_lengths({"body": body})
    body, _ = readable(body)
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


def seal_for_reporter(case: Case, message: Message, body: str) -> None:
    """Encrypt a reply to the reporter's own key (when they gave one) and mail it."""
    from medvigil.disclosure import reply_mail

    key = ReporterKey.objects.filter(case=case).first()
    if key is not None:
        try:
            armoured = reporter_keys.encrypt(key.armoured, key.fingerprint, body)
        except reporter_keys.KeyRefused as error:
            raise DisclosureError(f"The reply was not sent: {error}", status=409) from error
        EncryptedReply.objects.create(
            message=message, fingerprint=key.fingerprint, armoured=armoured
        )
    if case.reporter_email:
        transaction.on_commit(lambda: reply_mail.send_reply_task.enqueue(message.pk))


@transaction.atomic
def set_reporter_key(case: Case, text: str) -> ReporterKey:
    """Add or replace the reporter's key; later replies are encrypted to it."""
    checked = checked_reporter_key(text)
    if checked is None:
        raise DisclosureError(
            "Paste your OpenPGP public key.", errors={"reporter_public_key": ["Required."]}
        )
    key, _ = ReporterKey.objects.update_or_create(
        case=case,
        defaults={
            "fingerprint": checked.fingerprint,
            "armoured": checked.armoured,
            "added_at": timezone.now(),
        },
    )
    record("disclosure-reporter-key-set", case, details={"fingerprint": checked.fingerprint})
    return key


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
            raise DisclosureError(
                f"Unknown time zone {time_zone!r}.", errors={"time_zone": ["Unknown."]}
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
