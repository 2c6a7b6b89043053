"""The `medvigil` command: run, administer and check a medvigil installation."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(
    help="medvigil: the cybersecurity program of a medical device manufacturer.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console(soft_wrap=True)
errors = Console(stderr=True, soft_wrap=True)


def setup_django() -> None:
    """Load the settings (from the environment) and the apps, or exit with the reason."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medvigil.settings")
    from medvigil.configuration import ConfigurationError

    try:
        import django

        django.setup()
    except ConfigurationError as error:
        errors.print(f"[red]Configuration error:[/red] {error}")
        raise typer.Exit(2) from error


@app.command()
def migrate() -> None:
    """Create or update the database tables (safe to run again)."""
    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1)


@app.command()
def createuser(
    username: Annotated[str, typer.Argument(help="Sign-in name")],
    email: Annotated[str, typer.Option(help="E-mail address")] = "",
    role: Annotated[
        list[str] | None,
        typer.Option("--role", help="Role to give (repeat); e.g. product-security, viewer"),
    ] = None,
    administrator: Annotated[
        bool, typer.Option("--administrator", help="Shorthand for --role administrator")
    ] = False,
    team: Annotated[
        list[str] | None, typer.Option("--team", help="Team to join (repeat; inside roles)")
    ] = None,
    organisation: Annotated[
        str | None, typer.Option(help="Organisation (outside roles: customer, supplier)")
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input")
    ] = False,
) -> None:
    """Create a user with roles; the password is asked for, or read from standard input."""
    setup_django()
    from django.core.exceptions import ValidationError

    from medvigil.accounts import selectors, services
    from medvigil.accounts.roles import Role

    roles = set(role or [])
    if administrator:
        roles.add(Role.ADMINISTRATOR.value)
    if not roles:
        errors.print(f"[red]Give at least one --role[/red]: {', '.join(Role.values)}")
        raise typer.Exit(2)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        services.create_account(
            username=username,
            email=email,
            roles=roles,
            password=password,
            teams=selectors.teams_named(team or []),
            organisation=selectors.organisation_named(organisation),
        )
    except ValidationError as error:
        errors.print("[red]Password refused:[/red] " + " ".join(error.messages))
        raise typer.Exit(1) from error
    except services.AccountError as error:
        errors.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from error
    console.print(f"Created user [bold]{username}[/bold] ({', '.join(sorted(roles))}).")


@app.command()
def demo() -> None:
    """Load the demo portfolio into MEDVIGIL_HOME (idempotent: run it again safely)."""
    setup_django()
    from django.conf import settings

    from medvigil.web.demo import load_demo

    result = load_demo(settings.MEDVIGIL_HOME)
    for line in result.report:
        console.print(f"  {line}")
    console.print(
        f"Demo ready. Sign in as [bold]{result.username}[/bold] with password "
        f"[bold]{result.password}[/bold] (kept in {result.credentials_file})."
    )


@app.command()
def worker(
    queue: Annotated[
        list[str] | None,
        typer.Option("--queue", help="Queue to serve (repeat); default: all queues"),
    ] = None,
    batch: Annotated[
        bool, typer.Option("--batch", help="Run the tasks that are ready, then exit")
    ] = False,
) -> None:
    """Run background tasks: interactive work first, then scheduled portfolio work."""
    setup_django()
    from medvigil.web.queues import QUEUES
    from medvigil.web.workers import run_worker

    chosen = tuple(queue) if queue else QUEUES
    unknown = [name for name in chosen if name not in QUEUES]
    if unknown:
        errors.print(f"[red]Unknown queue {', '.join(unknown)}[/red]; queues: {', '.join(QUEUES)}")
        raise typer.Exit(2)
    console.print(f"Worker serving queues {', '.join(chosen)}. Ctrl-C stops it.")
    run_worker(chosen, batch=batch)


