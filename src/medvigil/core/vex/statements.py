"""The rules every written statement keeps, shared by the writers.

They are OpenVEX's MUSTs, which the CSAF ``csaf_vex`` profile also
requires (tests 6.1.27.9 and 6.1.27.10): a "not affected" statement says
why, an "affected" one says what to do.
"""

from __future__ import annotations

from medvigil.core.vex.model import JUSTIFICATIONS, VexStatement


def check_statement(statement: VexStatement) -> None:
    """Raise ValueError naming the vulnerability when a statement cannot be written."""
    if statement.justification is not None and statement.justification not in JUSTIFICATIONS:
        raise ValueError(
            f"{statement.vulnerability}: unknown justification {statement.justification!r}"
        )
    if statement.status == "not_affected" and not (
        statement.justification or statement.impact_statement
    ):
        raise ValueError(
            f"{statement.vulnerability}: not affected needs a justification or an impact statement"
        )
    if statement.status == "affected" and not statement.action_statement:
        raise ValueError(f"{statement.vulnerability}: affected needs an action statement")
