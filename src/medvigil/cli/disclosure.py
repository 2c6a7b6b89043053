"""`medvigil disclosure key …`: create, show and export the disclosure OpenPGP key.

The key decrypts encrypted reports, signs security.txt and the CSAF files, and
is published for researchers. It has no passphrase so the server can use it:
the keyring folder (MEDVIGIL_HOME/gnupg, mode 0700) is what to protect and
back up.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from medvigil.cli.output import command_group, console, errors
from medvigil.platform.refusals import Refusal
from medvigil.platform.setup import setup_django

disclosure_app = command_group("Coordinated disclosure: the OpenPGP key.")
key_app = command_group("The disclosure OpenPGP key.")
disclosure_app.add_typer(key_app, name="key")


@key_app.command("generate")
def generate(
    name: Annotated[str, typer.Option(help="Name on the key, e.g. 'Acme Medical PSIRT'")],
    email: Annotated[str, typer.Option(help="Address on the key, e.g. psirt@acme.example")],
    expire: Annotated[str, typer.Option(help="Lifetime in gpg's words: 2y, 18m, 365d")] = "2y",
) -> None:
    """Create the disclosure key (ed25519 signing, cv25519 encryption). Refused if one exists."""
    setup_django()
    from medvigil.disclosure.keys import services as keys  # Django is set up only now

    try:
        made = keys.create_key(name=name, email=email, expire=expire)
    except Refusal as refusal:
        errors.print(f"[red]{refusal}[/red]")
        raise typer.Exit(1) from refusal
    console.print(
        f"Disclosure key {made.fingerprint} created for {made.user_id}, "
        f"expires {made.expires or 'never'}."
    )


@key_app.command("show")
def show() -> None:
    """Print the disclosure key's fingerprint, name and expiry (exit code 1 without a key)."""
    setup_django()
    from medvigil.disclosure.keys import services as keys  # Django is set up only now

    summary = keys.summary()
    if summary is None:
        errors.print("No disclosure key: create one with `medvigil disclosure key generate`.")
        raise typer.Exit(1)
    console.print(f"fingerprint {summary.fingerprint}")
    console.print(f"user id     {summary.user_id}")
    console.print(f"expires     {summary.expires or 'never'}")


@key_app.command("export")
def export(
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write")] = None,
) -> None:
    """Write the public key (ASCII-armoured) as researchers download it."""
    setup_django()
    from medvigil.disclosure.keys import openpgp  # reads settings, set up only now

    armoured = openpgp.public_key()
    if not armoured:
        errors.print("No disclosure key: create one with `medvigil disclosure key generate`.")
        raise typer.Exit(1)
    if output is None:
        console.out(armoured, end="")
    else:
        output.write_text(armoured, encoding="ascii")
        errors.print(f"Public key written to {output}.")
