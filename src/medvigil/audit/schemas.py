from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema
from pydantic import Field


class EventFilterQuery(Schema):
    actor: str | None = Field(None, description="User name of the actor (case-insensitive)")
    action: str | None = Field(None, description="Action, for example signed-in or signed")
    object_type: str | None = Field(None, description='Object type, "app_label.model_name"')
    object_id: str | None = Field(None, description="Object id")
    since: str | None = Field(None, description="ISO 8601 date or date-time, inclusive (UTC)")
    until: str | None = Field(
        None, description="ISO 8601 date or date-time, exclusive; a bare date includes that day"
    )


class EventOut(Schema):
    sequence: int
    occurred_at: datetime
    actor_id: int | None
    actor_label: str
    token_id: int | None
    action: str
    object_type: str
    object_id: str
    object_label: str
    changes: dict[str, Any]
    details: dict[str, Any]
    request_id: str
    client_address: str
    previous_hash: str
    hash: str


class ChainBreakOut(Schema):
    sequence: int
    reason: str
    action: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    occurred_at: datetime | None = None


class CheckpointProblemOut(Schema):
    line: int
    sequence: int | None
    message: str


class VerificationOut(Schema):
    intact: bool
    checked: int
    first_break: ChainBreakOut | None
    checkpoints_checked: int = 0
    checkpoint_problems: list[CheckpointProblemOut] = []
