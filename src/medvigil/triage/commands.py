"""`medvigil triage notify-due`: find soon-due and overdue clocks and queue their notices.

Exit codes: 0 success (also when nothing is due); 1 a notice failed when
sent with `--send`.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

console = Console(soft_wrap=True)
triage_app = typer.Typer(help="Triage clocks and notifications.", no_args_is_help=True)


@triage_app.command("notify-due")
def notify_due(
    send: Annotated[
        bool, typer.Option("--send", help="Send now instead of leaving it to the worker")
    ] = False,
) -> None:
    """Record a notice for each newly soon-due or overdue clock, once per threshold."""
    from medvigil.cli import setup_django

    setup_django()
    from medvigil.audit.context import acting_as
    from medvigil.triage.models import DueNotification
    from medvigil.triage.notifications import check_due, send_notice
    from medvigil.triage.tasks import TASK_ACTOR

    with acting_as(TASK_ACTOR):
        created = check_due()
    for notice in created:
        data = notice.payload
        console.print(
            f"{notice.get_threshold_display()}: {data['vulnerability']} in {data['product']} "
            f"{data['version']} — {data['clock_label']}, due {data['due_at']} ({notice.channel})"
        )
    console.print(f"{len(created)} new notice(s).")
    if not send:
        return
    failed = 0
    pending = DueNotification.objects.exclude(state=DueNotification.State.SENT)
    for notice in pending:
        if send_notice(notice).state == DueNotification.State.FAILED:
            failed += 1
            console.print(f"[red]Not sent[/red] ({notice.channel}): {notice.last_error}")
    if failed:
        raise typer.Exit(1)
