"""`medvigil feeds …` and `medvigil scan`: vulnerability feeds on the command line.

`feeds_app` is the `feeds` sub-command group; the vulns app adds its own
commands (import, sync) to it. `scan` and `feeds index` run with no server
and no database: they never set Django up.

Exit codes of `scan`: 0 no finding at or above --fail-on (or no --fail-on),
1 findings at or above it, 2 unreadable input (SBOM, feed, index file).
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from medvigil import __version__

feeds_app = typer.Typer(help="Vulnerability feeds: read, index, import.", no_args_is_help=True)
output = Console(soft_wrap=True)
errors = Console(stderr=True, soft_wrap=True)

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_UNREADABLE = 2


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


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=errors,
        transient=True,
        disable=not errors.is_terminal,
    )


def _load(paths: list[Path]):  # type: ignore[no-untyped-def]  # FeedData, imported lazily
    from medvigil.core.scanning import load_feeds

    with _progress() as progress:
        task = progress.add_task("Reading feeds", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        feeds = load_feeds(paths, advance)
    for problem in feeds.problems[:20]:
        errors.print(f"[yellow]skipped[/yellow] {problem.source}: {problem.message}")
    if len(feeds.problems) > 20:
        errors.print(f"[yellow]… and {len(feeds.problems) - 20} more skipped records[/yellow]")
    return feeds


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
    from medvigil.core.matching import AdvisoryIndex, group_aliases
    from medvigil.core.matching.keys import component_keys
    from medvigil.core.sbom import SbomFormatError, parse_sbom
    from medvigil.core.scanning import (
        FeedData,
        FeedError,
        IndexFileError,
        at_or_above,
        cyclonedx_vex,
        json_report,
        read_index,
        sarif_report,
        scan,
    )

    if not feed and index is None:
        errors.print("[red]Give at least one --feed PATH or an --index FILE.[/red]")
        raise typer.Exit(EXIT_UNREADABLE)
    try:
        document = parse_sbom(sbom.read_bytes(), sbom.name)
    except (OSError, SbomFormatError) as error:
        errors.print(f"[red]Cannot read the SBOM:[/red] {error}")
        raise typer.Exit(EXIT_UNREADABLE) from None
    except Exception as error:  # a parser bug must still exit 2, not print a traceback
        errors.print(f"[red]Cannot read the SBOM:[/red] {sbom}: {error}")
        raise typer.Exit(EXIT_UNREADABLE) from None
    wanted = set()
    for component in document.components:
        wanted.update(component_keys(component.purl, component.cpe))
    parts: list[FeedData] = []
    try:
        if index is not None:
            parts.append(read_index(index.read_bytes(), wanted))
        if feed:
            parts.append(_load(feed))
    except (OSError, IndexFileError) as error:
        errors.print(f"[red]Cannot read the index file:[/red] {index}: {error}")
        raise typer.Exit(EXIT_UNREADABLE) from None
    except FeedError as error:
        errors.print(f"[red]Cannot read feeds:[/red] {error}")
        raise typer.Exit(EXIT_UNREADABLE) from None
    advisories = [advisory for part in parts for advisory in part.advisories]
    identities = [advisory for part in parts for advisory in part.identities]
    kev = {key: value for part in parts for key, value in part.kev.items()}
    epss = {key: value for part in parts for key, value in part.epss.items()}
    groups = group_aliases([*advisories, *identities])
    advisory_index = AdvisoryIndex.build(advisories)
    with _progress() as progress:
        task = progress.add_task("Matching components", total=len(document.components))
        result = scan(
            document,
            advisory_index,
            groups,
            kev,
            epss,
            lambda done: progress.update(task, completed=done),
        )
    if format is OutputFormat.TABLE:
        _print_table(result, out)
    else:
        if format is OutputFormat.JSON:
            report = json_report(result)
        elif format is OutputFormat.SARIF:
            report = sarif_report(result, sbom.name, __version__)
        else:
            report = cyclonedx_vex(result, datetime.now(UTC), __version__)
        text = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
        if out is None:
            sys.stdout.write(text)
        else:
            out.write_text(text, encoding="utf-8")
    if fail_on is not None and at_or_above(result.findings, fail_on.value):
        raise typer.Exit(EXIT_FINDINGS)


def _print_table(result, out: Path | None) -> None:  # type: ignore[no-untyped-def]
    table = Table(title=f"{len(result.findings)} finding(s) in {result.components} components")
    for column in ("component", "version", "vulnerability", "severity", "KEV", "EPSS", "fixed"):
        # Ids stay whole (searchable, copyable) however narrow the terminal.
        table.add_column(column, no_wrap=column == "vulnerability")
    for finding in result.findings:
        fixed = sorted({version for item in finding.advisories for version in item.fixed})
        table.add_row(
            finding.component.name,
            finding.component.version or "",
            finding.vulnerability,
            finding.severity.level
            + (f" {finding.severity.score:.1f}" if finding.severity.score is not None else ""),
            "yes" if finding.kev else "",
            f"{finding.epss.probability:.3f}" if finding.epss else "",
            ", ".join(fixed),
        )
    if out is None:
        output.print(table)
    else:
        with out.open("w", encoding="utf-8") as handle:
            Console(file=handle, width=200).print(table)


def _add_database_commands() -> None:
    # `feeds import`, `feeds sync`, `feeds add` load Django lazily (medvigil.vulns.commands).
    from medvigil.vulns.commands import register_feed_commands

    register_feed_commands(feeds_app)


_add_database_commands()
