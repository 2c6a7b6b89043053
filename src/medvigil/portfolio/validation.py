"""Checking a write before it is stored; what fails is refused whole with a `Refusal`."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone

from medvigil.platform.refusals import Kind, Refusal


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
        raise Refusal(f"The values are not valid: {summary}", errors=messages) from error


def assign(instance: Model, values: Mapping[str, Any], allowed: Sequence[str]) -> None:
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        message = f"These fields cannot be set here: {', '.join(unknown)}."
        raise Refusal(message, errors={field: "Cannot be set here." for field in unknown})
    for field, value in values.items():
        setattr(instance, field, value)


def saved(instance: Model) -> None:
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        raise Refusal(
            f"The {instance._meta.verbose_name} conflicts with an existing record.", Kind.CONFLICT
        ) from error
