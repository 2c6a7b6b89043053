"""Operations endpoints: health (public), background tasks and workers (administrators)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router

from medvigil import __version__
from medvigil.operations import selectors, services
from medvigil.operations.schemas import HealthOut, RetryOut, TaskOut, WorkerOut
from medvigil.platform.pagination import Page, PageQuery, paginate
from medvigil.platform.refusals import Kind, Refusal
from medvigil.platform.selectors import database_reachable

router = Router(tags=["platform"])


def require_administrator(request: HttpRequest) -> None:
    user = request.user
    if not (user.is_authenticated and user.is_superuser):
        raise Refusal("Only administrators may see background work.", Kind.FORBIDDEN)


@router.get("/health", response=HealthOut, auth=None, summary="Is the service up")
def health(request: HttpRequest) -> dict[str, str]:
    reachable = database_reachable()
    return {
        "status": "ok" if reachable else "degraded",
        "version": __version__,
        "database": "reachable" if reachable else "unreachable",
    }


@router.get("/tasks", response=Page[TaskOut], summary="Background tasks, newest first")
def list_tasks(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    require_administrator(request)
    return paginate(
        selectors.task_results(),
        page,
        ordering=("-enqueued_at", "-id"),
        serialize=lambda result: {
            "id": result.id,
            "task": result.task_path,
            "queue": result.queue_name,
            "priority": result.priority,
            "status": result.status,
            "enqueued_at": result.enqueued_at,
            "finished_at": result.finished_at,
            "error": result.exception_class_path,
            "attempts": len(result.worker_ids or []),
        },
    )


@router.get("/workers", response=list[WorkerOut], summary="Task workers and their last heartbeat")
def list_workers(request: HttpRequest) -> list[Any]:
    require_administrator(request)
    return list(selectors.workers())


@router.post("/tasks/{task_id}/retry", response=RetryOut, summary="Run a failed task again")
def retry_task(request: HttpRequest, task_id: UUID) -> dict[str, str]:
    require_administrator(request)
    return {"task_id": services.retry_task(str(task_id))}
