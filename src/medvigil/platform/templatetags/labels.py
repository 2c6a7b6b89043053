"""Words for people in place of machine values (`under_investigation`, `very_high`, `alarp`)."""

from __future__ import annotations

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
