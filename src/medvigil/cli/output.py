"""Where commands write: standard output for results, standard error for messages.

When the output is not a terminal (a pipe, a file, a CI log) nothing is cut to
a screen width, so identifiers in tables are never truncated.
"""

from __future__ import annotations

import sys
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

UNBOUNDED_WIDTH = 100_000


def _console(stream: Any, stderr: bool) -> Console:
    width = None if stream.isatty() else UNBOUNDED_WIDTH
    return Console(stderr=stderr, soft_wrap=True, width=width)


console = _console(sys.stdout, stderr=False)
errors = _console(sys.stderr, stderr=True)


def text_table(*columns: str) -> Table:
    """A table whose cells wrap rather than being cut with an ellipsis."""
    result = Table()
    for column in columns:
        result.add_column(column, overflow="fold")
    return result


def command_group(help_text: str = "") -> typer.Typer:
    """A command group with plain help (no type tags beside flags), the same everywhere."""
    return typer.Typer(
        help=help_text or None,
        no_args_is_help=True,
        add_completion=False,
        rich_markup_mode=None,
    )


def print_refusal(refusal: Any, prefix: str = "") -> None:
    """A service's `Refusal` on standard error: its general message, then each field's."""
    first, *details = refusal.messages
    errors.print(f"[red]{escape(prefix)}{escape(first)}[/red]")
    for detail in details:
        errors.print(f"  {escape(detail)}")
