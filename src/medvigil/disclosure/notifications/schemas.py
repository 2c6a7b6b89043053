"""API shapes of regulator and coordinator notifications."""

from __future__ import annotations

import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from medvigil.platform.moments import Moment

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


class NotificationIn(Schema):
    recipient: RecipientName
    rule: RuleName
    recipient_name: str = ""
    started_at: Moment | None = Field(
        None, description="The moment the rule counts from (with a time zone); default now"
    )
    sent_at: Moment | None = Field(None, description="Empty while not sent")
    content: str = Field("", description="What was sent")
    reference: str = Field("", description="The recipient's reference")


class NotificationSentIn(Schema):
    sent_at: Moment | None = Field(None, description="Default now")
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
