"""The one way a write is refused: `Refusal`, raised by services, shown by faces.

A refusal carries a message a person can act on, a kind that decides its
status everywhere (the status policy below), and per-field errors. The API
turns it into an RFC 9457 problem (`medvigil.platform.problems`), pages put
its errors beside their fields (`medvigil.platform.forms`), and commands
print it. Nothing is stored when a refusal is raised inside a transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    INVALID = "invalid"  # the input is wrong: fix it and send again
    CONFLICT = "conflict"  # the object's state does not allow this now
    FORBIDDEN = "forbidden"  # this person may not do this
    MISSING = "missing"  # no such object, or not visible to this person
    TOO_LARGE = "too-large"  # the input is larger than accepted
    TOO_MANY = "too-many"  # too many attempts; wait and try again
    UNREADABLE = "unreadable"  # the request itself cannot be understood


# The status policy, the same in every app.
STATUS: dict[Kind, int] = {
    Kind.INVALID: 422,
    Kind.CONFLICT: 409,
    Kind.FORBIDDEN: 403,
    Kind.MISSING: 404,
    Kind.TOO_LARGE: 413,
    Kind.TOO_MANY: 429,
    Kind.UNREADABLE: 400,
}


@dataclass(frozen=True)
class FieldError:
    """One error at a location: the field's path in the input (empty for the whole input)."""

    location: tuple[str, ...]
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"location": list(self.location), "message": self.message}


ErrorsGiven = Mapping[str, str | Iterable[str]] | Iterable[FieldError | Mapping[str, Any]] | None


def _field_errors(errors: ErrorsGiven) -> tuple[FieldError, ...]:
    if errors is None:
        return ()
    if isinstance(errors, Mapping):
        found: list[FieldError] = []
        for field, messages in errors.items():
            location = tuple(part for part in field.split(".") if part)
            for message in [messages] if isinstance(messages, str) else messages:
                found.append(FieldError(location, message))
        return tuple(found)
    return tuple(
        error
        if isinstance(error, FieldError)
        else FieldError(tuple(str(part) for part in error["location"]), str(error["message"]))
        for error in errors
    )


class Refusal(Exception):
    """A write (or a read) refused, with the reason and where in the input it lies.

    `errors` maps a field name (dotted for nested fields) to its message or
    messages, or is a sequence of `FieldError` (or of `{location, message}`).
    Extra keyword arguments are facts a client may act on (for example
    `retry_after`), sent with the problem.
    """

    def __init__(
        self,
        message: str,
        kind: Kind = Kind.INVALID,
        errors: ErrorsGiven = None,
        **facts: Any,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.kind = Kind(kind)
        self.errors = _field_errors(errors)
        self.facts = facts

    @property
    def status(self) -> int:
        return STATUS[self.kind]

    @property
    def messages(self) -> list[str]:
        """Every message, the general one first: for a command line or a flash message."""
        # A field's message that repeats the general one is said once.
        details = [
            f"{'.'.join(error.location)}: {error.message}" if error.location else error.message
            for error in self.errors
            if error.message != self.message
        ]
        return [self.message, *details]

    def __str__(self) -> str:
        return self.message


def refused(message: str, **errors: str) -> Refusal:
    """Shorthand for an invalid input with errors on named fields."""
    return Refusal(message, Kind.INVALID, errors)
