"""Medical-context scoring of a vulnerability in a device.

Pure: CVSS base and environmental scores (`cvss`), the MITRE medical-device
CVSS rubric (`rubric`), SSVC with patient safety as the human impact
(`ssvc`), the ISO 14971 harm scale (`harm`) and the medical priority rule
(`priority`). Every function takes and returns plain values.
"""

# The rubric's questions and the trend plots' arithmetic are used as namespaces.
from medvigil.core.scoring import rubric, trends
from medvigil.core.scoring.cvss import CvssScore, VectorError, environmental_metrics, score
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
    exploitation_from_evidence,
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
    "environmental_metrics",
    "exploitation_from_evidence",
    "prioritise",
    "rubric",
    "score",
    "trends",
    "well_being_of",
]
