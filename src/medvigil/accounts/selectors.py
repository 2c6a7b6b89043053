"""Reads about people, always through the permission service."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from medvigil.accounts import mfa
from medvigil.accounts.models import ApiToken, Organisation, Team
from medvigil.platform import permissions
from medvigil.platform.refusals import Refusal


def users(viewer: Any) -> QuerySet[Any]:
    rows = get_user_model().objects.select_related("profile__organisation")
    return permissions.visible(viewer, rows.prefetch_related("role_assignments", "teams"))


def user_summary(user: Any) -> dict[str, Any]:
    profile = getattr(user, "profile", None)
    organisation = profile.organisation if profile is not None else None
    return {
        "id": user.pk,
        "username": user.get_username(),
        "email": user.email,
        "is_active": user.is_active,
        "roles": sorted(assignment.role for assignment in user.role_assignments.all()),
        "teams": sorted(team.name for team in user.teams.all()),
        "organisation": organisation.name if organisation else None,
        "last_login": user.last_login,
    }


def me(user: Any) -> dict[str, Any]:
    summary = user_summary(user)
    summary["second_factor_enrolled"] = mfa.confirmed_totp(user) is not None
    return summary


def tokens(viewer: Any) -> QuerySet[ApiToken]:
    return permissions.visible(viewer, ApiToken.objects.all())


def organisations(viewer: Any) -> QuerySet[Organisation]:
    return permissions.visible(viewer, Organisation.objects.all())


def teams(viewer: Any) -> QuerySet[Team]:
    return permissions.visible(viewer, Team.objects.all())


def teams_named(names: list[str]) -> list[Team]:
    found = list(Team.objects.filter(name__in=names))
    missing = set(names) - {team.name for team in found}
    if missing:
        message = f"No team named {', '.join(sorted(missing))}."
        raise Refusal(message, errors={"teams": message})
    return found


def organisation_named(name: str | None) -> Organisation | None:
    if not name:
        return None
    organisation = Organisation.objects.filter(name=name).first()
    if organisation is None:
        message = f"No organisation named {name!r}."
        raise Refusal(message, errors={"organisation": message})
    return organisation
