"""The intake's writes: a report from the portal or the API, and the reporter's own key.

Each runs in one transaction with its audit event; audit events name the case,
never what the reporter wrote. A refusal stores nothing, not even the files.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from cvss import CVSS3, CVSS4
from cvss.exceptions import CVSSError
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from medvigil.audit.services import record
from medvigil.disclosure.cases.models import (
    Case,
    CaseState,
    CaseTransition,
    Message,
    MessageKind,
)
from medvigil.disclosure.cases.services import check_lengths, post_message, token_hash
from medvigil.disclosure.intake import attachments, encryption, reporter_keys, throttle
from medvigil.disclosure.intake.models import Attachment, ReporterKey
from medvigil.disclosure.keys.openpgp import readable
from medvigil.platform.refusals import Kind, Refusal
from medvigil.portfolio.models import Product


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
        raise Refusal(
            f"The CVSS vector is not valid: {error}",
            Kind.INVALID,
            errors={"cvss_vector": [str(error)]},
        ) from error
    raise Refusal(
        "The CVSS vector must start with CVSS:3.0/, CVSS:3.1/ or CVSS:4.0/.",
        Kind.INVALID,
        errors={"cvss_vector": ["Unknown CVSS version."]},
    )


def next_number(year: int) -> str:
    prefix = f"MV-{year}-"
    numbers = Case.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    highest = max((int(number.removeprefix(prefix)) for number in numbers), default=0)
    return f"{prefix}{highest + 1:04d}"


def checked_files(files: Sequence[tuple[str, bytes]]) -> list[attachments.CheckedFile]:
    if len(files) > settings.DISCLOSURE_ATTACHMENTS_PER_SUBMISSION:
        raise Refusal(
            f"At most {settings.DISCLOSURE_ATTACHMENTS_PER_SUBMISSION} attachments per report.",
            Kind.INVALID,
            errors={"attachments": ["Too many files."]},
        )
    try:
        return [attachments.check(name, content) for name, content in files]
    except Refusal as refusal:
        raise Refusal(
            refusal.message, refusal.kind, errors={"attachments": [refusal.message]}
        ) from refusal


def checked_reporter_key(text: str) -> reporter_keys.CheckedKey | None:
    if not text.strip():
        return None
    try:
        return reporter_keys.check(text)
    except Refusal as refusal:
        raise Refusal(
            refusal.message, refusal.kind, errors={"reporter_public_key": [refusal.message]}
        ) from refusal


def submit_report(data: ReportData, *, reporter_user: Any, address: str) -> Receipt:
    """Store a report from the portal or the API; refuse it whole when a rule says no.

    Cheap checks first (required fields, lengths, attachments), then the rate
    limit of the address, and only then the expensive work (scoring, key import,
    decryption, file writes): a refused or limited request costs little.
    """
    title, description = data.title.strip(), data.description.strip()
    if not title or not description:
        raise Refusal(
            "A report needs a title and a description.",
            Kind.INVALID,
            errors={
                name: ["Required."]
                for name, text in (("title", title), ("description", description))
                if not text
            },
        )
    check_lengths(
        {"title": title, "description": description, "steps": data.steps, "impact": data.impact}
    )
    files = checked_files(data.files)
    throttle.take(throttle.REPORTS, address)
    vector, score = scored_vector(data.cvss_vector)
    reporter_key = checked_reporter_key(data.reporter_public_key)
    description, arrived_encrypted = readable(description, "description")
    steps, steps_encrypted = readable(data.steps.strip(), "steps")
    user = reporter_user if getattr(reporter_user, "pk", None) else None
    token = secrets.token_urlsafe(32)
    written: list[str] = []
    try:
        with transaction.atomic():
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
        raise Refusal(
            "Two reports arrived at once; please send yours again.", Kind.CONFLICT
        ) from error
    except BaseException:
        for stored_name in written:
            attachments.discard(stored_name)
        raise
    return Receipt(case, token)


def set_reporter_key(case: Case, text: str, *, address: str) -> ReporterKey:
    """Add or replace the reporter's key; later replies are encrypted to it.

    Limited per address and per case before the key is imported (gpg).
    """
    if not text.strip():
        raise Refusal(
            "Paste your OpenPGP public key.",
            Kind.INVALID,
            errors={"reporter_public_key": ["Required."]},
        )
    throttle.take(throttle.REPORTER_KEYS, address, case)
    checked = checked_reporter_key(text)
    assert checked is not None  # not blank, checked above
    with transaction.atomic():
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


def post_reporter_message(case: Case, body: str, *, user: Any, address: str) -> Message:
    """A message from the reporter on their case: limited per address and per case
    before it is decrypted and stored."""
    if body.strip():
        check_lengths({"body": body.strip()})
        throttle.take(throttle.MESSAGES, address, case)
    return post_message(case, user=user, kind=MessageKind.FROM_REPORTER, body=body)
