"""Background work of the risk file: re-checking linked vulnerabilities after a feed import."""

from __future__ import annotations

from medvigil.audit.context import Actor, acting_as
from medvigil.platform.queues import portfolio_task
from medvigil.riskfile.vulnerabilities import recheck_links

TASK_ACTOR = Actor(label="risk file exploitability check")


@portfolio_task
def recheck_links_task() -> dict[str, int]:
    with acting_as(TASK_ACTOR):
        return recheck_links()
