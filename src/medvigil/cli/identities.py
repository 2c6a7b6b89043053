"""`medvigil identities proposals|confirm|withdraw|map|unmap`: component identities.

Confirm the CPE product of a component identity that matching cannot place
(``pkg:generic``, a firmware package named only by name), or map a CSAF
product designation to it; withdraw either with a reason. The command line
acts as "command line" in the audit trail, as the other commands do.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer

from medvigil.cli.output import command_group, console, errors, print_refusal, text_table
from medvigil.platform.setup import setup_django

identities_app = command_group(
    "Confirm the CPE of components matching cannot place; map CSAF product names."
)


def _component(identity: str) -> Any:
    from medvigil.sbom.models import Component

    component = Component.objects.filter(identity=identity.strip().lower()).order_by("pk").first()
    if component is None:
        errors.print(f"[red]No component has the identity {identity!r}.[/red]")
        raise typer.Exit(2)
    return component


def _write(action: Any) -> Any:
    from medvigil.audit.context import Actor, acting_as
    from medvigil.platform.refusals import Refusal

    with acting_as(Actor(label="command line")):
        try:
            return action()
        except Refusal as refusal:
            print_refusal(refusal, prefix="Not changed: ")
            raise typer.Exit(1) from refusal


@identities_app.command("proposals")
def proposals_command(
    format_name: Annotated[str, typer.Option("--format", help="table or json")] = "table",
) -> None:
    """Component identities without a CPE, with the CPE product proposed for each."""
    setup_django()
    from medvigil.vulns.identity_selectors import proposals, unplaced_everywhere

    rows: list[dict[str, Any]] = [
        {
            "identity": item.identity,
            "supplier": item.supplier,
            "components": item.count,
            "proposed": f"{item.vendor}:{item.product}",
            "advisories": item.advisories,
        }
        for item in proposals(unplaced_everywhere())
    ]
    if format_name == "json":
        sys.stdout.write(json.dumps({"proposals": rows}, indent=2) + "\n")
        return
    table = text_table("identity", "supplier", "components", "proposed CPE product", "advisories")
    for row in rows:
        table.add_row(
            row["identity"],
            row["supplier"],
            str(row["components"]),
            row["proposed"],
            str(row["advisories"]),
        )
    console.print(table)


@identities_app.command("confirm")
def confirm_command(
    identity: Annotated[str, typer.Argument(help="Component identity, e.g. pkg:generic/zlib")],
    vendor: Annotated[str, typer.Argument(help="CPE vendor")],
    product: Annotated[str, typer.Argument(help="CPE product")],
    note: Annotated[str, typer.Option(help="Why this is the product")] = "",
    part: Annotated[str, typer.Option(help="CPE part: a, o or h")] = "a",
) -> None:
    """Confirm the CPE product of a component identity; its components are matched again."""
    setup_django()
    from medvigil.vulns.identities import confirm_cpe

    component = _component(identity)
    row = _write(lambda: confirm_cpe(component, None, vendor, product, note, part))
    console.print(f"Confirmed {row.cpe} for {row.identity} (confirmation {row.pk}).")


@identities_app.command("withdraw")
def withdraw_command(
    confirmation: Annotated[int, typer.Argument(help="Confirmation number")],
    reason: Annotated[str, typer.Option(help="Why; the findings close with it")] = "",
) -> None:
    """Withdraw a CPE confirmation; the findings it produced are closed with the reason."""
    setup_django()
    from medvigil.vulns.identities import withdraw_confirmation
    from medvigil.vulns.models import CpeConfirmation

    row = CpeConfirmation.objects.filter(pk=confirmation).first()
    if row is None:
        errors.print(f"[red]No confirmation {confirmation}.[/red]")
        raise typer.Exit(2)
    _write(lambda: withdraw_confirmation(row, None, reason))
    console.print(f"Withdrew confirmation {confirmation} of {row.identity}.")


@identities_app.command("map")
def map_command(
    identity: Annotated[str, typer.Argument(help="Component identity it designates")],
    kind: Annotated[str, typer.Argument(help="name, model, cpe or purl")],
    value: Annotated[str, typer.Argument(help="As the advisory publishes it")],
    vendor: Annotated[str, typer.Option(help="The advisory's vendor (name, model)")] = "",
    note: Annotated[str, typer.Option(help="Why the advisory's product is this component")] = "",
) -> None:
    """Map a CSAF product designation to a component identity (candidates follow)."""
    setup_django()
    from medvigil.vulns.identities import map_product

    component = _component(identity)
    row = _write(lambda: map_product(component, None, kind, value, vendor, note))
    console.print(f"Mapped {row.kind} {row.value!r} to {row.identity} (mapping {row.pk}).")


@identities_app.command("unmap")
def unmap_command(
    mapping: Annotated[int, typer.Argument(help="Mapping number")],
    reason: Annotated[str, typer.Option(help="Why; the candidates close with it")] = "",
) -> None:
    """Withdraw a product mapping; the candidates it produced are closed with the reason."""
    setup_django()
    from medvigil.vulns.identities import withdraw_mapping
    from medvigil.vulns.models import ProductMapping

    row = ProductMapping.objects.filter(pk=mapping).first()
    if row is None:
        errors.print(f"[red]No product mapping {mapping}.[/red]")
        raise typer.Exit(2)
    _write(lambda: withdraw_mapping(row, None, reason))
    console.print(f"Withdrew product mapping {mapping} ({row.value}).")
