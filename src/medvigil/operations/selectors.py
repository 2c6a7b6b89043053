"""Reads of operations: background task results and worker heartbeats."""

from __future__ import annotations

from django.db.models import QuerySet
from django_tasks_db.models import DBTaskResult

from medvigil.platform.models import WorkerHeartbeat


def task_results() -> QuerySet[DBTaskResult]:
    return DBTaskResult.objects.all()


def workers() -> QuerySet[WorkerHeartbeat]:
    return WorkerHeartbeat.objects.all()
