"""Writes of the platform shell."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.db import transaction


class UserExists(ValueError):
    pass


@transaction.atomic
def create_user(
    username: str, *, email: str, password: str, administrator: bool = False
) -> AbstractBaseUser:
    """Create a user whose password passes the password rules (ValidationError if not)."""
    model = get_user_model()
    if model.objects.filter(username=username).exists():
        raise UserExists(f"A user named {username!r} already exists.")
    candidate = model(username=username, email=email)
    validate_password(password, user=candidate)
    if administrator:
        return model.objects.create_superuser(username=username, email=email, password=password)
    return model.objects.create_user(username=username, email=email, password=password)


class TaskNotRetryable(ValueError):
    pass


def retry_task(task_result_id: str) -> str:
    """Enqueue a failed task again with the same arguments; returns the new task id."""
    from django.utils.module_loading import import_string
    from django_tasks_db.models import DBTaskResult

    result = DBTaskResult.objects.get(id=task_result_id)
    if result.status != "FAILED":
        raise TaskNotRetryable(f"Only failed tasks can be retried; this one is {result.status}.")
    task = import_string(result.task_path)
    arguments = result.args_kwargs or {}
    configured = task.using(queue_name=result.queue_name, priority=result.priority)
    new_result = configured.enqueue(*arguments.get("args", []), **arguments.get("kwargs", {}))
    return str(new_result.id)
