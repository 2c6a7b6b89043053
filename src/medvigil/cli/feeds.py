"""`medvigil feeds …` and `medvigil scan`: vulnerability feeds on the command line.

`feeds index` and `scan` run with no server and no database: they never set
Django up. `feeds import|sync|add|recommended|enable|disable` set Django up
first, then import the vulns app (models cannot be imported before the app
registry is ready).

`scan` is run by `medvigil.cli.scan` (without Typer, for a fast cold
start); `scan_command` here is its twin for `medvigil --help`.

Exit codes of `scan`: 0 no finding at or above --fail-on (or no --fail-on),
1 findings at or above it, 2 unreadable input (SBOM, feed, index file).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from medvigil.cli.output import command_group, console, errors, text_table
from medvigil.cli.scan import load_feeds_with_progress, run_scan
from medvigil.platform.setup import setup_django

feeds_app = command_group("Vulnerability feeds: read, index, import.")
KINDS = ("auto", "osv", "nvd", "cve5", "kev", "epss", "csaf")

EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2  # see medvigil.cli.scan


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    SARIF = "sarif"
    CYCLONEDX_VEX = "cyclonedx-vex"


class FailOn(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


@feeds_app.command("index")
def feeds_index(
    paths: Annotated[list[Path], typer.Argument(help="Feed files, folders or zip archives")],
    out: Annotated[Path, typer.Option("-o", "--output", help="Index file to write")],
) -> None:
    """Read feeds once and write a compact index file for fast `medvigil scan --index`."""
    from medvigil.core.scanning import FeedError, write_index

    try:
        feeds = load_feeds_with_progress(paths)
    except FeedError as error:
        errors.print(f"[red]Cannot read feeds:[/red] {error}")
        raise typer.Exit(EXIT_UNREADABLE) from None
    out.write_bytes(write_index(feeds))
    errors.print(
        f"Indexed {len(feeds.advisories)} advisories, {len(feeds.kev)} KEV entries and "
        f"{len(feeds.epss)} EPSS scores from {feeds.files} files into {out}."
    )


def scan_command(
    sbom: Annotated[Path, typer.Argument(help="CycloneDX or SPDX SBOM")],
    feed: Annotated[
        list[Path] | None,
        typer.Option("--feed", help="Feed file, folder or zip archive (repeat)"),
    ] = None,
    index: Annotated[
        Path | None, typer.Option("--index", help="Prebuilt index (medvigil feeds index)")
    ] = None,
    format: Annotated[  # the option's public name
        OutputFormat, typer.Option("--format", help="Output format")
    ] = OutputFormat.TABLE,
    fail_on: Annotated[
        FailOn | None,
        typer.Option("--fail-on", help="Exit 1 when a finding is at or above this severity"),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write here, not stdout")
    ] = None,
) -> None:
    """Scan an SBOM against local feeds: no server, no database.

    Exit codes: 0 no finding at or above --fail-on, 1 findings at or above
    it, 2 unreadable input.
    """
    code = run_scan(sbom, feed or [], index, format.value, fail_on.value if fail_on else None, out)
    if code != EXIT_CLEAN:
        raise typer.Exit(code)


@feeds_app.command("import")
def feeds_import(
    paths: Annotated[list[Path], typer.Argument(help="Files, folders or zip archives")],
    kind: Annotated[str, typer.Option(help=f"Feed kind: {', '.join(KINDS)}")] = "auto",
    queue: Annotated[
        bool, typer.Option("--queue", help="Leave re-matching to the worker instead of now")
    ] = False,
) -> None:
    """Import vulnerability feeds (OSV, NVD, CVE 5, KEV, EPSS, CSAF) and re-match what changed."""
    if kind not in KINDS:
        errors.print(f"[red]Unknown kind {kind!r}[/red]; kinds: {', '.join(KINDS)}")
        raise typer.Exit(2)
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        errors.print(f"[red]No such file or folder:[/red] {', '.join(missing)}")
        raise typer.Exit(2)
    setup_django()
    from medvigil.audit.context import Actor, acting_as
    from medvigil.platform.workers import run_task_here
    from medvigil.vulns.services import import_feed

    failed = False
    with acting_as(Actor(label="command line")):
        for path in paths:
            with console.status(f"Importing {path}…"):
                # The re-match is queued with the import's outcome, then run here unless
                # --queue: a process killed while re-matching leaves it to the workers.
                result = import_feed(path, kind)
            counts = ", ".join(f"{value} {key}" for key, value in result.counts.items() if value)
            console.print(f"[bold]{path}[/bold]: {result.get_status_display()}: {counts}")
            for error in result.errors[:10]:
                errors.print(f"  rejected: {error['reason']}", markup=False)
            if len(result.errors) > 10:
                errors.print(f"  … and {len(result.errors) - 10} more rejected file(s)")
            failed = failed or bool(result.errors)
            if result.rematch_task_id and not queue:
                with console.status("Re-matching the components named by changed advisories…"):
                    task = run_task_here(result.rematch_task_id)
                print_rematch(task)
    if failed:
        raise typer.Exit(1)


def print_rematch(task: Any) -> None:
    if task is None:
        console.print("  re-match taken by a running worker")
        return
    if task.exception_class_path == "builtins.KeyboardInterrupt":
        from medvigil.operations.services import retry_task  # Django is set up by now

        retry_task(str(task.id))
        errors.print("  re-match interrupted: queued again for the worker")
        raise typer.Exit(130)
    if task.status != "SUCCESSFUL":
        errors.print(f"  re-match failed: {task.exception_class_path}", markup=False)
        raise typer.Exit(1)
    report = task.return_value
    console.print(
        f"  re-matched {report['examined']} component(s): {report['opened']} finding(s) "
        f"opened, {report['reopened']} reopened, {report['closed']} closed"
    )


@feeds_app.command("sync")
def feeds_sync() -> None:
    """Download the configured feeds (conditional requests) and import what changed."""
    setup_django()
    from medvigil.audit.context import Actor, acting_as
    from medvigil.vulns.sync import sync_feeds

    with acting_as(Actor(label="command line")):
        outcomes = sync_feeds()
    if not outcomes:
        console.print("No feed source configured: add one with `medvigil feeds add NAME URL`.")
        return
    table = text_table("feed", "result", "HTTP", "counts", "error")
    for outcome in outcomes:
        counts = ", ".join(f"{value} {key}" for key, value in outcome.counts.items() if value)
        table.add_row(
            outcome.source, outcome.status, str(outcome.http_status or "—"), counts, outcome.error
        )
    console.print(table)
    if any(outcome.status == "failed" for outcome in outcomes):
        raise typer.Exit(1)


@feeds_app.command("add")
def feeds_add(
    name: Annotated[str, typer.Argument(help="A short name for the feed")],
    url: Annotated[str, typer.Argument(help="http(s) URL of the file, archive or CSAF listing")],
    kind: Annotated[str, typer.Option(help=f"Feed kind: {', '.join(KINDS)}")] = "auto",
    every: Annotated[
        str, typer.Option("--every", help="How often the workers synchronise it: 6h, 2d, 1w")
    ] = "24h",
    maximum_age_hours: Annotated[
        int | None,
        typer.Option("--max-age", help="Hours after which `medvigil check` fails (twice --every)"),
    ] = None,
    scope: Annotated[
        str, typer.Option(help="CSAF: only documents whose file name starts with this")
    ] = "",
    disabled: Annotated[
        bool, typer.Option("--disabled", help="Configure it without synchronising it yet")
    ] = False,
) -> None:
    """Configure (or change) a feed that the workers synchronise at its interval."""
    from medvigil.core.sources import parse_interval

    try:
        interval = parse_interval(every)
    except ValueError as error:
        errors.print(f"[red]{error}[/red]", markup=True)
        raise typer.Exit(2) from error
    setup_django()
    from medvigil.audit.context import Actor, acting_as
    from medvigil.platform.refusals import Refusal
    from medvigil.vulns.sources import add_source

    with acting_as(Actor(label="command line")):
        try:
            source = add_source(
                name,
                url,
                kind,
                maximum_age_hours,
                interval_hours=interval,
                scope=scope,
                enabled=not disabled,
            )
        except Refusal as refusal:
            errors.print(refusal.message, markup=False)
            raise typer.Exit(2) from refusal
    state = "is configured, disabled" if disabled else f"is synchronised every {interval} h"
    console.print(f"Feed [bold]{source.name}[/bold] {state}, from {source.url}.")


@feeds_app.command("recommended")
def feeds_recommended() -> None:
    """The catalogue of public sources for this portfolio, and which are enabled."""
    setup_django()
    from medvigil.vulns.sources import offers

    table = text_table("name", "state", "every", "format", "address")
    for offer in offers():
        entry = offer.recommended
        state = "not configured"
        if offer.source is not None:
            state = "enabled" if offer.source.enabled else "disabled"
        table.add_row(entry.name, state, f"{entry.interval_hours} h", entry.format, entry.url)
    console.print(table)
    console.print(
        "Enable sources with `medvigil feeds enable NAME…`; nothing is downloaded before."
    )


@feeds_app.command("enable")
def feeds_enable(
    names: Annotated[list[str], typer.Argument(help="Configured or recommended source names")],
) -> None:
    """Switch sources on: the workers synchronise them from their next heartbeat."""
    switch(names, on=True)


@feeds_app.command("disable")
def feeds_disable(
    names: Annotated[list[str], typer.Argument(help="Configured source names")],
) -> None:
    """Switch sources off: nothing more is downloaded from them."""
    switch(names, on=False)


def switch(names: list[str], *, on: bool) -> None:
    setup_django()
    from medvigil.audit.context import Actor, acting_as
    from medvigil.platform.refusals import Refusal
    from medvigil.vulns.sources import disable, enable

    with acting_as(Actor(label="command line")):
        try:
            changed = enable(names) if on else disable(names)
        except Refusal as refusal:
            errors.print(refusal.message, markup=False)
            raise typer.Exit(2) from refusal
    for source in changed:
        state = f"enabled, every {source.interval_hours} h" if on else "disabled"
        console.print(f"{source.name}: {state} ({source.url})")
