"""API shapes of the disclosure program."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field

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


class DisclosureReportIn(Schema):
    title: str = Field(..., max_length=300)
    description: str
    steps: str = ""
    impact: str = ""
    product_id: int | None = None
    product_text: str = ""
    version_text: str = ""
    cvss_vector: str = ""
    credit_name: str = ""
    reporter_public_key: str = Field("", description="ASCII-armoured; replies are encrypted to it")


class DisclosureReceiptOut(Schema):
    id: int
    number: str
    follow_up_token: str = Field(..., description="Shown once; keep it to follow the case")


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
    until: datetime.datetime | None = Field(None, description="Local date and time, or null")
    time_zone: str = "UTC"
