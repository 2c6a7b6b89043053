"""The rules a VEX statement must follow, shared by decisions and proposals."""

from __future__ import annotations

from dataclasses import dataclass, field

from medvigil.platform.refusals import Kind, Refusal
from medvigil.triage.models import Justification, Status

MAX_TEXT = 10_000


@dataclass(frozen=True)
class Statement:
    status: str
    justification: str = ""
    impact_statement: str = ""
    action_statement: str = ""
    fixed_in_version: str = ""
    note: str = field(default="", compare=False)

    def cleaned(self, complete: bool = True) -> Statement:
        """The statement with text trimmed, or an invalid `Refusal` naming each bad field.

        `complete=False` (a supplier's proposal) accepts a statement missing its
        justification, impact or action: the person who confirms it completes it.
        """
        values = {
            "status": self.status.strip(),
            "justification": self.justification.strip(),
            "impact_statement": self.impact_statement.strip(),
            "action_statement": self.action_statement.strip(),
            "fixed_in_version": self.fixed_in_version.strip(),
            "note": self.note.strip(),
        }
        errors: dict[str, str] = {}
        status, justification = values["status"], values["justification"]
        if status not in Status.values:
            errors["status"] = f"Choose one of: {', '.join(Status.values)}."
        if justification and justification not in Justification.values:
            errors["justification"] = f"Choose one of: {', '.join(Justification.values)}."
        if status == Status.NOT_AFFECTED and complete:
            if not justification:
                errors["justification"] = "Not affected needs one of the five justifications."
            if not values["impact_statement"]:
                errors["impact_statement"] = "Not affected needs an impact statement."
        elif status != Status.NOT_AFFECTED and justification and "justification" not in errors:
            errors["justification"] = "A justification is given only for not affected."
        if status == Status.AFFECTED and complete and not values["action_statement"]:
            errors["action_statement"] = "Affected needs an action statement."
        if len(values["fixed_in_version"]) > 100:
            errors["fixed_in_version"] = "At most 100 characters."
        for name in ("impact_statement", "action_statement", "note"):
            if len(values[name]) > MAX_TEXT:
                errors[name] = f"At most {MAX_TEXT} characters."
        if errors:
            message = "The decision is not complete: " + " ".join(errors.values())
            raise Refusal(message, Kind.INVALID, errors)
        return Statement(**values)
