"""Electronic signatures in the manner of 21 CFR Part 11.

A record becomes signable by providing `signed_content() -> bytes`: the
canonical bytes of the fields that the signature vouches for. `sign`
re-authenticates the signer (password, and a TOTP code when the signer has
enrolled an authenticator), applies the separation-of-duties rules, stores
the signature with the SHA-256 of the content, and appends a "signed" audit
event in the same transaction. A refused attempt appends "signature-refused".

`signature_status` recomputes the content hash: a signature whose hash no
longer matches the record is shown as invalidated, never deleted.

Callers decide who may sign what (`permissions.require(user, "sign", record)`)
before calling `sign`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol, runtime_checkable

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice

from medvigil.audit.context import Actor, current
from medvigil.audit.models import Signature
from medvigil.audit.services import object_reference, record
from medvigil.platform.refusals import Kind, Refusal

Meaning = Signature.Meaning
# Separation of duties that no setting can relax: the author, each reviewer and the
# approver of a record are distinct people; whoever authored a record does not release it.
# A rule holds both ways (an approver may not later sign as reviewer or author either).
REQUIRED_RULES: dict[str, dict[str, list[str]]] = {
    "reviewed": {"not_same_as": ["authored"]},
    "approved": {"not_same_as": ["authored", "reviewed"]},
    "released": {"not_same_as": ["authored"]},
}
DEFAULT_RULES = REQUIRED_RULES
# The fields by which a record names the person who wrote it (its author).
AUTHOR_FIELDS = ("created_by_id", "recorded_by_id")


@runtime_checkable
class Signable(Protocol):
    def signed_content(self) -> bytes:
        """Canonical bytes of the fields that a signature vouches for."""
        ...


def content_hash(target: Signable) -> str:
    return hashlib.sha256(target.signed_content()).hexdigest()


def printed_name(user: Any) -> str:
    """The name printed under a signature: profile's printed name, full name, or username."""
    profile = getattr(user, "profile", None)  # None when the user has no profile yet
    written = str(getattr(profile, "printed_name", "") or "").strip()
    return written or user.get_full_name().strip() or user.get_username()


def signature_rules() -> dict[str, dict[str, list[str]]]:
    """The required rules, with any stricter ones that `settings.SIGNATURE_RULES` adds."""
    configured = getattr(settings, "SIGNATURE_RULES", {})
    rules: dict[str, dict[str, list[str]]] = {}
    for meaning in set(REQUIRED_RULES) | set(configured):
        excluded = list(REQUIRED_RULES.get(meaning, {}).get("not_same_as", []))
        for other in configured.get(meaning, {}).get("not_same_as", []):
            if other not in excluded:
                excluded.append(other)
        rules[meaning] = {"not_same_as": excluded}
    return rules


def conflicting_meanings(meaning: str) -> list[str]:
    """The meanings whose signer may not also sign with `meaning`: each rule holds both ways."""
    rules = signature_rules()
    conflicts = list(rules.get(meaning, {}).get("not_same_as", []))
    for other, rule in sorted(rules.items()):
        if meaning in rule.get("not_same_as", []) and other not in conflicts:
            conflicts.append(other)
    return conflicts


def author_ids(target: Model) -> set[Any]:
    """Who wrote the record, by its `created_by` or `recorded_by` field (if it has one)."""
    found = (getattr(target, name, None) for name in AUTHOR_FIELDS)
    return {value for value in found if value is not None}


def one_time_devices(user: Any) -> list[Any]:
    """The signer's confirmed authenticators, without static recovery codes."""
    return [
        device
        for device in devices_for_user(user, confirmed=True)
        if not isinstance(device, StaticDevice)
    ]


def check_identity(user: Any, password: str, otp_code: str | None) -> None:
    if user is None or not user.is_authenticated or not user.is_active:
        raise Refusal("Only an active, signed-in user can sign.", Kind.FORBIDDEN)
    if not password or not user.check_password(password):
        message = "The password is not right; the record was not signed."
        raise Refusal(message, errors={"password": message})
    devices = one_time_devices(user)
    if not devices:
        return
    code = (otp_code or "").strip()
    if not code:
        message = "Enter the code from your authenticator app: it is required to sign."
        raise Refusal(message, errors={"otp_code": message})
    if not any(device.verify_token(code) for device in devices):
        message = (
            "The authenticator code is not right, was already used, or came too soon after "
            "a wrong one (recovery codes cannot sign)."
        )
        raise Refusal(message, errors={"otp_code": message})


