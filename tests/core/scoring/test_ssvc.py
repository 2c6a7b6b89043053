"""SSVC (CISA coordinator table 2.0.3) with patient harm as the well-being input."""

from __future__ import annotations

import itertools

import pytest

from medvigil.core.scoring import (
    Exploitation,
    HarmSeverity,
    MissionPrevalence,
    Outcome,
    SsvcInputs,
    TechnicalImpact,
    decide,
)
from medvigil.core.scoring.harm import WellBeing
from medvigil.core.scoring.ssvc import (
    TABLE,
    MissionWellBeing,
    exploitation_from_evidence,
    mission_well_being,
)

# The grid printed in the domain notes (regulatory.md §8.4), row by row: E, A, TI -> L / M / H.
GRID = """
none no partial T T T
none no total T T T*
none yes partial T T Attend
none yes total T T Attend
public-poc no partial T T T*
public-poc no total T T* Attend
public-poc yes partial T T Attend
public-poc yes total T T* Attend
active no partial T T Attend
active no total T Attend Act
active yes partial Attend Attend Act
active yes total Attend Act Act
"""
NAMES = {"T": Outcome.TRACK, "T*": Outcome.TRACK_STAR, "Attend": Outcome.ATTEND, "Act": Outcome.ACT}


def test_the_table_has_the_36_outcomes_of_cisa_coordinator_2_0_3() -> None:
    rows = [line.split() for line in GRID.strip().splitlines()]
    expected = {
        (Exploitation(e), a == "yes", TechnicalImpact(ti)): tuple(NAMES[o] for o in outcomes)
        for e, a, ti, *outcomes in rows
    }
    assert expected == TABLE
    assert sum(len(row) for row in TABLE.values()) == 36


@pytest.mark.parametrize(
    ("prevalence", "harm", "expected"),
    [
        ("minimal", "negligible", "low"),
        ("minimal", "serious", "medium"),  # harm needing care is material
        ("support", "minor", "medium"),
        ("support", "critical", "high"),  # permanent impairment is irreversible
        ("essential", "negligible", "high"),
        ("minimal", "catastrophic", "high"),
    ],
)
def test_patient_harm_and_prevalence_give_mission_and_well_being(
    prevalence: str, harm: str, expected: str
) -> None:
    inputs = SsvcInputs(
        Exploitation.NONE,
        False,
        TechnicalImpact.PARTIAL,
        MissionPrevalence(prevalence),
        HarmSeverity(harm),
    )
    assert decide(inputs).mission_well_being is MissionWellBeing(expected)


def test_an_exploited_automatable_takeover_of_an_infusion_pump_is_act() -> None:
    inputs = SsvcInputs(
        Exploitation.ACTIVE,
        True,
        TechnicalImpact.TOTAL,
        MissionPrevalence.ESSENTIAL,
        HarmSeverity.CATASTROPHIC,
    )
    decision = decide(inputs)
    assert (decision.outcome, decision.vector) == (Outcome.ACT, "E:A/A:Y/TI:T/MWI:H/CISA:AC")
    assert decision.well_being is WellBeing.IRREVERSIBLE


def test_a_proof_of_concept_on_a_monitoring_display_with_minor_harm_is_track() -> None:
    decision = decide(
        SsvcInputs(
            Exploitation.PUBLIC_POC,
            False,
            TechnicalImpact.PARTIAL,
            MissionPrevalence.SUPPORT,
            HarmSeverity.MINOR,
        )
    )
    assert (decision.outcome.label, decision.vector) == ("Track", "E:P/A:N/TI:P/MWI:M/CISA:T")


def test_every_combination_has_an_outcome_that_never_falls_as_harm_rises() -> None:
    for exploitation, automatable, impact, prevalence in itertools.product(
        Exploitation, (False, True), TechnicalImpact, MissionPrevalence
    ):
        ranks = [
            decide(SsvcInputs(exploitation, automatable, impact, prevalence, harm)).outcome.rank
            for harm in HarmSeverity
        ]
        assert ranks == sorted(ranks)


def test_evidence_suggests_the_exploitation_value() -> None:
    assert exploitation_from_evidence(True, "unreported") is Exploitation.ACTIVE
    assert exploitation_from_evidence(False, "functional") is Exploitation.PUBLIC_POC
    assert exploitation_from_evidence(False, "unreported") is Exploitation.NONE
    assert mission_well_being(MissionPrevalence.SUPPORT, WellBeing.MATERIAL) is (
        MissionWellBeing.MEDIUM
    )
