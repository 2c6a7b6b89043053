"""What the alerts API reads and writes."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

Kind = Literal[
    "finding-new",
    "finding-kev",
    "epss-crossed",
    "advisory-changed",
    "clock-due",
    "disclosure-report",
    "supplier-document",
]
Level = Literal["", "critical", "high", "medium", "low"]


class AlertEventOut(Schema):
    id: int
    kind: str
    title: str
    occurred_at: datetime
    object_type: str
    object_id: str
    product_id: int | None
    version_id: int | None
    severity: str
    priority: str
    details: dict[str, Any]


class AlertOut(Schema):
    id: int
    created_at: datetime
    read_at: datetime | None
    subscription: str | None
    event: AlertEventOut


class AlertsUnreadOut(Schema):
    unread: int


class AlertsReadIn(Schema):
    ids: list[int] | None = Field(None, description="Alerts to mark read; all unread when null")


class AlertsReadOut(Schema):
    marked: int


class AlertSubscriptionIn(Schema):
    name: str = Field(..., max_length=100)
    kinds: list[Kind] = Field(..., description="Events to be told about")
    minimum_severity: Level = ""
    minimum_priority: Level = ""
    epss_threshold: float | None = Field(None, description="For epss-crossed: 0 < p ≤ 1")
    product_id: int | None = None
    version_id: int | None = None
    product_team_id: int | None = Field(None, description="Only this team's products")
    email: bool = False
    webhook_id: int | None = None
    mode: Literal["immediate", "digest"] = "immediate"
    active: bool = True


class NewAlertSubscriptionIn(AlertSubscriptionIn):
    team_id: int | None = Field(None, description="A team's subscription (administrators)")


class AlertSubscriptionOut(Schema):
    id: int
    name: str
    owner: str | None
    team_id: int | None
    kinds: list[str]
    minimum_severity: str
    minimum_priority: str
    epss_threshold: float | None
    product_id: int | None
    version_id: int | None
    product_team_id: int | None
    email: bool
    webhook_id: int | None
    mode: str
    active: bool
    created_at: datetime


class AlertWebhookIn(Schema):
    name: str = Field(..., max_length=100)
    url: str = Field(..., max_length=1000)
    flavour: Literal["generic", "slack", "teams"] = "generic"
    team_id: int | None = Field(None, description="A team's webhook (administrators)")


class AlertWebhookOut(Schema):
    id: int
    name: str
    url: str
    flavour: str
    team_id: int | None
    created_at: datetime


class NewAlertWebhookOut(AlertWebhookOut):
    secret: str = Field(..., description="The signing secret: shown this once")


class AlertDeliveryOut(Schema):
    id: int
    event_id: int
    event_title: str
    channel: str
    target: str
    mode: str
    state: str
    attempts: int
    last_error: str
    created_at: datetime
    next_attempt_at: datetime | None
    sent_at: datetime | None
