"""The `medvigil` command line.

Nothing is imported here, so that `medvigil scan` (`medvigil.cli.scan`)
starts without loading Typer, Rich or Django.
"""
