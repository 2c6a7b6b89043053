"""`medvigil sbom …`: check an SBOM file, import it into a version, export a version.

`check` needs no database and no settings: it runs the core engine on the
file alone, so it fits a build pipeline. The other commands load Django
lazily, so importing this module stays cheap.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn
from rich.table import Table

from medvigil.cli.output import command_group, console, errors, print_refusal, text_table
from medvigil.platform.setup import setup_django

sbom_app = command_group("Check, import and export software bills of materials.")
# Files above this size get a progress display.
LARGE_FILE_BYTES = 1024 * 1024
MISSING_SHOWN = 5
ROLES = ("firmware", "application", "operating-system", "third-party", "hardware", "other")
FORMATS = ("cyclonedx-json", "cyclonedx-xml", "spdx-json")


def read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        errors.print(f"[red]Cannot read {path}:[/red] {error.strerror or error}")
        raise typer.Exit(2) from error


def quality_table(report: Any) -> Table:
    table = text_table("element", "present", "share", "missing (first references)")
    for coverage in report.elements:
        shown = ", ".join(coverage.missing[:MISSING_SHOWN])
        if len(coverage.missing) > MISSING_SHOWN:
            shown += f" … and {len(coverage.missing) - MISSING_SHOWN} more"
        table.add_row(
            coverage.element,
            f"{coverage.present}/{coverage.total}",
            f"{coverage.percentage:.1f} %",
            shown,
        )
    return table


@sbom_app.command("check")
def check(file: Annotated[Path, typer.Argument(help="SBOM file (CycloneDX or SPDX)")]) -> None:
    """Read an SBOM and print its quality report (NTIA minimum elements, FDA extras).

    Needs no server and no database. Exit code 1 when the document cannot be read.
    """
    from medvigil.core.sbom import SbomFormatError, assess_quality, parse_sbom

    content = read_file(file)
    try:
        if len(content) > LARGE_FILE_BYTES:
            with console.status(f"Reading {file.name} ({len(content) // 1024} KB)…"):
                document = parse_sbom(content, file.name)
        else:
            document = parse_sbom(content, file.name)
    except SbomFormatError as error:
        errors.print(f"[red]Unreadable SBOM:[/red] {error}")
        raise typer.Exit(1) from error
    report = assess_quality(document)
    console.print(
        f"[bold]{file.name}[/bold]: {document.format} {document.spec_version} "
        f"({document.serialisation}), {report.components} components"
    )
    console.print(f"  author: {', '.join(document.authors) or '[red]missing[/red]'}")
    created = document.created.isoformat() if document.created else "[red]missing[/red]"
    console.print(f"  timestamp: {created}")
    console.print(quality_table(report))
    ntia = "[green]yes[/green]" if report.meets_ntia_minimum else "[red]no[/red]"
    fda = "[green]yes[/green]" if report.meets_fda_extras else "[red]no[/red]"
    console.print(f"NTIA minimum elements met: {ntia}; FDA support extras met: {fda}")
    if document.warnings:
        console.print(f"{len(document.warnings)} warning(s):")
        for warning in document.warnings[:20]:
            console.print(f"  - {warning}", markup=False)


def _find_or_create_version(
    product_key: str, version_name: str, team: str | None, name: str | None
) -> Any:
    from medvigil.accounts.models import Team
    from medvigil.portfolio import services as portfolio_services
    from medvigil.portfolio.models import Product, ProductVersion

    product = Product.objects.filter(model_number=product_key).first()
    if product is None:
        teams = Team.objects.filter(name=team) if team else Team.objects.all()
        found = list(teams[:2])
        if team and not found:
            errors.print(f"[red]There is no team named {team!r}.[/red]")
            raise typer.Exit(2)
        if len(found) != 1:
            errors.print(
                "[red]Product "
                f"{product_key!r} does not exist and there are {'no' if not found else 'several'} "
                "teams:[/red] give the owning team with --team."
            )
            raise typer.Exit(2)
        product = portfolio_services.create_product(
            user=None,
            team=found[0],
            values={"name": name or product_key, "model_number": product_key},
        )
        console.print(f"Created product {product}.")
    version = ProductVersion.objects.filter(product=product, version=version_name).first()
    if version is None:
        version = portfolio_services.create_version(
            product, user=None, values={"version": version_name}
        )
        console.print(f"Created version {version}.")
    return version


@sbom_app.command("import")
def import_command(
    product: Annotated[str, typer.Argument(help="Model number of the product")],
    version: Annotated[str, typer.Argument(help="Version of the product")],
    file: Annotated[Path, typer.Argument(help="SBOM file (CycloneDX or SPDX)")],
    role: Annotated[
        str, typer.Option(help=f"What the SBOM covers: {', '.join(ROLES)}")
    ] = "firmware",
    team: Annotated[
        str | None, typer.Option(help="Team owning a new product (default: the only team)")
    ] = None,
    name: Annotated[str | None, typer.Option(help="Name of a new product")] = None,
) -> None:
    """Import an SBOM into a product version, creating the product and version if needed."""
    content = read_file(file)
    setup_django()
    from medvigil.audit.context import Actor, acting_as
    from medvigil.platform.refusals import Refusal
    from medvigil.sbom.services import import_sbom

    with acting_as(Actor(label="command line")):
        try:
            target = _find_or_create_version(product, version, team, name)
            with Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TaskProgressColumn(),
                console=errors,
                disable=len(content) <= LARGE_FILE_BYTES,
            ) as progress:
                task = progress.add_task(f"Reading {file.name}", total=None)

                def report(stage: str, done: int, total: int) -> None:
                    progress.update(
                        task, description=f"Storing {stage}", completed=done, total=total
                    )

                document = import_sbom(target, content, file.name, role, None, progress=report)
        except Refusal as refusal:
            print_refusal(refusal, prefix="Not imported: ")
            raise typer.Exit(1) from refusal
    console.print(
        f"Imported {document.filename} into {target}: {document.format} "
        f"{document.spec_version}, {document.component_count} components, "
        f"{len(document.warnings)} warning(s), SHA-256 {document.sha256}."
    )


@sbom_app.command("export")
def export_command(
    product: Annotated[str, typer.Argument(help="Model number of the product")],
    version: Annotated[str, typer.Argument(help="Version of the product")],
    format_name: Annotated[str, typer.Option("--format", help=" | ".join(FORMATS))] = FORMATS[0],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File to write; standard output if absent")
    ] = None,
) -> None:
    """Export a version's merged SBOM (CycloneDX 1.6 JSON/XML or SPDX 2.3 JSON)."""
    if format_name not in FORMATS:
        errors.print(f"[red]Unknown format {format_name!r}[/red]; use {', '.join(FORMATS)}.")
        raise typer.Exit(2)
    setup_django()
    from django.utils import timezone

    from medvigil.portfolio.models import ProductVersion
    from medvigil.sbom.selectors import export_version

    target = ProductVersion.objects.filter(product__model_number=product, version=version).first()
    if target is None:
        errors.print(f"[red]There is no version {version!r} of product {product!r}.[/red]")
        raise typer.Exit(1)
    content = export_version(target, format_name, timezone.now())
    if output is None:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
    else:
        output.write_bytes(content)
        errors.print(f"Wrote {len(content)} bytes to {output}.")
