"""The one place that decides who may see and do what.

Roles say what kind of work a user does; object policies say which objects
they may touch. Each app registers a `Policy` for its models (in its
`policies.py`, loaded when the app is ready); views, API endpoints and
selectors ask here through `visible`, `can` and `require`, never by testing
roles themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from medvigil.platform.roles import EDITING_ROLES, INSIDE_ROLES, OUTSIDE_ROLES, Role

ModelType = TypeVar("ModelType", bound=Model)


def roles_of(user: Any) -> frozenset[str]:
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_medvigil_roles", None)
    if cached is None:
        cached = frozenset(user.role_assignments.values_list("role", flat=True))
        if user.is_superuser:
            cached = cached | {Role.ADMINISTRATOR.value}
        user._medvigil_roles = cached
    return cached


def has_role(user: Any, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def is_administrator(user: Any) -> bool:
    return Role.ADMINISTRATOR.value in roles_of(user)


def is_inside(user: Any) -> bool:
    return bool(roles_of(user) & INSIDE_ROLES)


def is_outside(user: Any) -> bool:
    held = roles_of(user)
    return bool(held & OUTSIDE_ROLES) and not (held & INSIDE_ROLES)


def can_edit(user: Any) -> bool:
    """Holds an inside role that changes records (every inside role but Viewer)."""
    return bool(roles_of(user) & EDITING_ROLES)


def organisation_id(user: Any) -> int | None:
    profile = getattr(user, "profile", None) if user is not None else None
    return profile.organisation_id if profile is not None else None


def team_ids(user: Any) -> set[int]:
    if user is None or not user.is_authenticated:
        return set()
    cached = getattr(user, "_medvigil_team_ids", None)
    if cached is None:
        cached = set(user.teams.values_list("id", flat=True))
        user._medvigil_team_ids = cached
    return cached


@dataclass(frozen=True)
class Policy:
    """Object-level rules for one model.

    `scope` narrows a queryset to what the user may see; `allows` answers an
    action ("view", "change", "delete", "sign", ...) on a visible object.
    `by_access_profile` promises that `scope` depends on the user only through
    `access_profile` (roles, teams, organisation), never on who they are, so
    people sharing a profile may be asked about at once (alert fan-out).
    """

    scope: Callable[[Any, QuerySet[Any]], QuerySet[Any]]
    allows: Callable[[Any, str, Any], bool]
    by_access_profile: bool = False


AccessProfile = tuple[frozenset[str], frozenset[int], int | None]


def access_profile(user: Any) -> AccessProfile:
    """What a profile-scoped policy may look at: roles, teams, organisation."""
    return roles_of(user), frozenset(team_ids(user)), organisation_id(user)


def remember_access(user: Any, roles: set[str], teams: set[int]) -> None:
    """Cache a user's roles and teams, loaded by the caller for many users at once."""
    held = frozenset(roles)
    user._medvigil_roles = held | {Role.ADMINISTRATOR.value} if user.is_superuser else held
    user._medvigil_team_ids = set(teams)


POLICIES: dict[type[Model], Policy] = {}


def register_policy(model: type[Model], policy: Policy) -> None:
    POLICIES[model] = policy


def policy_for(model: type[Model]) -> Policy:
    try:
        return POLICIES[model]
    except KeyError:
        # No policy means nobody but an administrator gets anything: fail closed.
        return Policy(
            scope=lambda user, rows: rows if is_administrator(user) else rows.none(),
            allows=lambda user, action, target: is_administrator(user),
        )


def visible(user: Any, queryset: QuerySet[ModelType]) -> QuerySet[ModelType]:
    if not roles_of(user):
        return queryset.none()
    return policy_for(queryset.model).scope(user, queryset)


def can(user: Any, action: str, target: Model) -> bool:
    model = type(target)
    if not visible(user, model._default_manager.filter(pk=target.pk)).exists():
        return False
    return policy_for(model).allows(user, action, target)


def require(user: Any, action: str, target: Model) -> None:
    """Http404 when the object is not visible (never confirm it exists), else 403."""
    model = type(target)
    if not visible(user, model._default_manager.filter(pk=target.pk)).exists():
        raise Http404("No such object, or it is not visible to you.")
    if not policy_for(model).allows(user, action, target):
        raise PermissionDenied(f"You may not {action} this {model._meta.verbose_name}.")


def get_visible(user: Any, queryset: QuerySet[ModelType], **lookup: Any) -> ModelType:
    """Fetch one object the user may see, or Http404 (same answer as a missing id)."""
    try:
        return visible(user, queryset).get(**lookup)
    except ObjectDoesNotExist as error:
        raise Http404("No such object, or it is not visible to you.") from error
