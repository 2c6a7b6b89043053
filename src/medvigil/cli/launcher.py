"""The `medvigil` command's entry: `scan` starts light, everything else through Typer.

A pipeline runs `medvigil scan` on every build, so it must not pay for
importing Typer (and Pydantic behind it), Rich or Django: its arguments are
read by `medvigil.cli.scan` with argparse. `--help` after `scan` is left to
argparse as well; `medvigil --help` lists every command, `scan` included.
"""

from __future__ import annotations

import sys


def main() -> None:
    arguments = sys.argv[1:]
    if arguments[:1] == ["scan"]:
        from medvigil.cli.scan import main as scan_main

        sys.exit(scan_main(arguments[1:]))
    from medvigil.cli.main import main as typer_main

    typer_main()
