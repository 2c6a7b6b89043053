"""Medical-context scoring of a vulnerability in a device.

Pure: CVSS base and environmental scores (`cvss`), the MITRE medical-device
CVSS rubric (`rubric`), SSVC with patient safety as the human impact
(`ssvc`), the ISO 14971 harm scale (`harm`) and the medical priority rule
(`priority`). Every function takes and returns plain values.
"""

from medvigil.core.scoring.cvss import CvssScore, VectorError, score
from medvigil.core.scoring.harm import HarmSeverity, WellBeing, well_being_of
from medvigil.core.scoring.priority import Priority, PriorityInputs, PriorityResult, prioritise
from medvigil.core.scoring.rubric import RubricAnswers, RubricError, RubricResult, assess
from medvigil.core.scoring.ssvc import (
    Exploitation,
    MissionPrevalence,
    Outcome,
    SsvcDecision,
    SsvcInputs,
    TechnicalImpact,
    decide,
)

__all__ = [
    "CvssScore",
    "Exploitation",
    "HarmSeverity",
    "MissionPrevalence",
    "Outcome",
    "Priority",
    "PriorityInputs",
    "PriorityResult",
    "RubricAnswers",
    "RubricError",
    "RubricResult",
    "SsvcDecision",
    "SsvcInputs",
    "TechnicalImpact",
    "VectorError",
    "WellBeing",
    "assess",
    "decide",
    "prioritise",
    "score",
    "well_being_of",
]
