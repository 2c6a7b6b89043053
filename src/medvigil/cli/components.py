"""`medvigil components where QUERY`: which product versions contain a component.

The command runs as the operator of the installation and searches the whole
portfolio, like `medvigil findings list`. It sets Django up first, then
imports the app modules it needs.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer

from medvigil.cli.output import command_group, console, errors, print_refusal, text_table
from medvigil.platform.setup import setup_django

components_app = command_group("Search the components of the whole portfolio.")
PAGE_SIZE = 500


@components_app.command("where")
def where(
    query: Annotated[
        str,
        typer.Argument(
            help="A name, purl or CPE with version constraints, e.g. 'openssl<3.0.8', "
            "'pkg:npm/lodash@4.17.20', 'cpe:2.3:a:openssl:openssl:*' (quote it for the shell)"
        ),
    ],
    format_name: Annotated[str, typer.Option("--format", help="table or json")] = "table",
) -> None:
    """Which products and versions contain a component; every match, with its SBOM.

    Exit code 2 when the query cannot be read (the reason is printed).
    """
    if format_name not in ("table", "json"):
        errors.print("[red]--format is table or json[/red]")
        raise typer.Exit(2)
    setup_django()
    from medvigil.platform.refusals import Refusal
    from medvigil.sbom.search import result_shape, search

    pages: list[dict[str, Any]] = []
    cursor = None
    try:
        while True:
            page = result_shape(search(None, query, cursor=cursor, limit=PAGE_SIZE))
            pages.append(page)
            cursor = page["next_cursor"]
            if cursor is None:
                break
    except Refusal as refusal:
        print_refusal(refusal, "Cannot search: ")
        raise typer.Exit(2) from refusal
    first = pages[0]
    items = [item for page in pages for item in page["items"]]
    if format_name == "json":
        answer = {key: first[key] for key in ("query", "kind", "total", "version_count")}
        sys.stdout.write(json.dumps({**answer, "items": items}, indent=2) + "\n")
        return
    table = text_table(
        "product",
        "version",
        "phase",
        "component",
        "component version",
        "SBOM",
        "open findings",
        "deployed at",
    )
    for item in items:
        findings = item["open_findings"]
        table.add_row(
            item["product"]["name"],
            item["version"]["version"],
            item["version"]["phase_label"],
            item["component"]["name"],
            item["component"]["version"],
            item["document"]["filename"],
            "—" if findings is None else str(findings),
            ", ".join(
                f"{place['organisation']} ({place['units']})" for place in item["deployed_at"]
            )
            or "—",
        )
    console.print(table)
    console.print(
        f"{first['total']} component(s) matching {first['query']!r} "
        f"in {first['version_count']} product version(s)."
    )
