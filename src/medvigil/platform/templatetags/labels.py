"""Words for people in place of machine values (`under_investigation`, `very_high`, `alarp`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django import template

register = template.Library()

# Values whose words are not their spelling: abbreviations and terms of the standards.
SPOKEN = {
    "alarp": "ALARP (as low as reasonably practicable)",
    "cvss": "CVSS",
    "kev": "KEV",
    "epss": "EPSS",
    "ssvc": "SSVC",
    "vex": "VEX",
    "sbom": "SBOM",
    "csaf": "CSAF",
    "supplier_vex": "supplier VEX",
    "tlp": "TLP",
}


@register.filter
def human(value: Any) -> str:
    """`under_investigation` → `under investigation`; known terms keep their own spelling."""
    text = "" if value is None else str(value)
    if text in SPOKEN:
        return SPOKEN[text]
    words = text.replace("_", " ").replace("-", " ").split(" ")
    return " ".join(SPOKEN.get(word, word) for word in words)


@register.filter
def moment(value: Any) -> str:
    """An ISO 8601 time from a document (`2026-03-01T10:00:00.000Z`) in the pages' one format."""
    text = "" if value is None else str(value)
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC)
    return parsed.strftime("%Y-%m-%d %H:%M") + (" UTC" if parsed.tzinfo else "")