def check_separation_of_duties(user: Any, target: Model, meaning: str) -> None:
    object_type, object_id, _ = object_reference(target)
    own = Signature.objects.filter(object_type=object_type, object_id=object_id, signer=user)
    content = content_hash(target)  # type: ignore[arg-type]
    if own.filter(meaning=meaning, content_hash=content).exists():
        raise Refusal(f"You have already signed this record as {meaning}.", Kind.CONFLICT)
    excluded = conflicting_meanings(meaning)
    # Any earlier signature counts, even one the record's later changes invalidated.
    held = set(own.filter(meaning__in=excluded).values_list("meaning", flat=True))
    for other_meaning in excluded:
        if other_meaning in held:
            raise Refusal(
                f"Separation of duties: whoever signed this record as {other_meaning} "
                f"may not sign it as {meaning}.",
                Kind.FORBIDDEN,
            )
    if "authored" in excluded and user.pk in author_ids(target):
        raise Refusal(
            f"Separation of duties: the author of this record may not sign it as {meaning}.",
            Kind.FORBIDDEN,
        )


def acting_signer(user: Any) -> Actor:
    """The request's actor when it is the signer (keeps address and request id)."""
    present = current.get()
    if present.user is not None and present.user.pk == user.pk:
        return present
    return Actor(user=user, label=user.get_username())


def sign(
    user: Any,
    target: Model,
    meaning: str,
    password: str,
    otp_code: str | None = None,
    reason: str = "",
    effects: Callable[[Signature], None] | None = None,
) -> Signature:
    """Sign `target` with `meaning` after re-authenticating `user`; raises `Refusal`.

    The refusal is audited ("signature-refused") in its own transaction, so it
    stays in the trail even though no signature is made. `effects` runs inside
    the signature's transaction (a state the signature moves the record to,
    with its own event): both are stored, or neither.
    """
    actor = acting_signer(user) if user is not None and user.is_authenticated else None
    try:
        if meaning not in Meaning.values:
            message = (
                f"Unknown signature meaning {meaning!r}; use one of {', '.join(Meaning.values)}."
            )
            raise Refusal(message, errors={"meaning": message})
        if not isinstance(target, Signable):
            raise Refusal("This kind of record cannot be signed.", Kind.CONFLICT)
        check_identity(user, password, otp_code)
        with transaction.atomic():
            check_separation_of_duties(user, target, meaning)
            digest = content_hash(target)
            object_type, object_id, object_label = object_reference(target)
            name = printed_name(user)
            event = record(
                "signed",
                target,
                details={
                    "meaning": meaning,
                    "content_hash": digest,
                    "printed_name": name,
                    "reason": reason,
                },
                actor=actor,
            )
            signature = Signature.objects.create(
                object_type=object_type,
                object_id=object_id,
                object_label=object_label,
                signer=user,
                signer_username=user.get_username(),
                printed_name=name,
                meaning=meaning,
                reason=reason[:500],
                signed_at=event.occurred_at,
                content_hash=digest,
                audit_event=event,
            )
            if effects is not None:
                effects(signature)
            return signature
    except Refusal as refusal:
        record(
            "signature-refused",
            target,
            details={"meaning": str(meaning), "reason": str(refusal)},
            actor=actor,
        )
        raise


@dataclass(frozen=True)
class SignatureView:
    """A signature as shown to people: `valid` is False once the record has changed."""

    signer_username: str
    printed_name: str
    meaning: str
    meaning_label: str
    signed_at: datetime
    reason: str
    content_hash: str
    valid: bool

    @property
    def status(self) -> str:
        return "valid" if self.valid else "invalidated (the record changed after signing)"


def signatures_of(target: Model) -> list[Signature]:
    object_type, object_id, _ = object_reference(target)
    return list(Signature.objects.filter(object_type=object_type, object_id=object_id))


def signature_status(target: Model) -> list[SignatureView]:
    """Every signature of `target`, oldest first, each checked against the current content."""
    current_hash = content_hash(target) if isinstance(target, Signable) else None
    return [
        SignatureView(
            signer_username=signature.signer_username,
            printed_name=signature.printed_name,
            meaning=signature.meaning,
            meaning_label=signature.get_meaning_display(),
            signed_at=signature.signed_at,
            reason=signature.reason,
            content_hash=signature.content_hash,
            valid=signature.content_hash == current_hash,
        )
        for signature in signatures_of(target)
    ]


def signature_block(target: Model) -> list[str]:
    """Plain text lines that exports print under a signed record (one per signature)."""
    views = signature_status(target)
    if not views:
        return ["Electronic signatures: none"]
    lines = ["Electronic signatures:"]
    for view in views:
        moment = view.signed_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        line = f"  {view.meaning_label} by {view.printed_name} ({view.signer_username}) on {moment}"
        if view.reason:
            line += f"; reason: {view.reason}"
        line += " — valid" if view.valid else " — INVALIDATED: the record changed after signing"
        lines.append(line)
        lines.append(f"    content SHA-256 {view.content_hash}")
    return lines
