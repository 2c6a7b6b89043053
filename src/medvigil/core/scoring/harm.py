"""Patient harm severity: the ISO 14971 qualitative scale as FDA's postmarket guidance uses it.

Source: FDA, "Postmarket Management of Cybersecurity in Medical Devices"
(2016), section VI.B: negligible (inconvenience), minor (temporary injury not
needing professional intervention), serious (injury needing professional
intervention), critical (permanent impairment or life-threatening injury),
catastrophic (death). Loss of protected health information alone is not
patient harm in that guidance.
"""

from __future__ import annotations

from enum import StrEnum


class HarmSeverity(StrEnum):
    NEGLIGIBLE = "negligible"
    MINOR = "minor"
    SERIOUS = "serious"
    CRITICAL = "critical"
    CATASTROPHIC = "catastrophic"

    @property
    def description(self) -> str:
        return HARM_DESCRIPTIONS[self]

    @property
    def rank(self) -> int:
        return list(HarmSeverity).index(self)


HARM_DESCRIPTIONS = {
    HarmSeverity.NEGLIGIBLE: "Inconvenience or temporary discomfort",
    HarmSeverity.MINOR: "Temporary injury or impairment not needing professional medical care",
    HarmSeverity.SERIOUS: "Injury or impairment needing professional medical intervention",
    HarmSeverity.CRITICAL: "Permanent impairment or life-threatening injury",
    HarmSeverity.CATASTROPHIC: "Death",
}


class WellBeing(StrEnum):
    """SSVC Public Well-Being Impact values (CERT/CC SSVC)."""

    MINIMAL = "minimal"
    MATERIAL = "material"
    IRREVERSIBLE = "irreversible"


# Harm that heals on its own is minimal, harm needing care is material, and
# permanent impairment or death is irreversible (SSVC's own wording).
WELL_BEING_OF_HARM = {
    HarmSeverity.NEGLIGIBLE: WellBeing.MINIMAL,
    HarmSeverity.MINOR: WellBeing.MINIMAL,
    HarmSeverity.SERIOUS: WellBeing.MATERIAL,
    HarmSeverity.CRITICAL: WellBeing.IRREVERSIBLE,
    HarmSeverity.CATASTROPHIC: WellBeing.IRREVERSIBLE,
}


def well_being_of(harm: HarmSeverity) -> WellBeing:
    return WELL_BEING_OF_HARM[harm]
