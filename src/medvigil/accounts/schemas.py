from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field


class MeOut(Schema):
    id: int
    username: str
    email: str
    roles: list[str]
    teams: list[str]
    organisation: str | None
    second_factor_enrolled: bool


class TokenIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    scope: str = Field("read", pattern="^(read|write)$")
    lifetime_days: int = Field(90, ge=1, le=365)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    scope: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None
    last_used_address: str


class IssuedTokenOut(TokenOut):
    secret: str = Field(..., description="Shown only in this answer; store it now")


class UserOut(Schema):
    id: int
    username: str
    email: str
    is_active: bool
    roles: list[str]
    teams: list[str]
    organisation: str | None
    last_login: datetime | None


class UserIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)
    email: str = Field(..., max_length=254)
    roles: list[str]
    teams: list[str] = []
    organisation: str | None = None
    printed_name: str = ""


class AccessIn(Schema):
    roles: list[str]
    teams: list[str] = []
    organisation: str | None = None


class OrganisationIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    kind: str
    contact_email: str = ""


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    contact_email: str


class TeamIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    description: str = ""


class AccountTeamOut(Schema):
    id: int
    name: str
    description: str
