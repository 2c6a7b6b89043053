from __future__ import annotations

from datetime import datetime
from uuid import UUID

from ninja import Schema


class HealthOut(Schema):
    status: str
    version: str
    database: str


class TaskOut(Schema):
    id: UUID
    task: str
    queue: str
    priority: int
    status: str
    enqueued_at: datetime
    finished_at: datetime | None
    error: str
    # Workers that took it: more than one when a worker died and it was run again.
    attempts: int


class WorkerOut(Schema):
    worker_id: str
    hostname: str
    queues: str
    started_at: datetime
    last_seen_at: datetime


class RetryOut(Schema):
    task_id: UUID
