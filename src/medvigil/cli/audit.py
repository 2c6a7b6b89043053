"""`medvigil audit verify|checkpoint|export`: the tamper-evident audit trail on the command line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from medvigil.cli.output import command_group, console, errors, print_refusal
from medvigil.platform.setup import setup_django

audit_app = command_group("Verify and export the tamper-evident audit trail.")


@audit_app.command("verify")
def audit_verify() -> None:
    """Recompute the hash chain and compare it with every signed checkpoint; exit 1 if broken."""
    setup_django()
    from medvigil.audit.selectors import chain_report

    report = chain_report()
    console.print(f"{report.checked} audit event(s) checked.")
    first_break = report.verification.first_break
    if first_break is not None:
        errors.print(f"[red]The audit chain is broken at event #{first_break.sequence}:[/red]")
        errors.print(f"  reason: {first_break.reason}")
        event = report.broken_event
        if event is not None:
            errors.print(f"  action: {event.action}")
            errors.print(
                f"  object: {event.object_type}:{event.object_id} {event.object_label}".rstrip()
            )
            errors.print(f"  time:   {event.occurred_at.isoformat()}")
    if report.checkpoints_checked or report.checkpoint_problems:
        console.print(
            f"{report.checkpoints_checked} signed checkpoint(s) in {report.checkpoint_file}."
        )
    else:
        console.print(
            f"No checkpoint in {report.checkpoint_file}: a cut tail or a re-hashed history "
            "cannot be detected (run `medvigil audit checkpoint`)."
        )
    affected = [problem.sequence for problem in report.checkpoint_problems if problem.sequence]
    if affected:
        first = min(affected)
        errors.print(f"[red]The chain does not match the checkpoints from event #{first}:[/red]")
    elif report.checkpoint_problems:
        errors.print("[red]The checkpoint file cannot be trusted:[/red]")
    for problem in report.checkpoint_problems:
        errors.print(f"  {problem.message}")
    if report.intact:
        console.print("[green]The audit chain is intact.[/green]")
        return
    raise typer.Exit(1)


@audit_app.command("checkpoint")
def audit_checkpoint() -> None:
    """Append a signed checkpoint of the chain head to the checkpoint file, outside the database."""
    setup_django()
    from django.conf import settings

    from medvigil.audit.services import take_checkpoint

    checkpoint = take_checkpoint()
    console.print(
        f"Checkpoint of event #{checkpoint.sequence} (hash {checkpoint.hash[:16]}…) "
        f"appended to {settings.AUDIT_CHECKPOINT_FILE}."
    )


@audit_app.command("export")
def audit_export(
    format_name: Annotated[str, typer.Option("--format", help="csv or json")] = "csv",
    output: Annotated[
        Path | None, typer.Option("--output", help="File to write; standard output if absent")
    ] = None,
    actor: Annotated[str | None, typer.Option(help="User name of the actor")] = None,
    action: Annotated[str | None, typer.Option(help="Action, for example signed-in")] = None,
    object_type: Annotated[
        str | None, typer.Option(help='Object type, "app_label.model_name"')
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="ISO 8601 date or date-time (inclusive)")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="ISO 8601 date or date-time (exclusive; a date includes it)")
    ] = None,
) -> None:
    """Export the filtered events, oldest first; the export is itself recorded in the trail."""
    setup_django()
    from medvigil.audit.context import Actor
    from medvigil.audit.exports import FORMATS, export_events
    from medvigil.audit.selectors import EventFilter
    from medvigil.platform.refusals import Refusal

    if format_name not in FORMATS:
        errors.print(f"[red]Unknown format {format_name}[/red]; use csv or json.")
        raise typer.Exit(2)
    try:
        filters = EventFilter.from_text(
            actor=actor, action=action, object_type=object_type, since=since, until=until
        )
    except Refusal as refusal:
        print_refusal(refusal)
        raise typer.Exit(2) from refusal
    result = export_events(filters, format_name, actor=Actor(label="command line"))
    if output is None:
        sys.stdout.write(result.content)
        sys.stdout.flush()
    else:
        output.write_text(result.content, encoding="utf-8")
        errors.print(f"Exported {result.count} event(s) to {output}.")
