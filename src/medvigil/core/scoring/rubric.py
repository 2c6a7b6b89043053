"""MITRE "Rubric for Applying CVSS to Medical Devices" as a guided questionnaire.

FDA qualified the rubric as a Medical Device Development Tool on 20 October
2020 (https://www.mitre.org/md-cvss-rubric). The question keys are those of
the extended vector in the calculator workbook of `mitre/md-cvss-rubric-tools`;
the questions here are paraphrased. Answers map to CVSS v3 base metrics as the
calculator's formulas do: an unknown answer takes the worse value, and for
C, I and A the worst of the six data and function categories wins.

`assess` returns the CVSS 3.0 base vector (the rubric is written for 3.0),
its score computed by the `cvss` library, and the extended vector recording
every answer (`XAVN:Y/XAVT:N/...`, medvigil's serialisation).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from cvss import CVSS3

RUBRIC_VERSION = "0.12.04"


class Answer(StrEnum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class Rating(StrEnum):
    HIGH = "high"
    LOW = "low"
    NONE = "none"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Question:
    key: str
    metric: str
    text: str


QUESTIONS: tuple[Question, ...] = (
    Question("XAVN", "AV", "Can the attacker exploit it through a network or protocol?"),
    Question("XAVT", "AV", "Does that network use OSI layer 3 or 4 protocols (IP, TCP, UDP)?"),
    Question("XAVW", "AV", "Is the communication wireless?"),
    Question("XAVR", "AV", "Is the range of that communication about 10 feet (3 m) or less?"),
    Question("XAVP", "AV", "Must the attacker physically touch the device?"),
    Question("XAVPA", "AV", "Is it reached through a user interface meant for manual operation?"),
    Question(
        "XACL",
        "AC",
        "Can the attacker attempt the exploit at will, without special "
        "conditions, configurations or chained attacks?",
    ),
    Question("XPRL", "PR", "Does the device have a multi-user or multi-role authorization model?"),
    Question("XPRZ", "PR", "Must the attacker already be authorized to the vulnerable component?"),
    Question("XPRS", "PR", "Must the attacker hold administrator, maintainer or system rights?"),
    Question("XUI", "UI", "Does success depend on another user or victim taking an action?"),
    Question("XS", "S", "Can the attacker affect a component in a different authorization scope?"),
)
QUESTION_KEYS = tuple(question.key for question in QUESTIONS)


@dataclass(frozen=True, slots=True)
class Category:
    key: str
    label: str


# The six data and function categories asked for confidentiality, integrity and availability.
CATEGORIES: tuple[Category, ...] = (
    Category("P", "Protected health or personal information"),
    Category("D", "Diagnosis or monitoring"),
    Category("T", "Delivery of therapy"),
    Category("W", "Clinical workflow"),
    Category("S", "Private system or user data (passwords, keys)"),
    Category("O", "Other critical or sensitive data or functions"),
)
IMPACTS = ("C", "I", "A")
IMPACT_KEYS = tuple(f"X{impact}{category.key}" for impact in IMPACTS for category in CATEGORIES)
# Confidentiality of health information of 500 patients or more (breach-notification scale).
PHI_SCALE_KEY = "XCPM"


class RubricError(ValueError):
    """An answer key or value the rubric does not know."""


@dataclass(frozen=True, slots=True)
class RubricAnswers:
    """Answers to the questions (by key) and impact ratings (`XCP`, `XIT`, ...)."""

    questions: Mapping[str, Answer]
    impacts: Mapping[str, Rating]
    phi_scale: Answer = Answer.UNKNOWN

    @classmethod
    def from_mapping(cls, data: Mapping[str, str]) -> RubricAnswers:
        """Read `{key: value}` as stored or posted; missing keys are unknown."""
        questions: dict[str, Answer] = {}
        impacts: dict[str, Rating] = {}
        phi_scale = Answer.UNKNOWN
        for key, value in data.items():
            if not isinstance(value, str):
                raise RubricError(f"The answer to {key} must be text.")
            text = value.strip().lower() or "unknown"
            try:
                if key in QUESTION_KEYS:
                    questions[key] = Answer(text)
                elif key in IMPACT_KEYS:
                    impacts[key] = Rating(text)
                elif key == PHI_SCALE_KEY:
                    phi_scale = Answer(text)
                else:
                    raise RubricError(f"{key!r} is not a question of the rubric.")
            except ValueError as error:
                if isinstance(error, RubricError):
                    raise
                raise RubricError(f"{text!r} is not an answer to {key}.") from error
        return cls(questions, impacts, phi_scale)

    def answer(self, key: str) -> Answer:
        return self.questions.get(key, Answer.UNKNOWN)

    def rating(self, key: str) -> Rating:
        return self.impacts.get(key, Rating.UNKNOWN)

    def as_mapping(self) -> dict[str, str]:
        stored = {key: self.answer(key).value for key in QUESTION_KEYS}
        stored.update({key: self.rating(key).value for key in IMPACT_KEYS})
        stored[PHI_SCALE_KEY] = self.phi_scale.value
        return stored


@dataclass(frozen=True, slots=True)
class RubricResult:
    vector: str
    score: float
    severity: str
    extended_vector: str
    rubric_version: str = RUBRIC_VERSION


def attack_vector(answers: RubricAnswers) -> str:
    """The rubric's flow: network questions first, then physical access.

    XAVT and XAVR are asked only when the attack comes over a network or
    protocol, XAVP only when it does not; an unknown answer takes the worse
    branch (network, or adjacent over local).
    """
    network = answers.answer("XAVN")
    if network is Answer.UNKNOWN:
        return "N"
    if network is Answer.YES:
        if answers.answer("XAVT") in (Answer.YES, Answer.UNKNOWN):
            return "N"
        return "L" if answers.answer("XAVR") is Answer.YES else "A"
    return "P" if answers.answer("XAVP") is Answer.YES else "L"


def privileges_required(answers: RubricAnswers) -> str:
    if answers.answer("XPRL") in (Answer.NO, Answer.UNKNOWN):
        return "N"  # a single-role device has no privilege to require
    if answers.answer("XPRZ") in (Answer.NO, Answer.UNKNOWN):
        return "N"
    return {Answer.YES: "H", Answer.NO: "L", Answer.UNKNOWN: "N"}[answers.answer("XPRS")]


def impact(answers: RubricAnswers, letter: str) -> str:
    ratings = [answers.rating(f"X{letter}{category.key}") for category in CATEGORIES]
    if letter == "C" and answers.phi_scale is Answer.YES:
        ratings.append(Rating.HIGH)
    if Rating.HIGH in ratings or Rating.UNKNOWN in ratings:
        return "H"
    if Rating.LOW in ratings:
        return "L"
    return "N"


def assess(answers: RubricAnswers) -> RubricResult:
    metrics = {
        "AV": attack_vector(answers),
        "AC": "L" if answers.answer("XACL") in (Answer.YES, Answer.UNKNOWN) else "H",
        "PR": privileges_required(answers),
        "UI": "R" if answers.answer("XUI") is Answer.YES else "N",
        "S": "U" if answers.answer("XS") is Answer.NO else "C",
        "C": impact(answers, "C"),
        "I": impact(answers, "I"),
        "A": impact(answers, "A"),
    }
    vector = "CVSS:3.0/" + "/".join(f"{name}:{value}" for name, value in metrics.items())
    calculated = CVSS3(vector)
    letters = {Answer.YES: "Y", Answer.NO: "N", Answer.UNKNOWN: "U"}
    ratings = {Rating.HIGH: "H", Rating.LOW: "L", Rating.NONE: "N", Rating.UNKNOWN: "U"}
    parts = [f"{key}:{letters[answers.answer(key)]}" for key in QUESTION_KEYS]
    parts += [f"{key}:{ratings[answers.rating(key)]}" for key in IMPACT_KEYS]
    parts.append(f"{PHI_SCALE_KEY}:{letters[answers.phi_scale]}")
    return RubricResult(
        vector=vector,
        score=float(calculated.base_score),
        severity=calculated.severities()[0],
        extended_vector="/".join(parts),
    )
