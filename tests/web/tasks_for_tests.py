"""Tasks used by the queue tests; they record the order in which they ran."""

from __future__ import annotations

from medvigil.platform.queues import interactive_task, portfolio_task

RAN: list[str] = []


@interactive_task
def interactive_work(label: str) -> str:
    RAN.append(f"interactive:{label}")
    return label


@portfolio_task
def portfolio_work(label: str) -> str:
    RAN.append(f"portfolio:{label}")
    return label


@interactive_task
def failing_work(label: str) -> str:
    RAN.append(f"failing:{label}")
    raise RuntimeError(f"failed on purpose: {label}")