def wait_until_answering(url: str, process: subprocess.Popen[bytes], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own loopback URL)
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    return False


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    dev: Annotated[
        bool, typer.Option("--dev", help="Development server with autoreload and debug pages")
    ] = False,
    workers: Annotated[int, typer.Option(help="Web processes (production form)")] = 2,
    with_worker: Annotated[
        bool, typer.Option("--with-worker", help="Also run a task worker in this terminal")
    ] = False,
) -> None:
    """Serve the web pages and the API (gunicorn; --dev for Django's autoreloading server)."""
    setup_django()
    from medvigil.web.selectors import unapplied_migrations

    pending = unapplied_migrations()
    if pending:
        errors.print(
            f"[red]{len(pending)} database migration(s) not applied.[/red] Run: medvigil migrate"
        )
        raise typer.Exit(1)
    environment = dict(os.environ)
    if dev:
        environment["MEDVIGIL_DEBUG"] = "1"
        command = [sys.executable, "-m", "django", "runserver", f"{host}:{port}"]
    else:
        command = [
            sys.executable, "-m", "gunicorn", "medvigil.wsgi:application",
            "--bind", f"{host}:{port}", "--workers", str(workers),
            "--access-logfile", "-", "--graceful-timeout", "10",
        ]  # fmt: skip
    # Children get their own session: a Ctrl-C reaches only this process, which
    # then stops each child exactly once.
    processes = [subprocess.Popen(command, env=environment, start_new_session=True)]  # noqa: S603
    if with_worker:
        worker_command = [sys.executable, "-m", "medvigil", "worker"]
        worker = subprocess.Popen(worker_command, env=environment, start_new_session=True)  # noqa: S603
        processes.append(worker)
    signal.signal(signal.SIGTERM, lambda *_: stop(processes))
    # A shell starting us in the background may leave SIGINT ignored: Ctrl-C must still work.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    address = f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{port}"  # noqa: S104
    try:
        if wait_until_answering(f"{address}/api/v1/health", processes[0], 60):
            console.print(
                f"medvigil is serving at [bold]{address}[/bold] (API: {address}/api/v1/docs)"
            )
            console.print("Press Ctrl-C to stop.")
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        console.print("Stopping…")
    finally:
        stop(processes)
    failed = [
        process.returncode for process in processes if process.returncode not in (0, -15, None)
    ]
    raise typer.Exit(1 if failed else 0)


@app.command()
def check(
    stale_after: Annotated[
        int | None, typer.Option(help="Seconds after which a silent worker counts as dead")
    ] = None,
) -> None:
    """Check database, migrations, workers and feed ages; exit 1 if anything is wrong."""
    setup_django()
    from medvigil.web.health import run_checks

    results = run_checks(stale_after_seconds=stale_after)
    table = Table("check", "state", "detail")
    for result in results:
        state = "[green]ok[/green]" if result.ok else "[red]failing[/red]"
        table.add_row(result.name, state, result.detail)
    console.print(table)
    if not all(result.ok for result in results):
        raise typer.Exit(1)


audit_app = typer.Typer(
    help="Verify and export the tamper-evident audit trail.", no_args_is_help=True
)
app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def audit_verify() -> None:
    """Recompute the hash chain; exit 1 and name the first broken event if it is broken."""
    setup_django()
    from medvigil.audit.selectors import chain_report

    report = chain_report()
    console.print(f"{report.checked} audit event(s) checked.")
    first_break = report.verification.first_break
    if first_break is None:
        console.print("[green]The audit chain is intact.[/green]")
        return
    errors.print(f"[red]The audit chain is broken at event #{first_break.sequence}:[/red]")
    errors.print(f"  reason: {first_break.reason}")
    event = report.broken_event
    if event is not None:
        errors.print(f"  action: {event.action}")
        errors.print(
            f"  object: {event.object_type}:{event.object_id} {event.object_label}".rstrip()
        )
        errors.print(f"  time:   {event.occurred_at.isoformat()}")
    raise typer.Exit(1)


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
    from medvigil.audit.selectors import BadFilter, EventFilter

    if format_name not in FORMATS:
        errors.print(f"[red]Unknown format {format_name}[/red]; use csv or json.")
        raise typer.Exit(2)
    try:
        filters = EventFilter.from_text(
            actor=actor, action=action, object_type=object_type, since=since, until=until
        )
    except BadFilter as error:
        errors.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error
    result = export_events(filters, format_name, actor=Actor(label="command line"))
    if output is None:
        sys.stdout.write(result.content)
        sys.stdout.flush()
    else:
        output.write_text(result.content, encoding="utf-8")
        errors.print(f"Exported {result.count} event(s) to {output}.")


def _add_sbom_commands() -> None:
    from medvigil.sbom.commands import sbom_app

    app.add_typer(sbom_app, name="sbom")


_add_sbom_commands()


def _add_findings_commands() -> None:
    from medvigil.vulns.commands import findings_app

    app.add_typer(findings_app, name="findings")


_add_findings_commands()


def _add_feeds_and_scan_commands() -> None:
    # No Django here: `scan` and `feeds index` run with no server and no database.
    from medvigil.feeds_cli import feeds_app, scan_command

    app.add_typer(feeds_app, name="feeds")
    app.command("scan")(scan_command)


_add_feeds_and_scan_commands()


def _add_threatmodel_commands() -> None:
    # `check` and `threats` run with no server and no database.
    from medvigil.riskfile.commands import riskfile_app, threatmodel_app

    app.add_typer(threatmodel_app, name="threatmodel")
    app.add_typer(riskfile_app, name="riskfile")


_add_threatmodel_commands()


def _add_vex_commands() -> None:
    from medvigil.vex.commands import vex_app

    app.add_typer(vex_app, name="vex")


_add_vex_commands()


def _add_disclosure_commands() -> None:
    from medvigil.disclosure.key_commands import disclosure_app

    app.add_typer(disclosure_app, name="disclosure")


_add_disclosure_commands()


def _add_triage_commands() -> None:
    from medvigil.triage.commands import triage_app

    app.add_typer(triage_app, name="triage")


_add_triage_commands()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
