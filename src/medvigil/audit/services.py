"""Appending to the audit trail. Every service that writes a record calls `record`."""

from __future__ import annotations

import json
import logging
import smtplib
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from medvigil.audit import chain, checkpoints
from medvigil.audit.context import Actor, current
from medvigil.audit.models import AuditEvent, AuditEventLink

logger = logging.getLogger(__name__)

# Any fixed 64-bit number: the PostgreSQL advisory lock that serialises appends.
CHAIN_LOCK = 7_302_117_116_105_108


def json_safe(value: Any) -> Any:
    """The value exactly as it will read back from the JSON column."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def object_reference(target: Model | tuple[str, str] | None) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    if isinstance(target, tuple):
        return target[0], target[1], ""
    meta = target._meta
    return f"{meta.app_label}.{meta.model_name}", str(target.pk), str(target)[:255]


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for each field whose value differs."""
    names = list(dict.fromkeys([*before, *after]))
    return {
        name: [before.get(name), after.get(name)]
        for name in names
        if before.get(name) != after.get(name)
    }


def snapshot(instance: Model, fields: Iterable[str]) -> dict[str, Any]:
    return {name: json_safe(getattr(instance, name)) for name in fields}


def lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
    # SQLite: transactions start IMMEDIATE (settings), so writers are already serialised.


def record(
    action: str,
    target: Model | tuple[str, str] | None = None,
    *,
    changes: Mapping[str, Any] | None = None,
    details: Mapping[str, Any] | None = None,
    actor: Actor | None = None,
    concerning: Iterable[tuple[str, str]] = (),
) -> AuditEvent:
    """Append one event, in the caller's transaction (or its own).

    `concerning` names further objects (type, id) the event changed, for a
    batch event whose details list them: each object's history finds it.
    """
    who = actor or current.get()
    object_type, object_id, object_label = object_reference(target)
    with transaction.atomic():
        lock_chain()
        last = AuditEvent.objects.order_by("-sequence").values("sequence", "hash").first()
        fields: dict[str, Any] = {
            "sequence": (last["sequence"] + 1) if last else 1,
            "occurred_at": timezone.now(),
            "actor_id": who.user.pk if who.user is not None else None,
            "actor_label": who.label[:255],
            "token_id": who.token_id,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "object_label": object_label,
            "changes": json_safe(dict(changes or {})),
            "details": json_safe(dict(details or {})),
            "request_id": who.request_id,
            "client_address": who.client_address,
        }
        previous_hash = last["hash"] if last else chain.GENESIS_HASH
        event = AuditEvent.objects.create(
            **fields, previous_hash=previous_hash, hash=chain.event_hash(previous_hash, fields)
        )
        AuditEventLink.objects.bulk_create(
            [
                AuditEventLink(event=event, object_type=kind, object_id=str(identifier))
                for kind, identifier in concerning
            ],
            batch_size=5000,
        )
        return event


def verify_chain(batch_size: int = 2000) -> chain.Verification:
    rows = (
        AuditEvent.objects.order_by("sequence")
        .values("previous_hash", "hash", *chain.CHAINED_FIELDS)
        .iterator(chunk_size=batch_size)
    )
    return chain.verify(rows)


def hashes_between(after: int, up_to: int) -> dict[int, str]:
    """{sequence: hash} of the events after `after` up to `up_to` included."""
    rows = AuditEvent.objects.filter(sequence__gt=after, sequence__lte=up_to)
    return dict(rows.values_list("sequence", "hash").iterator(chunk_size=5000))


def checkpoint_key(*, create: bool) -> bytes | None:
    return checkpoints.load_key(
        settings.AUDIT_CHECKPOINT_KEY, Path(settings.AUDIT_CHECKPOINT_KEY_FILE), create=create
    )


def take_checkpoint() -> checkpoints.Checkpoint:
    """Append a signed checkpoint of the chain head to the checkpoint file."""
    key = checkpoint_key(create=True)
    assert key is not None  # created when absent
    latest = AuditEvent.objects.order_by("-sequence")
    head = latest.values("sequence", "hash", "occurred_at").first()
    taken_at = timezone.now().isoformat(timespec="seconds")
    taken = checkpoints.append(
        Path(settings.AUDIT_CHECKPOINT_FILE),
        lambda previous: checkpoints.build(
            head, previous, hashes_between, key=key, taken_at=taken_at
        ),
    )
    mail_checkpoint(taken)
    return taken


def mail_checkpoint(checkpoint: checkpoints.Checkpoint) -> bool:
    """Mail the checkpoint line to AUDIT_CHECKPOINT_MAIL: a copy off this machine.

    A mail that cannot be sent is logged, never fatal: the line is already in the file.
    """
    recipients = list(settings.AUDIT_CHECKPOINT_MAIL)
    if not recipients:
        return False
    body = (
        f"medvigil took a signed checkpoint of its audit trail at {checkpoint.taken_at}: "
        f"event #{checkpoint.sequence}, hash {checkpoint.hash}.\n\n"
        "Keep this mail. `medvigil audit verify` compares the trail with the checkpoint\n"
        "file; compare that file with these lines to see whether it was cut or altered.\n\n"
        + checkpoints.line(checkpoint)
    )
    subject = f"medvigil audit checkpoint #{checkpoint.sequence}"
    try:
        send_mail(subject, body, None, recipients)
    except (OSError, smtplib.SMTPException):
        logger.exception("The audit checkpoint #%s could not be mailed", checkpoint.sequence)
        return False
    return True


def checkpoint_if_due() -> checkpoints.Checkpoint | None:
    """Periodic work: a checkpoint when the head moved and the last one is old enough.

    Several workers may run it at once: appends are locked, and a duplicate
    checkpoint of the same head is harmless.
    """
    minutes = settings.AUDIT_CHECKPOINT_MINUTES
    if not minutes:
        return None
    previous = checkpoints.last(Path(settings.AUDIT_CHECKPOINT_FILE))
    head = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()
    if previous is not None:
        if previous.sequence == (head or 0):
            return None
        taken_at = datetime.fromisoformat(previous.taken_at)
        if timezone.now() - taken_at < timedelta(minutes=minutes):
            return None
    elif head is None:
        return None
    return take_checkpoint()
