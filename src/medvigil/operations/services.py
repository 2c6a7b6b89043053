"""Writes of operations: a failed background task run again (a lost one requeued)."""

from __future__ import annotations

from django.db import transaction
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from medvigil.audit.services import record
from medvigil.operations.recovery import recover_lost_tasks
from medvigil.platform.refusals import Kind, Refusal


def retry_task(task_result_id: str) -> str:
    """Enqueue a failed task again with the same arguments; returns the new task id."""
    result = DBTaskResult.objects.filter(id=task_result_id).first()
    if result is None:
        raise Refusal("No such background task.", Kind.MISSING)
    if result.status == "RUNNING":
        if str(result.id) in recover_lost_tasks().requeued:
            return str(result.id)  # its worker died: it is back on its queue, as it was
        result.refresh_from_db()  # failed if its workers died too often
    if result.status != "FAILED":
        raise Refusal(
            f"Only failed tasks can be retried; this one is {result.status}.", Kind.CONFLICT
        )
    task = import_string(result.task_path)
    arguments = result.args_kwargs or {}
    configured = task.using(queue_name=result.queue_name, priority=result.priority)
    with transaction.atomic():  # the new task is queued with its events, or not at all
        new_result = configured.enqueue(*arguments.get("args", []), **arguments.get("kwargs", {}))
        record(
            "task-retried",
            ("tasks.task", str(result.id)),
            details={"task": result.task_path, "new_task_id": str(new_result.id)},
        )
        record(
            "task-queued",
            ("tasks.task", str(new_result.id)),
            details={"task": result.task_path, "retry_of": str(result.id)},
        )
    return str(new_result.id)
