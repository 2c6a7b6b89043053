"""API shapes of parties, notifications, the fix, finding links and metrics."""

from __future__ import annotations

import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

PartyKindName = Literal["supplier", "coordinator", "hospital", "manufacturer"]


class PartyIn(Schema):
    kind: PartyKindName
    name: str = Field(..., max_length=200)
    account: str | None = Field(None, description="User name of an outside account")
    with_link: bool = Field(False, description="Also make a secret link (returned once)")
    sees_report: bool = False
    sees_reporter_contact: bool = False


class PartyOut(Schema):
    id: int
    case_id: int
    case_number: str
    kind: PartyKindName
    name: str
    account: str | None
    has_link: bool
    sees_report: bool
    sees_reporter_contact: bool
    invited_at: datetime.datetime
    revoked_at: datetime.datetime | None


class PartyInvitationOut(PartyOut):
    access_token: str = Field(..., description="Shown once; empty without a link")


class PartyMessageIn(Schema):
    body: str


class PartyMessageOut(Schema):
    id: int
    source: Literal["to-party", "from-party", "shared"]
    author: str
    body: str
    created_at: datetime.datetime


class ShareIn(Schema):
    message_id: int


class PartyViewOut(Schema):
    party: PartyOut
    number: str
    title: str
    state: str
    outcome: str
    product: str
    version_text: str
    cvss_vector: str
    embargo_until: datetime.datetime | None
    embargo_time_zone: str
    affected: list[str]
    description: str | None = Field(None, description="Only when the report is shared")
    steps: str | None = None
    impact: str | None = None
    reporter_name: str | None = Field(None, description="Only when the contact is shared")
    reporter_email: str | None = None
    thread: list[PartyMessageOut]
