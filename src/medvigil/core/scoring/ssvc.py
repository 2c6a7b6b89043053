"""SSVC, CISA coordinator decision model (Track / Track* / Attend / Act).

The table is CERT/CC's `data/json/decision_tables/cisa/cisa_coordinator_2_0_3.json`
(repository CERTCC/SSVC): 36 rows over Exploitation, Automatable, Technical
Impact and Mission & Well-Being Impact. For a device manufacturer the human
input is patient safety: the well-being value comes from the patient harm
severity (`medvigil.core.scoring.harm`), the mission prevalence from how
central the affected function is to the device's clinical use.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from medvigil.core.scoring.harm import HarmSeverity, WellBeing, well_being_of


class Exploitation(StrEnum):
    NONE = "none"
    PUBLIC_POC = "public-poc"
    ACTIVE = "active"


class TechnicalImpact(StrEnum):
    PARTIAL = "partial"
    TOTAL = "total"


class MissionPrevalence(StrEnum):
    MINIMAL = "minimal"
    SUPPORT = "support"
    ESSENTIAL = "essential"


class MissionWellBeing(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Outcome(StrEnum):
    TRACK = "track"
    TRACK_STAR = "track*"
    ATTEND = "attend"
    ACT = "act"

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]

    @property
    def rank(self) -> int:
        return list(Outcome).index(self)


OUTCOME_LABELS = {
    Outcome.TRACK: "Track",
    Outcome.TRACK_STAR: "Track*",
    Outcome.ATTEND: "Attend",
    Outcome.ACT: "Act",
}
OUTCOME_ADVICE = {
    Outcome.TRACK: "No action now; remediate within standard timelines.",
    Outcome.TRACK_STAR: "Watch for changes; remediate within standard timelines.",
    Outcome.ATTEND: "Supervisory attention; remediate sooner than standard timelines.",
    Outcome.ACT: "Leadership attention; notify and remediate as soon as possible.",
}

T, T_STAR, AT, AC = Outcome.TRACK, Outcome.TRACK_STAR, Outcome.ATTEND, Outcome.ACT
# (exploitation, automatable, technical impact) -> outcome for MWI low, medium, high.
TABLE: dict[tuple[Exploitation, bool, TechnicalImpact], tuple[Outcome, Outcome, Outcome]] = {
    (Exploitation.NONE, False, TechnicalImpact.PARTIAL): (T, T, T),
    (Exploitation.NONE, False, TechnicalImpact.TOTAL): (T, T, T_STAR),
    (Exploitation.NONE, True, TechnicalImpact.PARTIAL): (T, T, AT),
    (Exploitation.NONE, True, TechnicalImpact.TOTAL): (T, T, AT),
    (Exploitation.PUBLIC_POC, False, TechnicalImpact.PARTIAL): (T, T, T_STAR),
    (Exploitation.PUBLIC_POC, False, TechnicalImpact.TOTAL): (T, T_STAR, AT),
    (Exploitation.PUBLIC_POC, True, TechnicalImpact.PARTIAL): (T, T, AT),
    (Exploitation.PUBLIC_POC, True, TechnicalImpact.TOTAL): (T, T_STAR, AT),
    (Exploitation.ACTIVE, False, TechnicalImpact.PARTIAL): (T, T, AT),
    (Exploitation.ACTIVE, False, TechnicalImpact.TOTAL): (T, AT, AC),
    (Exploitation.ACTIVE, True, TechnicalImpact.PARTIAL): (AT, AT, AC),
    (Exploitation.ACTIVE, True, TechnicalImpact.TOTAL): (AT, AC, AC),
}
MWI_COLUMN = {MissionWellBeing.LOW: 0, MissionWellBeing.MEDIUM: 1, MissionWellBeing.HIGH: 2}


def mission_well_being(prevalence: MissionPrevalence, well_being: WellBeing) -> MissionWellBeing:
    """CISA's combination: essential mission or irreversible harm is high; minimal of both low."""
    if prevalence is MissionPrevalence.ESSENTIAL or well_being is WellBeing.IRREVERSIBLE:
        return MissionWellBeing.HIGH
    if prevalence is MissionPrevalence.MINIMAL and well_being is WellBeing.MINIMAL:
        return MissionWellBeing.LOW
    return MissionWellBeing.MEDIUM


@dataclass(frozen=True, slots=True)
class SsvcInputs:
    exploitation: Exploitation
    automatable: bool
    technical_impact: TechnicalImpact
    prevalence: MissionPrevalence
    harm: HarmSeverity


@dataclass(frozen=True, slots=True)
class SsvcDecision:
    inputs: SsvcInputs
    well_being: WellBeing
    mission_well_being: MissionWellBeing
    outcome: Outcome

    @property
    def vector(self) -> str:
        """The decision in SSVC's key notation, e.g. `E:A/A:Y/TI:T/MWI:H/CISA:AC`."""
        inputs = self.inputs
        exploitation = {"none": "N", "public-poc": "P", "active": "A"}[inputs.exploitation]
        outcome = {"track": "T", "track*": "T*", "attend": "AT", "act": "AC"}[self.outcome]
        return (
            f"E:{exploitation}/A:{'Y' if inputs.automatable else 'N'}"
            f"/TI:{inputs.technical_impact.value[0].upper()}"
            f"/MWI:{self.mission_well_being.value[0].upper()}/CISA:{outcome}"
        )


def decide(inputs: SsvcInputs) -> SsvcDecision:
    well_being = well_being_of(inputs.harm)
    impact = mission_well_being(inputs.prevalence, well_being)
    row = TABLE[(inputs.exploitation, inputs.automatable, inputs.technical_impact)]
    return SsvcDecision(inputs, well_being, impact, row[MWI_COLUMN[impact]])


def exploitation_from_evidence(kev_listed: bool, exploit_maturity: str) -> Exploitation:
    """A starting value a person confirms: KEV or high maturity is active, code is a PoC."""
    if kev_listed or exploit_maturity == "high":
        return Exploitation.ACTIVE
    if exploit_maturity in {"functional", "proof-of-concept"}:
        return Exploitation.PUBLIC_POC
    return Exploitation.NONE
