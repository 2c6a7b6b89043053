"""CVSS base and environmental scores through the `cvss` library (FIRST's equations).

An environmental vector per product version holds only environmental
metrics (`CR:H/IR:H/AR:H/MAV:A`, ...); it is appended to an advisory's base
vector to score that vulnerability in that device's setting.
"""

from __future__ import annotations

from dataclasses import dataclass

from cvss import CVSS3, CVSS4
from cvss.exceptions import CVSSError

V3_ENVIRONMENTAL = frozenset({"CR", "IR", "AR", "MAV", "MAC", "MPR", "MUI", "MS", "MC", "MI", "MA"})
V4_ENVIRONMENTAL = frozenset(
    {"CR", "IR", "AR", "MAV", "MAC", "MAT", "MPR", "MUI", "MVC", "MVI", "MVA", "MSC", "MSI", "MSA"}
)


class VectorError(ValueError):
    """A vector the CVSS specification does not allow; the message says what is wrong."""


@dataclass(frozen=True, slots=True)
class CvssScore:
    version: str
    vector: str
    base_score: float
    severity: str
    environmental_vector: str = ""
    environmental_score: float | None = None


def version_of(vector: str) -> str:
    text = vector.strip()
    if text.startswith("CVSS:4.0/"):
        return "4.0"
    if text.startswith(("CVSS:3.1/", "CVSS:3.0/")):
        return text[5:8]
    raise VectorError("A CVSS vector starts with CVSS:3.0/, CVSS:3.1/ or CVSS:4.0/.")


def environmental_metrics(metrics: str, version: str) -> list[tuple[str, str]]:
    """Parse `CR:H/MAV:A` and refuse anything but environmental metrics of `version`."""
    allowed = V4_ENVIRONMENTAL if version == "4.0" else V3_ENVIRONMENTAL
    pairs: list[tuple[str, str]] = []
    for part in filter(None, metrics.strip().strip("/").split("/")):
        name, separator, value = part.partition(":")
        if not separator or name not in allowed or not value:
            raise VectorError(
                f"{part!r} is not an environmental metric of CVSS {version} "
                f"(allowed: {', '.join(sorted(allowed))})."
            )
        pairs.append((name, value))
    return pairs


def score(vector: str, environment: str = "") -> CvssScore:
    """Base score of `vector`, and its environmental score when `environment` is given."""
    version = version_of(vector)
    base = vector.strip()
    try:
        if version == "4.0":
            base_result = CVSS4(base)
            base_score, severity = float(base_result.base_score), str(base_result.severity)
        else:
            base_result3 = CVSS3(base)
            base_score, severity = float(base_result3.base_score), base_result3.severities()[0]
        if not environment.strip():
            return CvssScore(version, base, base_score, severity)
        pairs = environmental_metrics(environment, version)
        combined = base + "/" + "/".join(f"{name}:{value}" for name, value in pairs)
        if version == "4.0":
            adjusted = CVSS4(combined)
            environmental = float(adjusted.base_score)
        else:
            environmental = float(CVSS3(combined).environmental_score)
    except CVSSError as error:
        raise VectorError(f"Not a valid CVSS {version} vector: {error}") from error
    return CvssScore(version, base, base_score, severity, combined, environmental)
