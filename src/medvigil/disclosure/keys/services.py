"""The disclosure key's life: created once (audited), described for people."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import transaction

from medvigil.audit.services import record
from medvigil.disclosure.keys import openpgp
from medvigil.platform.refusals import Kind, Refusal

ADDRESS = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
LIFETIME = re.compile(r"^(0|[1-9][0-9]{0,3}[dwmy]?)$")


@dataclass(frozen=True)
class KeySummary:
    fingerprint: str
    user_id: str
    expires: str  # ISO date, or "" for a key that never expires


def summary() -> KeySummary | None:
    found = openpgp.fingerprint()
    if not found:
        return None
    [key] = [
        item for item in openpgp.keyring().list_keys(secret=True) if item["fingerprint"] == found
    ]
    expires = ""
    if key.get("expires"):
        expires = datetime.fromtimestamp(int(key["expires"]), tz=UTC).date().isoformat()
    return KeySummary(fingerprint=found, user_id=", ".join(key.get("uids", [])), expires=expires)


def create_key(*, name: str, email: str, expire: str = "2y") -> KeySummary:
    """Create the disclosure key; refused when one exists or the inputs are unusable."""
    name, email, expire = name.strip(), email.strip(), expire.strip()
    if openpgp.fingerprint():
        raise Refusal(
            "A disclosure key already exists; it is kept (rotation is not offered).", Kind.CONFLICT
        )
    if not name or any(char in name for char in "<>\n\r") or not name.isascii():
        raise Refusal("The name must be plain ASCII text without angle brackets.")
    if not ADDRESS.match(email) or not email.isascii():
        raise Refusal(f"{email!r} is not an email address.")
    if not LIFETIME.match(expire):
        raise Refusal(f"{expire!r} is not a lifetime such as 2y, 18m, 365d or 0 (never).")
    with transaction.atomic():
        fingerprint = openpgp.generate_key(name, email, expire=expire)
        details = {"fingerprint": fingerprint, "user_id": f"{name} <{email}>"}
        record("disclosure.key-created", None, details=details)
    made = summary()
    if made is None:
        raise Refusal("gpg reported a new key but the keyring does not list it.", Kind.CONFLICT)
    return made
