"""`medvigil migrate`, `createuser`, `demo` and `check`: set up and check an installation.

Each command sets Django up first, then imports the app modules it needs
(models cannot be imported before the app registry is ready).
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from medvigil.cli.output import command_group, console, errors, print_refusal, text_table
from medvigil.platform.setup import setup_django

app = command_group()


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
    from medvigil.accounts import selectors, services
    from medvigil.platform.refusals import Refusal
    from medvigil.platform.roles import Role

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
    except Refusal as refusal:
        print_refusal(refusal)
        raise typer.Exit(1) from refusal
    console.print(f"Created user [bold]{username}[/bold] ({', '.join(sorted(roles))}).")


@app.command()
def demo() -> None:
    """Load the demo portfolio into MEDVIGIL_HOME (idempotent: run it again safely)."""
    setup_django()
    from django.conf import settings

    from medvigil.disclosure.keys.openpgp import stop_agent
    from medvigil.platform.demo import load_demo

    try:
        result = load_demo(settings.MEDVIGIL_HOME)
    finally:
        stop_agent()  # signing the demo advisories started gpg-agent; a command leaves none
    for line in result.report:
        console.print(f"  {line}")
    console.print(
        f"Demo ready. Sign in as [bold]{result.username}[/bold] with password "
        f"[bold]{result.password}[/bold] (kept in {result.credentials_file})."
    )


@app.command()
def check(
    stale_after: Annotated[
        int | None, typer.Option(help="Seconds after which a silent worker counts as dead")
    ] = None,
) -> None:
    """Check database, migrations, workers and feed ages; exit 1 if anything is wrong."""
    setup_django()
    from medvigil.platform.health import run_checks

    results = run_checks(stale_after_seconds=stale_after)
    table = text_table("check", "state", "detail")
    for result in results:
        state = "[green]ok[/green]" if result.ok else "[red]failing[/red]"
        table.add_row(result.name, state, result.detail)
    console.print(table)
    if not all(result.ok for result in results):
        raise typer.Exit(1)
