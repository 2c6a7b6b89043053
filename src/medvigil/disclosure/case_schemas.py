"""API shapes of parties, notifications, the fix, finding links and metrics."""

from __future__ import annotations

import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

PartyKindName = Literal["supplier", "coordinator", "hospital", "manufacturer"]
RecipientName = Literal["fda", "cisa", "cert-cc", "bsi", "enisa", "national-authority", "other"]
RuleName = Literal[
    "cra-early-warning",
    "cra-notification",
    "cra-final-report",
    "fda-806",
    "fda-mdr-5-day",
    "coordinator",
    "other",
]


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


class NotificationIn(Schema):
    recipient: RecipientName
    rule: RuleName
    recipient_name: str = ""
    started_at: datetime.datetime | None = Field(
        None, description="The moment the rule counts from (with a time zone); default now"
    )
    sent_at: datetime.datetime | None = Field(None, description="Empty while not sent")
    content: str = Field("", description="What was sent")
    reference: str = Field("", description="The recipient's reference")


class NotificationSentIn(Schema):
    sent_at: datetime.datetime | None = Field(None, description="Default now")
    reference: str = ""
    content: str = ""


class NotificationOut(Schema):
    id: int
    case_id: int
    recipient: RecipientName
    recipient_name: str
    rule: RuleName
    rule_text: str
    source: str
    started_at: datetime.datetime
    due_at: datetime.datetime | None
    sent_at: datetime.datetime | None
    remaining_seconds: int | None
    overdue: bool
    reference: str
    content: str


class FixIn(Schema):
    available_at: datetime.datetime | None = Field(None, description="Default now")
    description: str = ""


class FixOut(Schema):
    case_id: int
    available_at: datetime.datetime
    description: str


class FindingSuggestionOut(Schema):
    finding_id: int
    vulnerability: str
    aliases: list[str]
    version: str
    component: str
    state: str
    matched_cve: list[str]
    linked: bool


class FindingLinkIn(Schema):
    reason: str = ""


class FindingLinkOut(Schema):
    finding_id: int
    vulnerability: str
    version: str
    component: str
    reason: str
    linked_at: datetime.datetime


class ReporterKeyIn(Schema):
    public_key: str = Field(..., description="ASCII-armoured OpenPGP public key")


class ReporterKeyOut(Schema):
    fingerprint: str
    added_at: datetime.datetime


class DurationOut(Schema):
    key: str
    count: int
    median_hours: float | None
    longest_hours: float | None


class MetricsOut(Schema):
    cases: int
    open: int
    overdue: int
    notifications_overdue: int
    durations: list[DurationOut]
    measured_at: datetime.datetime
