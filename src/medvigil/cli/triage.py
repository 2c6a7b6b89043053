"""`medvigil triage notify-due` and `medvigil triage statements`.

`notify-due` finds soon-due and overdue clocks and queues their notices;
`statements` prints what is stated about each open finding of a version, for
people (a table) and pipelines (JSON, and `--fail-on` to stop a release).

Exit codes: 0 success; 1 a notice failed when sent with `--send`, or a
finding matched `--fail-on`; 2 bad usage (unknown product or version).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated, Any

import typer

from medvigil.cli.output import command_group, console, errors
from medvigil.platform.setup import setup_django

triage_app = command_group("Triage clocks and notifications.")


@triage_app.command("notify-due")
def notify_due(
    send: Annotated[
        bool, typer.Option("--send", help="Send now instead of leaving it to the worker")
    ] = False,
) -> None:
    """Record a notice for each newly soon-due or overdue clock, once per threshold."""
    setup_django()
    from medvigil.audit.context import acting_as
    from medvigil.triage.models import DueNotification
    from medvigil.triage.notifications import TASK_ACTOR, check_due, send_notice

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


FAIL_ON = ("uncontrolled", "overdue", "pending", "under_investigation", "affected")


def failing(statement: Any, conditions: list[str], now: Any) -> list[str]:
    from medvigil.triage.detail import is_overdue

    scores = statement.scores
    checks = {
        "uncontrolled": scores is not None and scores.control_status == "uncontrolled",
        "overdue": is_overdue(statement, now),
        "pending": statement.pending_approval,
        "under_investigation": statement.status == "under_investigation",
        "affected": statement.status == "affected",
    }
    return [condition for condition in conditions if checks[condition]]


@triage_app.command("statements")
def statements_command(
    product: Annotated[str, typer.Argument(help="Product model number")],
    version: Annotated[str, typer.Argument(help="Version")],
    format_name: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    fail_on: Annotated[
        list[str] | None,
        typer.Option(help=f"Exit 1 when a finding is {', '.join(FAIL_ON)} (repeatable)"),
    ] = None,
) -> None:
    """What is stated about each open finding of a version (effective decisions only)."""
    setup_django()
    from django.utils import timezone

    from medvigil.portfolio.models import ProductVersion
    from medvigil.triage.selectors import version_statements

    conditions = fail_on or []
    unknown = sorted(set(conditions) - set(FAIL_ON))
    if format_name not in ("table", "json") or unknown:
        errors.print(f"[red]Use --format table|json and --fail-on {'|'.join(FAIL_ON)}.[/red]")
        raise typer.Exit(2)
    found = ProductVersion.objects.filter(product__model_number=product, version=version).first()
    if found is None:
        errors.print(f"[red]No version {version} of product {product}.[/red]")
        raise typer.Exit(2)
    now = timezone.now()
    rows = version_statements(found)
    failures = {row.finding_id: failing(row, conditions, now) for row in rows}
    if format_name == "json":
        items = [{**asdict(row), "failing": failures[row.finding_id]} for row in rows]
        console.print_json(
            json.dumps({"product": product, "version": version, "statements": items}, default=str)
        )
    else:
        for row in rows:
            pending = " (newer decision pending approval)" if row.pending_approval else ""
            priority = row.scores.priority if row.scores else "-"
            console.print(
                f"{row.vulnerability_id:<20} {row.component_key:<45} "
                f"{row.status:<20} {priority:<9}{pending}"
            )
        console.print(f"{len(rows)} open finding(s).")
    failed = [row for row in rows if failures[row.finding_id]]
    if failed:
        for row in failed:
            errors.print(
                f"{row.vulnerability_id} in {row.component_key}: "
                f"{', '.join(failures[row.finding_id])}"
            )
        raise typer.Exit(1)
