"""Builders of test data that go through the same paths as users do."""

from __future__ import annotations

import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser

PASSWORD = "correct horse battery staple 42"
_numbers = itertools.count(1)


def user(*, administrator: bool = False, username: str | None = None) -> AbstractUser:
    name = username or f"user{next(_numbers)}"
    model = get_user_model()
    if administrator:
        created = model.objects.create_superuser(name, f"{name}@example.org", PASSWORD)
    else:
        created = model.objects.create_user(name, f"{name}@example.org", PASSWORD)
    return created  # type: ignore[no-any-return]
