"""People, tokens, organisations and teams over the API."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from ninja import Query, Router, Status

from medvigil.accounts import selectors, services, tokens
from medvigil.accounts.authentication import SessionAuthentication
from medvigil.accounts.invitations import invite
from medvigil.accounts.models import ApiToken
from medvigil.accounts.schemas import (
    AccessIn,
    AccountTeamOut,
    IssuedTokenOut,
    MeOut,
    OrganisationIn,
    OrganisationOut,
    TeamIn,
    TokenIn,
    TokenOut,
    UserIn,
    UserOut,
)
from medvigil.platform import permissions
from medvigil.platform.pagination import Page, PageQuery, paginate
from medvigil.platform.refusals import Kind, Refusal

router = Router(tags=["accounts"])


def require_administrator(request: HttpRequest) -> None:
    if not permissions.is_administrator(request.user):
        raise Refusal("Only administrators manage people, organisations and teams.", Kind.FORBIDDEN)


@router.get("/me", response=MeOut, summary="Who am I, with my roles and teams")
def me(request: HttpRequest) -> dict[str, Any]:
    return selectors.me(request.user)


@router.get("/tokens", response=list[TokenOut], summary="My API tokens, with last use")
def list_tokens(request: HttpRequest) -> list[ApiToken]:
    return list(selectors.tokens(request.user))


@router.post(
    "/tokens",
    response={201: IssuedTokenOut},
    auth=[SessionAuthentication()],
    summary="Create a token (from a signed-in session only); the secret is shown once",
)
def create_token(request: HttpRequest, payload: TokenIn) -> Status[Any]:
    issued = tokens.issue_token(
        request.user,
        name=payload.name,
        scope=payload.scope,
        lifetime_days=payload.lifetime_days,
    )
    body = TokenOut.model_validate(issued.token).model_dump()
    body["secret"] = issued.secret
    return Status(201, body)


@router.delete("/tokens/{token_id}", response={204: None}, summary="Revoke one of my tokens")
def revoke_token(request: HttpRequest, token_id: int) -> Status[Any]:
    token = permissions.get_visible(request.user, ApiToken.objects.all(), pk=token_id)
    tokens.revoke_token(token)
    return Status(204, None)


@router.get("/users", response=Page[UserOut], summary="People (administrators)")
def list_users(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    require_administrator(request)
    return paginate(
        selectors.users(request.user), page, ordering=("id",), serialize=selectors.user_summary
    )


@router.post("/users", response={201: UserOut}, summary="Invite a person (administrators)")
def invite_user(request: HttpRequest, payload: UserIn) -> Status[Any]:
    require_administrator(request)
    user = invite(
        request.build_absolute_uri("/"),
        username=payload.username,
        email=payload.email,
        roles=set(payload.roles),
        teams=selectors.teams_named(payload.teams),
        organisation=selectors.organisation_named(payload.organisation),
        printed_name=payload.printed_name,
    )
    return Status(201, selectors.user_summary(user))


@router.get("/users/{user_id}", response=UserOut, summary="One person")
def get_user(request: HttpRequest, user_id: int) -> dict[str, Any]:
    user = permissions.get_visible(request.user, get_user_model().objects.all(), pk=user_id)
    return selectors.user_summary(user)


@router.put("/users/{user_id}/access", response=UserOut, summary="Set roles, teams, organisation")
def set_access(request: HttpRequest, user_id: int, payload: AccessIn) -> dict[str, Any]:
    require_administrator(request)
    user = permissions.get_visible(request.user, get_user_model().objects.all(), pk=user_id)
    services.set_access(
        user,
        roles=set(payload.roles),
        teams=selectors.teams_named(payload.teams),
        organisation=selectors.organisation_named(payload.organisation),
        by=request.user,
    )
    return selectors.user_summary(get_user_model().objects.get(pk=user.pk))


@router.post("/users/{user_id}/deactivate", response=UserOut, summary="Deactivate (never delete)")
def deactivate_user(request: HttpRequest, user_id: int) -> dict[str, Any]:
    return change_activity(request, user_id, active=False)


@router.post("/users/{user_id}/activate", response=UserOut, summary="Reactivate")
def activate_user(request: HttpRequest, user_id: int) -> dict[str, Any]:
    return change_activity(request, user_id, active=True)


def change_activity(request: HttpRequest, user_id: int, *, active: bool) -> dict[str, Any]:
    require_administrator(request)
    user = permissions.get_visible(request.user, get_user_model().objects.all(), pk=user_id)
    services.set_active(user, active, by=request.user)
    return selectors.user_summary(user)


@router.get("/organisations", response=list[OrganisationOut], summary="Organisations I may see")
def list_organisations(request: HttpRequest) -> list[Any]:
    return list(selectors.organisations(request.user))


@router.post("/organisations", response={201: OrganisationOut}, summary="Add an organisation")
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> Status[Any]:
    require_administrator(request)
    organisation = services.create_organisation(
        name=payload.name, kind=payload.kind, contact_email=payload.contact_email
    )
    return Status(201, organisation)


@router.get("/teams", response=list[AccountTeamOut], summary="Teams I may see")
def list_teams(request: HttpRequest) -> list[Any]:
    return list(selectors.teams(request.user))


@router.post("/teams", response={201: AccountTeamOut}, summary="Add a team")
def create_team(request: HttpRequest, payload: TeamIn) -> Status[Any]:
    require_administrator(request)
    team = services.create_team(name=payload.name, description=payload.description)
    return Status(201, team)
