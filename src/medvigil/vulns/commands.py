"""Django-backed commands: `medvigil feeds import|sync|add` and `medvigil findings list|rematch`.

The feed commands are attached to the `feeds` sub-app of `medvigil.feeds_cli`
(which also holds the database-free `feeds index`); `findings` is its own
sub-app. Django is loaded lazily, so importing this module stays cheap.

Exit codes: 0 success; 1 something failed (a rejected file, a failed
download); 2 bad usage (a missing path, an unknown kind).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

console = Console(soft_wrap=True)
errors = Console(stderr=True, soft_wrap=True)
KINDS = ("auto", "osv", "nvd", "cve5", "kev", "epss", "csaf")
findings_app = typer.Typer(
    help="List the findings of the portfolio and re-match it.", no_args_is_help=True
)


def _setup() -> None:
    from medvigil.cli import setup_django

    setup_django()


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
    _setup()
    from medvigil.audit.context import Actor, acting_as
    from medvigil.vulns.matching import rematch_keys
    from medvigil.vulns.services import import_feed

    failed = False
    with acting_as(Actor(label="command line")):
        for path in paths:
            with console.status(f"Importing {path}…"):
                result = import_feed(path, kind, rematch=queue)
            counts = ", ".join(f"{value} {key}" for key, value in result.counts.items() if value)
            console.print(f"[bold]{path}[/bold]: {result.get_status_display()}: {counts}")
            for error in result.errors[:10]:
                errors.print(f"  rejected: {error['reason']}", markup=False)
            if len(result.errors) > 10:
                errors.print(f"  … and {len(result.errors) - 10} more rejected file(s)")
            failed = failed or bool(result.errors)
            if result.changed_keys and not queue:
                with console.status("Re-matching the components named by changed advisories…"):
                    keys = [tuple(key) for key in result.changed_keys]
                    report = rematch_keys(keys, scope=f"feed import {result.pk}")  # type: ignore[arg-type]
                console.print(
                    f"  re-matched {report.examined} component(s): {report.opened} finding(s) "
                    f"opened, {report.reopened} reopened, {report.closed} closed"
                )
    if failed:
        raise typer.Exit(1)


def feeds_sync() -> None:
    """Download the configured feeds (conditional requests) and import what changed."""
    _setup()
    from medvigil.audit.context import Actor, acting_as
    from medvigil.vulns.sync import sync_feeds

    with acting_as(Actor(label="command line")):
        outcomes = sync_feeds()
    if not outcomes:
        console.print("No feed source configured: add one with `medvigil feeds add NAME URL`.")
        return
    table = Table("feed", "result", "HTTP", "counts", "error")
    for outcome in outcomes:
        counts = ", ".join(f"{value} {key}" for key, value in outcome.counts.items() if value)
        table.add_row(
            outcome.source, outcome.status, str(outcome.http_status or "—"), counts, outcome.error
        )
    console.print(table)
    if any(outcome.status == "failed" for outcome in outcomes):
        raise typer.Exit(1)


def feeds_add(
    name: Annotated[str, typer.Argument(help="A short name for the feed")],
    url: Annotated[str, typer.Argument(help="http(s) URL of the file or zip archive")],
    kind: Annotated[str, typer.Option(help=f"Feed kind: {', '.join(KINDS)}")] = "auto",
    maximum_age_hours: Annotated[
        int, typer.Option("--max-age", help="Hours after which `medvigil check` fails")
    ] = 48,
) -> None:
    """Configure (or change) a feed that `medvigil feeds sync` downloads."""
    if kind not in KINDS:
        errors.print(f"[red]Unknown kind {kind!r}[/red]; kinds: {', '.join(KINDS)}")
        raise typer.Exit(2)
    _setup()
    from medvigil.audit.context import Actor, acting_as
    from medvigil.vulns.sync import add_source

    with acting_as(Actor(label="command line")):
        try:
            source = add_source(name, url, kind, maximum_age_hours)
        except ValueError as error:
            errors.print(f"[red]{error}[/red]")
            raise typer.Exit(2) from error
    console.print(f"Feed [bold]{source.name}[/bold] will be synchronised from {source.url}.")


def register_feed_commands(feeds_app: typer.Typer) -> None:
    """Attach the database-backed feed commands to the `feeds` sub-app."""
    feeds_app.command("import")(feeds_import)
    feeds_app.command("sync")(feeds_sync)
    feeds_app.command("add")(feeds_add)


def finding_entry(finding: Any) -> dict[str, Any]:
    vulnerability, version = finding.vulnerability, finding.version
    return {
        "product": version.product.name,
        "model_number": version.product.model_number,
        "version": version.version,
        "vulnerability": vulnerability.canonical_id,
        "aliases": vulnerability.members,
        "severity": vulnerability.severity,
        "score": vulnerability.score,
        "kev": bool(finding.kev),
        "state": finding.state,
        "close_reason": finding.close_reason,
        "component": {
            "name": finding.component_name,
            "version": finding.component_version,
            "purl": finding.component_purl,
            "cpe": finding.component_cpe,
        },
        "match": {"method": finding.method, "confidence": finding.confidence},
        "advisories": [
            {key: entry[key] for key in ("advisory", "source", "matched", "fixed")}
            for entry in finding.provenance
        ],
        "first_seen": finding.first_seen.isoformat(),
        "last_seen": finding.last_seen.isoformat(),
    }


@findings_app.command("list")
def findings_list(
    product: Annotated[str, typer.Option(help="Product name or model number")] = "",
    version: Annotated[str, typer.Option(help="Version of the product")] = "",
    state: Annotated[str, typer.Option(help="open, candidate, closed or all")] = "open",
    format_name: Annotated[str, typer.Option("--format", help="table or json")] = "table",
) -> None:
    """List findings; each entry names its product and version."""
    if format_name not in ("table", "json") or state not in ("open", "candidate", "closed", "all"):
        errors.print(
            "[red]--format is table or json; --state is open, candidate, closed or all[/red]"
        )
        raise typer.Exit(2)
    _setup()
    from medvigil.vulns.selectors import all_findings

    rows = [
        finding_entry(item)
        for item in all_findings(product, version, "" if state == "all" else state)
    ]
    if format_name == "json":
        sys.stdout.write(json.dumps({"findings": rows}, indent=2) + "\n")
        return
    table = Table("product", "version", "vulnerability", "severity", "KEV", "component", "state")
    for row in rows:
        component = f"{row['component']['name']} {row['component']['version']}".strip()
        table.add_row(
            row["product"], row["version"], row["vulnerability"], row["severity"],
            "yes" if row["kev"] else "", component, row["state"],
        )  # fmt: skip
    console.print(table)
    console.print(f"{len(rows)} finding(s).")


@findings_app.command("rematch")
def findings_rematch() -> None:
    """Match every component of the portfolio now (what the scheduled task does)."""
    _setup()
    from medvigil.audit.context import Actor, acting_as
    from medvigil.vulns.matching import rematch_all

    with acting_as(Actor(label="command line")), console.status("Matching the portfolio…"):
        report = rematch_all()
    console.print(
        f"Examined {report.examined} component(s): {report.opened} finding(s) opened, "
        f"{report.reopened} reopened, {report.closed} closed, "
        f"{report.updated + report.unchanged} unchanged or updated."
    )
