"""Signed checkpoints of the audit chain head, kept outside the database.

The hash chain shows an event altered in place, but not a cut tail or a
history re-hashed from some event on: whoever can write the table can also
recompute every later hash. A checkpoint is an anchor outside the database:
the head's sequence and hash (and the short hashes of the events since the
previous checkpoint), signed with HMAC-SHA256 under a key the database does
not hold, appended as one JSON line to a file. `compare` then names the first
event that no longer matches what a checkpoint saw.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from medvigil.audit.chain import GENESIS_HASH

# Short hashes listed per checkpoint: 16 hex characters (64 bits) per event,
# enough to name the first rewritten event; beyond this many, only the head.
SHORT_HASH = 16
MOST_LISTED = 20_000
SIGNED_FIELDS = ("sequence", "hash", "occurred_at", "taken_at", "since", "hashes", "key_id")


@dataclass(frozen=True)
class Checkpoint:
    """What the chain head was at `taken_at`; `hashes` covers events `since`+1 … `sequence`."""

    sequence: int
    hash: str
    occurred_at: str
    taken_at: str
    since: int
    hashes: str
    key_id: str
    signature: str = ""

    def signed_bytes(self) -> bytes:
        fields = {name: getattr(self, name) for name in SIGNED_FIELDS}
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()

    def listed_hash(self, sequence: int) -> str | None:
        """The short hash this checkpoint saw for `sequence`, when it lists one."""
        index = sequence - self.since - 1
        if not self.hashes or not 0 <= index < self.sequence - self.since:
            return None
        return self.hashes[index * SHORT_HASH : (index + 1) * SHORT_HASH]


@dataclass(frozen=True)
class CheckpointProblem:
    """A checkpoint the chain or the key does not agree with.

    `sequence` is the first event affected (None when the file itself is at fault).
    """

    line: int
    sequence: int | None
    message: str


def key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:16]


def signature(checkpoint: Checkpoint, key: bytes) -> str:
    return hmac.new(key, checkpoint.signed_bytes(), hashlib.sha256).hexdigest()


def load_key(given: str, key_file: Path, *, create: bool) -> bytes | None:
    """The given key, else the key file's, created (mode 0600) when `create` and absent."""
    if given:
        return given.encode()
    if key_file.exists():
        return key_file.read_text(encoding="ascii").strip().encode()
    if not create:
        return None
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(key)
    return key.encode()


def parse_line(text: str) -> Checkpoint:
    """One checkpoint line; ValueError when it is not one."""
    try:
        document = json.loads(text)
        return Checkpoint(
            sequence=int(document["sequence"]),
            hash=str(document["hash"]),
            occurred_at=str(document["occurred_at"]),
            taken_at=str(document["taken_at"]),
            since=int(document["since"]),
            hashes=str(document["hashes"]),
            key_id=str(document["key_id"]),
            signature=str(document["signature"]),
        )
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
        raise ValueError(f"not a checkpoint: {error}") from error


Numbered = list[tuple[int, Checkpoint]]  # (line number, checkpoint)


def read(path: Path, key: bytes | None) -> tuple[Numbered, list[CheckpointProblem]]:
    """Every checkpoint of the file whose signature verifies, and a problem for each other line."""
    found: Numbered = []
    problems: list[CheckpointProblem] = []
    if not path.exists():
        return found, problems
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                checkpoint = parse_line(text)
            except ValueError:
                problems.append(
                    CheckpointProblem(number, None, f"checkpoint line {number} cannot be read")
                )
                continue
            if key is None:
                message = f"checkpoint line {number} cannot be checked: the signing key is missing"
                problems.append(CheckpointProblem(number, None, message))
            elif checkpoint.key_id != key_id(key):
                message = (
                    f"checkpoint line {number} was signed with another key "
                    f"({checkpoint.key_id}, the current key is {key_id(key)})"
                )
                problems.append(CheckpointProblem(number, None, message))
            elif not hmac.compare_digest(checkpoint.signature, signature(checkpoint, key)):
                message = (
                    f"checkpoint line {number}: its signature does not verify "
                    "(the checkpoint file was altered)"
                )
                problems.append(CheckpointProblem(number, None, message))
            else:
                found.append((number, checkpoint))
    return found, problems


