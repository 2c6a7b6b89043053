"""Writes about people: users, roles, teams, organisations. Each one audited."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail.message import sanitize_address
from django.core.validators import validate_email
from django.db import transaction

from medvigil.accounts import tokens
from medvigil.accounts.models import Organisation, Profile, RoleAssignment, Team, TeamMembership
from medvigil.audit.services import record
from medvigil.platform.refusals import Kind, Refusal
from medvigil.platform.roles import INSIDE_ROLES, ORGANISATION_KIND_OF_ROLE, OUTSIDE_ROLES, Role


def profile_of(user: Any) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def checked_password(password: str, user: Any, *, field: str) -> None:
    """Django's password validators, their messages refused beside the password field."""
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        message = f"Password refused: {' '.join(error.messages)}"
        raise Refusal(message, errors={field: error.messages}) from error


def check_role_combination(
    roles: set[str], organisation: Organisation | None, teams: Iterable[Team]
) -> None:
    unknown = roles - set(Role.values)
    if unknown:
        message = f"Unknown role(s): {', '.join(sorted(unknown))}."
        raise Refusal(message, errors={"roles": message})
    if roles & INSIDE_ROLES and roles & OUTSIDE_ROLES:
        message = "A user holds either inside roles or outside roles, not both."
        raise Refusal(message, errors={"roles": message})
    if roles & OUTSIDE_ROLES:
        if list(teams):
            message = "Outside users do not belong to teams."
            raise Refusal(message, errors={"teams": message})
        for role, kind in ORGANISATION_KIND_OF_ROLE.items():
            if role in roles and (organisation is None or organisation.kind != kind):
                message = f"A {role} user must belong to a {kind} organisation."
                raise Refusal(message, errors={"organisation": message})
    elif organisation is not None:
        message = "Inside users do not belong to an outside organisation."
        raise Refusal(message, errors={"organisation": message})


def check_email(email: str) -> None:
    """An address an invitation can be sent to ("" means none); else a refusal."""
    if not email:
        return
    try:
        validate_email(email)
        sanitize_address(email, "utf-8")  # what sending will do: IDNA, header encoding
    except (ValidationError, ValueError) as error:
        message = f"{email!r} is not an e-mail address."
        raise Refusal(message, errors={"email": message}) from error


@transaction.atomic
def create_account(
    *,
    username: str,
    email: str,
    roles: set[str],
    password: str | None = None,
    teams: Iterable[Team] = (),
    organisation: Organisation | None = None,
    printed_name: str = "",
) -> Any:
    """Create a user with roles; without a password the account waits for its invitation."""
    model = get_user_model()
    if model.objects.filter(username=username).exists():
        message = f"A user named {username!r} already exists."
        raise Refusal(message, Kind.CONFLICT, {"username": message})
    check_email(email)
    team_list = list(teams)
    check_role_combination(roles, organisation, team_list)
    user = model(username=username, email=email, is_active=True)
    if password is None:
        user.set_unusable_password()
    else:
        checked_password(password, user, field="password")
        user.set_password(password)
    user.is_superuser = user.is_staff = Role.ADMINISTRATOR in roles
    user.save()
    Profile.objects.create(user=user, organisation=organisation, printed_name=printed_name)
    RoleAssignment.objects.bulk_create(RoleAssignment(user=user, role=role) for role in roles)
    TeamMembership.objects.bulk_create(TeamMembership(user=user, team=team) for team in team_list)
    record(
        "user-created",
        user,
        changes={
            "roles": [None, sorted(roles)],
            "teams": [None, sorted(team.name for team in team_list)],
            "organisation": [None, organisation.name if organisation else None],
            "email": [None, email],
        },
    )
    return user


def current_roles(user: Any) -> set[str]:
    return set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))


@transaction.atomic
def set_access(
    user: Any,
    *,
    roles: set[str],
    teams: Iterable[Team],
    organisation: Organisation | None,
    by: Any = None,
) -> None:
    """Replace a user's roles, teams and organisation (a permission change, audited)."""
    team_list = list(teams)
    check_role_combination(roles, organisation, team_list)
    removing_own_administration = (
        by is not None
        and by.pk == user.pk
        and Role.ADMINISTRATOR not in roles
        and Role.ADMINISTRATOR in current_roles(user)
    )
    if removing_own_administration:
        message = "Administrators cannot remove their own administrator role."
        raise Refusal(message, Kind.CONFLICT, {"roles": message})
    profile = profile_of(user)
    before = {
        "roles": sorted(current_roles(user)),
        "teams": sorted(user.teams.values_list("name", flat=True)),
        "organisation": profile.organisation.name if profile.organisation else None,
    }
    RoleAssignment.objects.filter(user=user).exclude(role__in=roles).delete()
    existing = current_roles(user)
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=user, role=role) for role in roles - existing
    )
    TeamMembership.objects.filter(user=user).exclude(team__in=team_list).delete()
    kept = set(TeamMembership.objects.filter(user=user).values_list("team_id", flat=True))
    TeamMembership.objects.bulk_create(
        TeamMembership(user=user, team=team) for team in team_list if team.pk not in kept
    )
    profile.organisation = organisation
    profile.save(update_fields=["organisation"])
    user.is_superuser = user.is_staff = Role.ADMINISTRATOR in roles
    user.save(update_fields=["is_superuser", "is_staff"])
    after = {
        "roles": sorted(roles),
        "teams": sorted(team.name for team in team_list),
        "organisation": organisation.name if organisation else None,
    }
    changes = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    if changes:
        record("permissions-changed", user, changes=changes)


@transaction.atomic
def set_active(user: Any, active: bool, *, by: Any = None) -> None:
    """Deactivate or reactivate. Users are never deleted: the audit trail names them."""
    if by is not None and by.pk == user.pk and not active:
        raise Refusal("You cannot deactivate your own account.", Kind.CONFLICT)
    if user.is_active == active:
        return
    user.is_active = active
    user.save(update_fields=["is_active"])
    record(
        "user-activated" if active else "user-deactivated",
        user,
        changes={"is_active": [not active, active]},
    )
    if not active:
        tokens.revoke_access(user, "deactivated")


@transaction.atomic
def create_organisation(*, name: str, kind: str, contact_email: str = "") -> Organisation:
    if kind not in Organisation.Kind.values:
        message = f"Unknown organisation kind {kind!r}."
        raise Refusal(message, errors={"kind": message})
    if Organisation.objects.filter(name=name).exists():
        message = f"An organisation named {name!r} already exists."
        raise Refusal(message, Kind.CONFLICT, {"name": message})
    organisation = Organisation.objects.create(name=name, kind=kind, contact_email=contact_email)
    record(
        "organisation-created", organisation, changes={"name": [None, name], "kind": [None, kind]}
    )
    return organisation


@transaction.atomic
def create_team(*, name: str, description: str = "") -> Team:
    if Team.objects.filter(name=name).exists():
        message = f"A team named {name!r} already exists."
        raise Refusal(message, Kind.CONFLICT, {"name": message})
    team = Team.objects.create(name=name, description=description)
    record("team-created", team, changes={"name": [None, name]})
    return team


@transaction.atomic
def change_password(user: Any, new_password: str) -> None:
    checked_password(new_password, user, field="password")
    user.set_password(new_password)
    user.save(update_fields=["password"])
    record("password-changed", user)
    tokens.revoke_access(user, "password-changed")
