"""`medvigil alerts …`: run a pass now, send the digest now, list subscriptions and deliveries.

The worker runs the same pass with every heartbeat; these commands are for a
pipeline or an operator who wants it now. Apps are imported inside each
command, after `setup_django()`.

Exit codes: 0 success; 1 `deliveries --fail-on-gave-up` found deliveries that
gave up; 2 bad usage.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from medvigil.cli.output import command_group, console, text_table
from medvigil.platform.setup import setup_django

alerts_app = command_group("Alerts: subscriptions, the inbox's events, email and webhooks.")


@alerts_app.command("run")
def run_pass() -> None:
    """Read new events, fan them out, and send what is due (what each worker does)."""
    setup_django()
    from medvigil.alerts.processing import process

    result = process()
    console.print(
        f"{result.audit_events} audit event(s) read, {result.fanned_out} alert event(s) "
        f"fanned out to {result.alerts} inbox alert(s); sent: {dict(result.deliveries)}; "
        f"digests: {dict(result.digests)}"
    )


@alerts_app.command("digest")
def send_digest() -> None:
    """Send every held digest delivery now, one message per address or webhook."""
    setup_django()
    from medvigil.alerts.deliveries import send_digests

    tally = send_digests(force=True)
    console.print(
        f"{tally['messages']} digest message(s); {tally['sent']} event(s) sent, "
        f"{tally['held']} held again after a failure, {tally['gave-up']} gave up."
    )


@alerts_app.command("subscriptions")
def list_subscriptions(
    as_json: Annotated[bool, typer.Option("--json", help="JSON for a pipeline")] = False,
) -> None:
    """Every subscription: whose, which events, which channels."""
    setup_django()
    from medvigil.alerts.models import Subscription

    rows = Subscription.objects.select_related("owner", "team", "webhook").order_by("pk")
    items = [
        {
            "id": row.pk,
            "name": row.name,
            "for": f"team {row.team.name}"
            if row.team
            else (row.owner.get_username() if row.owner else ""),
            "kinds": row.kinds,
            "email": row.email,
            "webhook": row.webhook.name if row.webhook else "",
            "mode": row.mode,
            "active": row.active,
        }
        for row in rows
    ]
    if as_json:
        console.print_json(json.dumps(items))
        return
    table = text_table("id", "name", "for", "events", "channels", "mode")
    for item in items:
        channels = ", ".join(
            ["inbox"]
            + (["email"] if item["email"] else [])
            + ([str(item["webhook"])] if item["webhook"] else [])
        )
        table.add_row(
            str(item["id"]),
            str(item["name"]),
            str(item["for"]),
            ", ".join(item["kinds"]),
            channels,
            str(item["mode"]),
        )
    console.print(table)


@alerts_app.command("deliveries")
def list_deliveries(
    state: Annotated[str, typer.Option(help="Only this state (e.g. failed, gave-up)")] = "",
    limit: Annotated[int, typer.Option(help="At most this many, newest first")] = 100,
    fail_on_gave_up: Annotated[
        bool, typer.Option("--fail-on-gave-up", help="Exit 1 when any delivery gave up")
    ] = False,
) -> None:
    """The deliveries log: channel, target, state, attempts, last error."""
    setup_django()
    from medvigil.alerts.models import Delivery

    rows = Delivery.objects.select_related("event").order_by("-created_at", "-id")
    if state:
        if state not in Delivery.State.values:
            console.print(f"Unknown state {state!r}: one of {', '.join(Delivery.State.values)}.")
            raise typer.Exit(2)
        rows = rows.filter(state=state)
    table = text_table("id", "channel", "target", "state", "attempts", "event", "last error")
    for row in rows[:limit]:
        table.add_row(
            str(row.pk),
            row.channel,
            row.target,
            row.state,
            str(row.attempts),
            row.event.title[:60],
            row.last_error[:80],
        )
    console.print(table)
    if fail_on_gave_up and Delivery.objects.filter(state=Delivery.State.GAVE_UP).exists():
        raise typer.Exit(1)
