"""`medvigil vex …`: read a VEX file, import a supplier's VEX into a version, export a version's.

`check` needs no database: it runs the core reader on the file alone. The
other commands load Django lazily, so importing this module stays cheap.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from medvigil.cli.output import command_group, console, errors, text_table
from medvigil.platform.setup import setup_django

vex_app = command_group("Read, import and export VEX documents (CycloneDX, OpenVEX, CSAF).")
FORMATS = ("cyclonedx", "openvex", "csaf")


def read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        errors.print(f"[red]Cannot read {path}:[/red] {error.strerror or error}")
        raise typer.Exit(2) from error


def _version(product: str, version: str) -> Any:
    setup_django()
    from medvigil.portfolio.models import ProductVersion

    target = (
        ProductVersion.objects.filter(product__model_number=product, version=version)
        .select_related("product")
        .first()
    )
    if target is None:
        errors.print(
            f"[red]No version {version!r} of a product with model number {product!r}.[/red]"
        )
        raise typer.Exit(2)
    return target


@vex_app.command("check")
def check(
    file: Annotated[Path, typer.Argument(help="VEX file (CycloneDX, OpenVEX or CSAF)")],
) -> None:
    """Read a VEX document and list its statements. No server or database needed.

    Exit code 1 when the document cannot be read.
    """
    from medvigil.core.vex import VexFormatError, read_vex

    try:
        document = read_vex(read_file(file), source=file.name)
    except VexFormatError as error:
        errors.print(f"[red]Unreadable VEX:[/red] {error}", markup=True)
        raise typer.Exit(1) from error
    console.print(
        f"[bold]{file.name}[/bold]: {document.format}, {len(document.statements)} statement(s)"
        + (f" by {document.author}" if document.author else "")
    )
    table = text_table("vulnerability", "status", "justification", "products")
    for statement in document.statements:
        table.add_row(
            statement.vulnerability,
            statement.status,
            statement.justification or "",
            ", ".join(product.label for product in (*statement.products, *statement.subcomponents)),
        )
    console.print(table)
    for line in document.skipped:
        console.print(f"  skipped: {line}", markup=False)


@vex_app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="Supplier VEX file (CycloneDX, OpenVEX or CSAF)")],
    product: Annotated[str, typer.Option("--product", help="Model number of the product")],
    version: Annotated[str, typer.Option("--version", help="Version of the product")],
) -> None:
    """Import a supplier's VEX into a product version: its statements become proposals."""
    content = read_file(file)
    target = _version(product, version)
    from medvigil.audit.context import Actor, acting_as
    from medvigil.platform.refusals import Refusal
    from medvigil.vex.services import import_vex

    with acting_as(Actor(label="command line")):
        try:
            document = import_vex(target, content, file.name, None)
        except Refusal as refusal:
            errors.print("Not imported:", style="red")
            for line in refusal.messages:
                errors.print(f"  {line}", markup=False, highlight=False)
            raise typer.Exit(1) from refusal
    console.print(
        f"Imported {document.filename} into {target}: {document.get_format_display()}, "
        f"{document.statement_count} statement(s), {document.proposal_count} proposal(s) "
        f"to review, SHA-256 {document.sha256}."
    )
    for outcome in document.outcomes:
        if outcome["note"]:
            console.print(
                f"  statement {outcome['number']} ({outcome['vulnerability']}): {outcome['note']}",
                markup=False,
            )


@vex_app.command("export")
def export_command(
    product: Annotated[str, typer.Argument(help="Model number of the product")],
    version: Annotated[str, typer.Argument(help="Version of the product")],
    format_name: Annotated[str, typer.Option("--format", help=" | ".join(FORMATS))] = FORMATS[0],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File to write; standard output if absent")
    ] = None,
) -> None:
    """Export a version's VEX: CycloneDX 1.6, OpenVEX 0.2.0 or CSAF 2.0 (csaf_vex)."""
    if format_name not in FORMATS:
        errors.print(f"[red]Unknown format {format_name!r}[/red]; use {', '.join(FORMATS)}.")
        raise typer.Exit(2)
    target = _version(product, version)
    from django.utils import timezone

    from medvigil.platform.refusals import Refusal
    from medvigil.vex.selectors import export_version

    try:
        content = export_version(target, format_name, timezone.now())
    except Refusal as refusal:
        errors.print("Not exported:", style="red")
        for line in refusal.messages:
            errors.print(f"  {line}", markup=False, highlight=False)
        raise typer.Exit(1) from refusal
    if output is None:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
    else:
        output.write_bytes(content)
        errors.print(f"Exported the VEX of {target} ({format_name}) to {output}.")