def last(path: Path) -> Checkpoint | None:
    """The last readable checkpoint of the file (signature unchecked: only to decide what's due)."""
    if not path.exists():
        return None
    with path.open("rb") as handle:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        # A line lists at most MOST_LISTED short hashes, so the last line fits in this tail.
        handle.seek(max(0, size - (MOST_LISTED * SHORT_HASH + 4096)))
        lines = handle.read().decode("utf-8", errors="replace").splitlines()
    for text in reversed(lines):
        try:
            return parse_line(text)
        except ValueError:
            continue
    return None


def line(checkpoint: Checkpoint) -> str:
    """The checkpoint as the file holds it: one JSON line."""
    return json.dumps(asdict(checkpoint), sort_keys=True, separators=(",", ":")) + "\n"


def append(path: Path, build: Callable[[Checkpoint | None], Checkpoint]) -> Checkpoint:
    """Append `build(previous checkpoint)` under an exclusive lock; the file is created 0600."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(descriptor, "r+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        checkpoint = build(last(path))
        handle.write(line(checkpoint).encode())
        handle.flush()
        os.fsync(handle.fileno())
    return checkpoint


def build(
    head: Mapping[str, Any] | None,
    previous: Checkpoint | None,
    hashes_between: Callable[[int, int], dict[int, str]],
    *,
    key: bytes,
    taken_at: str,
) -> Checkpoint:
    """A signed checkpoint of `head`, listing the short hashes of the events since `previous`."""
    sequence = head["sequence"] if head else 0
    since = previous.sequence if previous and previous.sequence <= sequence else 0
    listed = ""
    if sequence - since <= MOST_LISTED:
        current = hashes_between(since, sequence)
        listed = "".join(current[number][:SHORT_HASH] for number in range(since + 1, sequence + 1))
    unsigned = Checkpoint(
        sequence=sequence,
        hash=head["hash"] if head else GENESIS_HASH,
        occurred_at=head["occurred_at"].isoformat(timespec="microseconds") if head else "",
        taken_at=taken_at,
        since=since,
        hashes=listed,
        key_id=key_id(key),
    )
    return Checkpoint(**{**asdict(unsigned), "signature": signature(unsigned, key)})


def compare(
    checkpoints: Iterable[tuple[int, Checkpoint]],
    head_sequence: int,
    hash_at: Callable[[int], str | None],
    hashes_between: Callable[[int, int], dict[int, str]],
) -> list[CheckpointProblem]:
    """A problem for each checkpoint the chain no longer matches, with the first event affected."""
    problems: list[CheckpointProblem] = []
    for number, checkpoint in checkpoints:
        if checkpoint.sequence == 0:
            continue
        if checkpoint.sequence > head_sequence:
            message = (
                f"events after #{head_sequence} are missing: the chain ends at "
                f"#{head_sequence}, a checkpoint saw #{checkpoint.sequence} "
                f"(taken {checkpoint.taken_at})"
            )
            problems.append(CheckpointProblem(number, head_sequence + 1, message))
            continue
        if hash_at(checkpoint.sequence) == checkpoint.hash:
            continue
        first = first_difference(checkpoint, hashes_between)
        exact = "" if checkpoint.hashes else "at or after "
        message = (
            f"the history was rewritten {exact}event #{first}: a checkpoint saw "
            f"#{checkpoint.sequence} with hash {checkpoint.hash[:16]}… "
            f"(taken {checkpoint.taken_at}), the chain now has another"
        )
        problems.append(CheckpointProblem(number, first, message))
    return problems


def first_difference(
    checkpoint: Checkpoint, hashes_between: Callable[[int, int], dict[int, str]]
) -> int:
    """The first event absent or different from the checkpoint's list (since+1 when unlisted)."""
    if not checkpoint.hashes:
        return checkpoint.since + 1
    current = hashes_between(checkpoint.since, checkpoint.sequence)
    for sequence in range(checkpoint.since + 1, checkpoint.sequence + 1):
        if current.get(sequence, "")[:SHORT_HASH] != checkpoint.listed_hash(sequence):
            return sequence
    return checkpoint.sequence
