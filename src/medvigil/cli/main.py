"""The `medvigil` command: one list of command groups, each in its own module.

`medvigil scan` does not start here: `medvigil.cli.launcher` sends it to
`medvigil.cli.scan` (argparse, no Typer, no Django) for a fast cold start;
the `scan` registered here is its twin for `medvigil --help`.
"""

from __future__ import annotations

import typer

from medvigil.cli import (
    alerts,
    audit,
    components,
    disclosure,
    feeds,
    findings,
    identities,
    installation,
    sbom,
    server,
    threatmodel,
    triage,
    vex,
)
from medvigil.cli.output import command_group

app = command_group("medvigil: the cybersecurity program of a medical device manufacturer.")

# Commands at the top level, from the modules that hold them.
COMMANDS: list[typer.Typer] = [installation.app, server.app]

# Command groups: (name, group), in the order `medvigil --help` lists them.
GROUPS: list[tuple[str, typer.Typer]] = [
    ("audit", audit.audit_app),
    ("sbom", sbom.sbom_app),
    ("components", components.components_app),
    ("findings", findings.findings_app),
    ("feeds", feeds.feeds_app),
    ("identities", identities.identities_app),
    ("threatmodel", threatmodel.threatmodel_app),
    ("riskfile", threatmodel.riskfile_app),
    ("vex", vex.vex_app),
    ("disclosure", disclosure.disclosure_app),
    ("triage", triage.triage_app),
    ("alerts", alerts.alerts_app),
]

for commands in COMMANDS:
    for command in commands.registered_commands:
        app.registered_commands.append(command)
for name, group in GROUPS:
    app.add_typer(group, name=name)
app.command("scan")(feeds.scan_command)


def main() -> None:
    app(prog_name="medvigil")
