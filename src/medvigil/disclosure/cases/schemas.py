"""API shapes of the disclosure program."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field

from medvigil.platform.moments import Moment

StateName = Literal["received", "acknowledged", "triaged", "remediation", "disclosed", "closed"]
OutcomeName = Literal["", "valid", "duplicate", "not-a-vulnerability", "out-of-scope"]


class CaseClockOut(Schema):
    key: str
    label: str
    rule: str
    started_at: datetime.datetime
    due_at: datetime.datetime
    remaining_seconds: int
    overdue: bool
    met_at: datetime.datetime | None


class CaseSummaryOut(Schema):
    id: int
    number: str
    title: str
    state: StateName
    outcome: OutcomeName
    received_at: datetime.datetime
    overdue: bool


class CaseOut(CaseSummaryOut):
    description: str
    steps: str
    impact: str
    product_id: int | None
    product_text: str
    version_text: str
    cvss_vector: str
    cvss_score: Decimal | None
    arrived_encrypted: bool
    embargo_until: datetime.datetime | None
    embargo_time_zone: str
    acknowledged_at: datetime.datetime | None
    triaged_at: datetime.datetime | None
    disclosed_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    clocks: list[CaseClockOut]
    next_states: list[str]
    reporter_name: str | None = Field(None, description="Handlers only")
    reporter_email: str | None = Field(None, description="Handlers only")


class CaseTransitionIn(Schema):
    target: StateName
    outcome: OutcomeName = ""
    note: str = ""


class CaseMessageIn(Schema):
    body: str
    internal: bool = Field(False, description="An internal note (handlers only)")


class CaseMessageOut(Schema):
    id: int
    kind: str
    author: str
    body: str
    created_at: datetime.datetime
    encrypted: bool = Field(False, description="The body is encrypted to the reporter's key")


class AffectedSuggestionOut(Schema):
    version_id: int
    label: str
    reasons: list[str]
    confirmed: bool


class AffectedIn(Schema):
    reason: str = ""


class AffectedOut(Schema):
    version_id: int
    label: str
    reason: str
    confirmed_by: str
    confirmed_at: datetime.datetime


class CaseEmbargoIn(Schema):
    until: Moment | None = Field(None, description="Local date and time, or null")
    time_zone: str = "UTC"


class FixIn(Schema):
    available_at: Moment | None = Field(None, description="Default now")
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
