"""Checking a write before it is stored, and the one error every refusal raises."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone

from medvigil.platform.problems import Problem


class PortfolioError(Problem):
    """A write refused by a portfolio rule; nothing was changed.

    `errors` maps a field name to its messages when the fault is in one field.
    """

    def __init__(
        self, detail: str, *, status: int = 422, errors: Mapping[str, list[str]] | None = None
    ) -> None:
        self.field_errors = dict(errors or {})
        listed = [
            {"location": [field], "message": message}
            for field, messages in self.field_errors.items()
            for message in messages
        ]
        super().__init__(status, detail, **({"errors": listed} if listed else {}))


def today() -> datetime.date:
    return timezone.now().date()


def validated(instance: Model, *, exclude: Sequence[str] = ()) -> None:
    """Run the model's own checks (choices, lengths, uniqueness, constraints)."""
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        messages = {
            field: [str(message) for message in items]
            for field, items in error.message_dict.items()
        }
        summary = "; ".join(f"{field}: {' '.join(items)}" for field, items in messages.items())
        raise PortfolioError(f"The values are not valid: {summary}", errors=messages) from error


def assign(instance: Model, values: Mapping[str, Any], allowed: Sequence[str]) -> None:
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise PortfolioError(f"These fields cannot be set here: {', '.join(unknown)}.")
    for field, value in values.items():
        setattr(instance, field, value)


def saved(instance: Model) -> None:
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        raise PortfolioError(
            f"The {instance._meta.verbose_name} conflicts with an existing record.", status=409
        ) from error
