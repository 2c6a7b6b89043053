"""The `medvigil` command's entry: `scan` starts light, everything else through Typer.

A pipeline runs `medvigil scan` on every build, so it must not pay for
importing Typer (and Pydantic behind it), Rich or Django: its arguments are
read by `medvigil.scan_cli` with argparse. `--help` after `scan` is left to
argparse as well; `medvigil --help` lists every command, `scan` included.
"""

from __future__ import annotations

import sys


def main() -> None:
    arguments = sys.argv[1:]
    if arguments[:1] == ["scan"]:
        from medvigil.scan_cli import main as scan_main

        sys.exit(scan_main(arguments[1:]))
    from medvigil.cli import main as typer_main

    typer_main()
