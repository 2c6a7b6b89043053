"""`medvigil threatmodel …`: check a YAML model, list its threats, list and export stored ones.

`check` and `threats` need no server, no database and no settings: they run
the core engine on the file alone, so they fit a device's build pipeline.
`list` and `export` load Django lazily.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer

from medvigil.cli.output import command_group, console, errors, text_table
from medvigil.platform.setup import setup_django

threatmodel_app = command_group(
    "Check threat models as code, list their threats, export stored ones."
)
FORMATS = ("table", "json")


def read_model_file(file: Path) -> object:
    from medvigil.core.threats import ThreatModelError, read_model

    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        errors.print(f"[red]Cannot read {file}:[/red] {error}")
        raise typer.Exit(2) from error
    try:
        return read_model(text)
    except ThreatModelError as error:
        errors.print(f"[red]{file} is not a valid threat model:[/red]")
        for problem in error.problems:
            errors.print(f"  {problem}", markup=False, highlight=False)
        raise typer.Exit(1) from error


def check_format(format_name: str) -> None:
    if format_name not in FORMATS:
        errors.print(f"[red]Unknown format {format_name!r}[/red]; use {', '.join(FORMATS)}.")
        raise typer.Exit(2)


@threatmodel_app.command("check")
def check(file: Annotated[Path, typer.Argument(help="Threat model (YAML)")]) -> None:
    """Validate a threat model; exit 1 listing each bad field, 0 when valid. No server needed."""
    from medvigil.core.threats import ArchitectureModel, generate

    model = read_model_file(file)
    assert isinstance(model, ArchitectureModel)
    console.print(
        f"{file}: valid. {len(model.elements)} elements, {len(model.flows)} data flows, "
        f"{len(model.boundaries)} trust boundaries, {len(model.functions)} clinical functions "
        f"({len(model.emergency_elements())} element(s) serving emergency access); "
        f"{len(generate(model))} threats generated.",
        markup=False,
        highlight=False,
    )


@threatmodel_app.command("threats")
def threats(
    file: Annotated[Path, typer.Argument(help="Threat model (YAML)")],
    format_name: Annotated[str, typer.Option("--format", help="table | json")] = "table",
) -> None:
    """Generate the threats of a model (stable ids). No server needed."""
    from medvigil.core.threats import ArchitectureModel, generate

    check_format(format_name)
    model = read_model_file(file)
    assert isinstance(model, ArchitectureModel)
    found = generate(model)
    if format_name == "json":
        sys.stdout.write(json.dumps([asdict(threat) for threat in found], indent=2) + "\n")
        return
    table = text_table("id", "rule", "STRIDE", "targets", "threat", "controls")
    for threat in found:
        table.add_row(
            threat.id,
            threat.rule_id,
            threat.stride,
            ", ".join(threat.targets),
            threat.title,
            ", ".join(threat.controls),
        )
    console.print(table)
    console.print(f"{len(found)} threats.")


@threatmodel_app.command("import-threagile")
def import_threagile(
    file: Annotated[Path, typer.Argument(help="Threagile model (threagile.yaml)")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File to write; standard output if absent")
    ] = None,
) -> None:
    """Convert a Threagile model to medvigil's YAML format. No server needed."""
    from medvigil.core.threats import ThreatModelError, threagile_to_yaml

    try:
        written = threagile_to_yaml(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        errors.print(f"[red]Cannot read {file}:[/red] {error}")
        raise typer.Exit(2) from error
    except ThreatModelError as error:
        errors.print(f"[red]{file} cannot be converted:[/red] {error}", markup=True)
        raise typer.Exit(1) from error
    if output is None:
        sys.stdout.write(written)
    else:
        output.write_text(written, encoding="utf-8")
        errors.print(f"Wrote {output}.")


@threatmodel_app.command("import-threat-dragon")
def import_threat_dragon(
    file: Annotated[Path, typer.Argument(help="OWASP Threat Dragon model (JSON, version 1 or 2)")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File to write; standard output if absent")
    ] = None,
    threats_file: Annotated[
        Path | None, typer.Option("--threats", help="Also write the model's own threats (JSON)")
    ] = None,
) -> None:
    """Convert a Threat Dragon model to medvigil's YAML format. No server needed."""
    from medvigil.core.threats import ThreatModelError, read_threat_dragon, threats_out, write_model

    try:
        converted = read_threat_dragon(file.read_bytes())
    except OSError as error:
        errors.print(f"[red]Cannot read {file}:[/red] {error}")
        raise typer.Exit(2) from error
    except ThreatModelError as error:
        errors.print(f"[red]{file} cannot be converted:[/red]")
        for problem in error.problems:
            errors.print(f"  {problem}", markup=False, highlight=False)
        raise typer.Exit(1) from error
    for note in converted.notes:
        errors.print(f"Note: {note}", markup=False, highlight=False)
    written = write_model(converted.model)
    if output is None:
        sys.stdout.write(written)
    else:
        output.write_text(written, encoding="utf-8")
        errors.print(f"Wrote {output}.")
    if threats_file is not None:
        kept = threats_out(converted.threats)
        threats_file.write_text(json.dumps(kept, indent=2) + "\n", encoding="utf-8")
        errors.print(
            f"Wrote {len(kept)} of the model's {len(converted.threats)} threats to {threats_file}."
        )


@threatmodel_app.command("list")
def list_command(
    format_name: Annotated[str, typer.Option("--format", help="table | json")] = "table",
) -> None:
    """Every stored threat model, each naming its product and version."""
    check_format(format_name)
    setup_django()
    from medvigil.riskfile.models import ThreatModel

    rows: list[dict[str, Any]] = [
        {
            "product": model.version.product.name,
            "model_number": model.version.product.model_number,
            "version": model.version.version,
            "name": model.name,
            "threats": model.version.threats.exclude(status="retired").count(),
            "updated_at": model.updated_at.isoformat(),
        }
        for model in ThreatModel.objects.select_related("version__product").order_by(
            "version__product__model_number", "version__version"
        )
    ]
    if format_name == "json":
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return
    table = text_table("product", "model number", "version", "threat model", "threats", "updated")
    for row in rows:
        table.add_row(
            row["product"],
            row["model_number"],
            row["version"],
            row["name"],
            str(row["threats"]),
            row["updated_at"][:16],
        )
    console.print(table)


@threatmodel_app.command("export")
def export_command(
    product: Annotated[str, typer.Argument(help="Model number of the product")],
    version: Annotated[str, typer.Argument(help="Version of the product")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File to write; standard output if absent")
    ] = None,
) -> None:
    """Write a version's stored threat model as YAML (the canonical form)."""
    setup_django()
    from medvigil.riskfile.models import ThreatModel

    found = ThreatModel.objects.filter(
        version__product__model_number=product, version__version=version
    ).first()
    if found is None:
        errors.print(f"[red]Version {version!r} of product {product!r} has no threat model.[/red]")
        raise typer.Exit(1)
    if output is None:
        sys.stdout.write(found.document)
        sys.stdout.flush()
    else:
        output.write_text(found.document, encoding="utf-8")
        errors.print(f"Wrote {len(found.document)} characters to {output}.")


riskfile_app = command_group("Reports of a version's security risk file (PDF, DOCX, XLSX).")
REPORT_FORMATS = ("pdf", "docx", "xlsx", "html")
REPORT_KINDS = ("security-risk-management", "traceability")


@riskfile_app.command("report")
def report_command(
    product: Annotated[str, typer.Argument(help="Model number of the product")],
    version: Annotated[str, typer.Argument(help="Version of the product")],
    format_name: Annotated[str, typer.Option("--format", help="pdf | docx | xlsx | html")] = "pdf",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File to write; standard output if absent")
    ] = None,
    kind: Annotated[
        str, typer.Option(help="security-risk-management | traceability")
    ] = "security-risk-management",
    issued: Annotated[
        bool, typer.Option("--issued", help="The latest issued report with its signatures")
    ] = False,
) -> None:
    """Write a version's security risk management report (or traceability matrix)."""
    if format_name not in REPORT_FORMATS or kind not in REPORT_KINDS:
        errors.print(
            f"[red]Use --format {'|'.join(REPORT_FORMATS)} and "
            f"--kind {'|'.join(REPORT_KINDS)}.[/red]"
        )
        raise typer.Exit(2)
    setup_django()
    from medvigil.audit.signatures import signature_status
    from medvigil.portfolio.models import ProductVersion
    from medvigil.reports import render
    from medvigil.reports.kinds import kind as registered_kind
    from medvigil.reports.models import IssuedReport

    found = ProductVersion.objects.filter(product__model_number=product, version=version).first()
    if found is None:
        errors.print(f"[red]No version {version!r} of product {product!r}.[/red]")
        raise typer.Exit(1)
    if issued:
        latest = IssuedReport.objects.filter(kind=kind, version=found).order_by("-number").first()
        if latest is None:
            errors.print(f"[red]No {kind} report has been issued for this version.[/red]")
            raise typer.Exit(1)
        report, signed = latest.document(), signature_status(latest)
    else:
        report, signed = registered_kind(kind).build(found), []
    content: bytes
    if format_name == "pdf":
        content = render.to_pdf(report, signed)
    elif format_name == "docx":
        content = render.to_docx(report, signed)
    elif format_name == "xlsx":
        content = render.to_xlsx(report)
    else:
        content = render.to_html(report, signed).encode("utf-8")
    if output is None:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
    else:
        output.write_bytes(content)
        errors.print(f"Wrote {len(content)} bytes to {output}.")
