"""`medvigil scan`: an SBOM against local feeds, with no server and no database.

`medvigil.launcher` runs this module straight from the command line, before
Typer, Pydantic, Rich or Django are imported: a pipeline's cold start pays
only for the scan. `medvigil --help` lists the same command through Typer
(`feeds_cli.scan_command`), which calls `run_scan` too. Rich is imported
only to draw progress on a terminal or to print the table format.

Exit codes: 0 no finding at or above --fail-on (or no --fail-on), 1 findings
at or above it, 2 unreadable input (SBOM, feed, index file).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medvigil import __version__

if TYPE_CHECKING:
    from medvigil.core.scanning import FeedData, ScanResult

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_UNREADABLE = 2
OUTPUT_FORMATS = ("table", "json", "sarif", "cyclonedx-vex")
SEVERITIES = ("low", "medium", "high", "critical")


class Unreadable(Exception):
    """Input the scan cannot use; the message says which and why."""


def error(message: str) -> None:
    sys.stderr.write(message.rstrip("\n") + "\n")


@contextmanager
def progress(description: str, total: int | None) -> Iterator[Callable[[int, int | None], None]]:
    """A progress bar on a terminal (Rich, loaded only then); elsewhere nothing."""
    if not sys.stderr.isatty():
        yield lambda done, total: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(
        *columns, TimeElapsedColumn(), console=Console(stderr=True), transient=True
    ) as bar:
        task = bar.add_task(description, total=total)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def load_feeds_with_progress(paths: list[Path]) -> FeedData:
    """Feeds read from files, folders or zips; skipped records reported on stderr."""
    from medvigil.core.scanning import load_feeds

    with progress("Reading feeds", None) as advance:
        feeds = load_feeds(paths, advance)
    for problem in feeds.problems[:20]:
        error(f"skipped {problem.source}: {problem.message}")
    if len(feeds.problems) > 20:
        error(f"… and {len(feeds.problems) - 20} more skipped records")
    return feeds


def run_scan(
    sbom: Path,
    feeds: list[Path],
    index: Path | None,
    output_format: str = "table",
    fail_on: str | None = None,
    out: Path | None = None,
) -> int:
    """Scan, write the report, and answer the exit code."""
    try:
        result = _scan(sbom, feeds, index)
    except Unreadable as problem:
        error(str(problem))
        return EXIT_UNREADABLE
    if output_format == "table":
        _print_table(result, out)
    else:
        from medvigil.core.scanning import reports  # only the writer this run needs

        if output_format == "json":
            report = reports.json_report(result)
        elif output_format == "sarif":
            report = reports.sarif_report(result, sbom.name, __version__)
        else:
            report = reports.cyclonedx_vex(result, datetime.now(UTC), __version__)
        text = readable_json(report)
        if out is None:
            sys.stdout.write(text)
        else:
            out.write_text(text, encoding="utf-8")
    from medvigil.core.scanning import at_or_above

    if fail_on is not None and at_or_above(result.findings, fail_on):
        return EXIT_FINDINGS
    return EXIT_CLEAN


def readable_json(report: dict[str, Any]) -> str:
    """The report with one list item per line: readable, and written by the C JSON encoder
    (an indented dump goes through the pure-Python encoder, several times slower)."""
    parts = []
    for key, value in report.items():
        if isinstance(value, list) and value:
            items = ",\n".join("    " + json.dumps(item, ensure_ascii=False) for item in value)
            text = f"[\n{items}\n  ]"
        else:
            text = json.dumps(value, ensure_ascii=False)
        parts.append(f"  {json.dumps(key)}: {text}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def _scan(sbom: Path, feed_paths: list[Path], index: Path | None) -> ScanResult:
    from medvigil.core.matching import AdvisoryIndex, component_keys, group_aliases, groups_of
    from medvigil.core.sbom import SbomFormatError, parse_sbom
    from medvigil.core.scanning import FeedError, IndexFileError, read_index, scan

    if not feed_paths and index is None:
        raise Unreadable("Give at least one --feed PATH or an --index FILE.")
    try:
        document = parse_sbom(sbom.read_bytes(), sbom.name)
    except (OSError, SbomFormatError) as problem:
        raise Unreadable(f"Cannot read the SBOM: {problem}") from None
    except Exception as problem:  # a parser bug must still exit 2, not print a traceback
        raise Unreadable(f"Cannot read the SBOM: {sbom}: {problem}") from None
    wanted = set()
    for component in document.components:
        wanted.update(component_keys(component.purl, component.cpe))
    parts = []
    try:
        if index is not None:
            parts.append(read_index(index.read_bytes(), wanted))
        if feed_paths:
            parts.append(load_feeds_with_progress(feed_paths))
    except (OSError, IndexFileError) as problem:
        raise Unreadable(f"Cannot read the index file: {index}: {problem}") from None
    except FeedError as problem:
        raise Unreadable(f"Cannot read feeds: {problem}") from None
    advisories = [advisory for part in parts for advisory in part.advisories]
    identities = [advisory for part in parts for advisory in part.identities]
    kev = {key: value for part in parts for key, value in part.kev.items()}
    epss = {key: value for part in parts for key, value in part.epss.items()}
    if feed_paths:
        groups = group_aliases([*advisories, *identities])
    else:  # the index's stored groups already hold every id and alias of its advisories
        groups = groups_of((identity.id, *identity.aliases) for identity in identities)
    advisory_index = AdvisoryIndex.build(advisories)
    with progress("Matching components", len(document.components)) as advance:
        total = len(document.components)
        return scan(document, advisory_index, groups, kev, epss, lambda done: advance(done, total))


def _print_table(result: ScanResult, out: Path | None) -> None:
    from rich.console import Console
    from rich.table import Table

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
        Console(soft_wrap=True).print(table)
    else:
        with out.open("w", encoding="utf-8") as handle:
            Console(file=handle, width=200).print(table)


def parser() -> argparse.ArgumentParser:
    command = argparse.ArgumentParser(
        prog="medvigil scan",
        description="Scan an SBOM against local feeds: no server, no database. Exit codes: 0 no "
        "finding at or above --fail-on, 1 findings at or above it, 2 unreadable input.",
    )
    command.add_argument("sbom", type=Path, help="CycloneDX or SPDX SBOM")
    command.add_argument(
        "--feed",
        type=Path,
        action="append",
        default=[],
        help="Feed file, folder or zip archive (repeat)",
    )
    command.add_argument("--index", type=Path, help="Prebuilt index (medvigil feeds index)")
    command.add_argument("--format", choices=OUTPUT_FORMATS, default="table", help="Output format")
    command.add_argument(
        "--fail-on", choices=SEVERITIES, help="Exit 1 when a finding is at or above this severity"
    )
    command.add_argument("-o", "--output", type=Path, help="Write here, not stdout")
    return command


def main(arguments: list[str]) -> int:
    """`medvigil scan ARGUMENTS…`; argparse exits 2 on a bad option, like unreadable input."""
    options: Any = parser().parse_args(arguments)
    return run_scan(
        options.sbom, options.feed, options.index, options.format, options.fail_on, options.output
    )
