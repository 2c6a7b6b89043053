"""The hash chain of the audit trail: canonical form, hashing and verification."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

GENESIS_HASH = "0" * 64
CHAINED_FIELDS = (
    "sequence",
    "occurred_at",
    "actor_id",
    "actor_label",
    "token_id",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "changes",
    "details",
    "request_id",
    "client_address",
)


def canonical_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    return value


def canonical_json(fields: dict[str, Any]) -> bytes:
    """Sorted keys, no spaces, UTF-8: the same bytes on every database and machine."""
    document = {name: canonical_value(fields[name]) for name in CHAINED_FIELDS}
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_hash(previous_hash: str, fields: dict[str, Any]) -> str:
    digest = hashlib.sha256()
    digest.update(previous_hash.encode("ascii"))
    digest.update(canonical_json(fields))
    return digest.hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    reason: str


@dataclass(frozen=True)
class Verification:
    checked: int
    first_break: ChainBreak | None

    @property
    def intact(self) -> bool:
        return self.first_break is None


def verify(events: Iterable[dict[str, Any]]) -> Verification:
    """Walk events in sequence order; report the first one that does not fit the chain."""
    previous = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    for event in events:
        sequence = event["sequence"]
        if sequence != expected_sequence:
            return Verification(
                checked,
                ChainBreak(expected_sequence, f"event #{expected_sequence} is missing"),
            )
        if event["previous_hash"] != previous:
            return Verification(
                checked, ChainBreak(sequence, "its previous hash does not match the event before")
            )
        if event_hash(previous, event) != event["hash"]:
            return Verification(
                checked, ChainBreak(sequence, "its content does not match its hash (altered)")
            )
        previous = event["hash"]
        expected_sequence += 1
        checked += 1
    return Verification(checked, None)
