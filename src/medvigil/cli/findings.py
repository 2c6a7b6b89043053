"""`medvigil findings list|rematch`: the findings of the portfolio.

Each command sets Django up first, then imports the app modules it needs
(models cannot be imported before the app registry is ready).
"""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer

from medvigil.cli.output import command_group, console, errors, text_table
from medvigil.platform.setup import setup_django

findings_app = command_group("List the findings of the portfolio and re-match it.")


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
    setup_django()
    from medvigil.vulns.selectors import all_findings

    rows = [
        finding_entry(item)
        for item in all_findings(product, version, "" if state == "all" else state)
    ]
    if format_name == "json":
        sys.stdout.write(json.dumps({"findings": rows}, indent=2) + "\n")
        return
    table = text_table(
        "product", "version", "vulnerability", "severity", "KEV", "component", "state"
    )
    for row in rows:
        component = f"{row['component']['name']} {row['component']['version']}".strip()
        table.add_row(
            row["product"],
            row["version"],
            row["vulnerability"],
            row["severity"],
            "yes" if row["kev"] else "",
            component,
            row["state"],
        )
    console.print(table)
    console.print(f"{len(rows)} finding(s).")


@findings_app.command("rematch")
def findings_rematch(
    queue: Annotated[
        bool, typer.Option("--queue", help="Leave the re-match to the worker instead of now")
    ] = False,
) -> None:
    """Match every component of the portfolio now (what the scheduled task does)."""
    setup_django()
    from django.db import transaction

    from medvigil.audit.context import Actor, acting_as
    from medvigil.audit.services import record
    from medvigil.vulns.matching import rematch_all
    from medvigil.vulns.tasks import rematch_all_task

    if queue:
        with acting_as(Actor(label="command line")), transaction.atomic():
            queued = rematch_all_task.enqueue()
            record("vulns.rematch.queued", ("tasks.task", str(queued.id)))
        console.print(f"Full re-match queued (task {queued.id}).")
        return
    with acting_as(Actor(label="command line")), console.status("Matching the portfolio…"):
        report = rematch_all()
    console.print(
        f"Examined {report.examined} component(s): {report.opened} finding(s) opened, "
        f"{report.reopened} reopened, {report.closed} closed, "
        f"{report.updated + report.unchanged} unchanged or updated."
    )
