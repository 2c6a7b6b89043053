"""`medvigil feeds …` and `medvigil scan`: vulnerability feeds on the command line.

`feeds_app` is the `feeds` sub-command group; the vulns app adds its own
commands (import, sync) to it. `scan` and `feeds index` run with no server
and no database: they never set Django up.

`scan` is run by `medvigil.scan_cli` (without Typer, for a fast cold
start); `scan_command` here is its twin for `medvigil --help`.

Exit codes of `scan`: 0 no finding at or above --fail-on (or no --fail-on),
1 findings at or above it, 2 unreadable input (SBOM, feed, index file).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

feeds_app = typer.Typer(help="Vulnerability feeds: read, index, import.", no_args_is_help=True)
errors = Console(stderr=True, soft_wrap=True)

EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2  # see medvigil.scan_cli


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


def _load(paths: list[Path]):  # type: ignore[no-untyped-def]  # FeedData, imported lazily
    from medvigil.scan_cli import load_feeds_with_progress

    return load_feeds_with_progress(paths)


@feeds_app.command("index")
def feeds_index(
    paths: Annotated[list[Path], typer.Argument(help="Feed files, folders or zip archives")],
    out: Annotated[Path, typer.Option("-o", "--output", help="Index file to write")],
) -> None:
    """Read feeds once and write a compact index file for fast `medvigil scan --index`."""
    from medvigil.core.scanning import FeedError, write_index

    try:
        feeds = _load(paths)
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
    # `medvigil scan` itself starts in medvigil.scan_cli without Typer; this is its --help twin.
    from medvigil.scan_cli import run_scan

    code = run_scan(sbom, feed or [], index, format.value, fail_on.value if fail_on else None, out)
    if code != EXIT_CLEAN:
        raise typer.Exit(code)


def _add_database_commands() -> None:
    # `feeds import`, `feeds sync`, `feeds add` load Django lazily (medvigil.vulns.commands).
    from medvigil.vulns.commands import register_feed_commands

    register_feed_commands(feeds_app)


_add_database_commands()
