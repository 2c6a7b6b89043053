"""The two task queues and how a task is put on one.

Interactive work (an upload, a triage decision) runs before scheduled
portfolio work: one worker takes tasks by priority first, whatever the
queue, so a long re-analysis never delays what a person is waiting for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django_tasks import task

INTERACTIVE_QUEUE = "default"
PORTFOLIO_QUEUE = "portfolio"
INTERACTIVE_PRIORITY = 50
PORTFOLIO_PRIORITY = -50
QUEUES = (INTERACTIVE_QUEUE, PORTFOLIO_QUEUE)

Function = TypeVar("Function", bound=Callable[..., Any])


def interactive_task(function: Function) -> Any:
    """A task a person is waiting for."""
    return task(queue_name=INTERACTIVE_QUEUE, priority=INTERACTIVE_PRIORITY)(function)


def portfolio_task(function: Function) -> Any:
    """Scheduled or bulk work over the portfolio."""
    return task(queue_name=PORTFOLIO_QUEUE, priority=PORTFOLIO_PRIORITY)(function)
