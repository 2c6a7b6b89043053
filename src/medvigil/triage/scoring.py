"""Writes of a finding's scores: inputs in, engine results stored beside them, audited.

The engines are pure (`medvigil.core.scoring`); this module feeds them the
advisory vectors, the version's environmental metrics and a person's
answers, and stores every input with its result so a reviewer can redo the
reasoning. Every change appends a "triage-scored" event with the changed fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from medvigil.audit.services import changed_fields, record, snapshot
from medvigil.core import scoring
from medvigil.core.scoring import environmental_metrics, exploitation_from_evidence
from medvigil.platform.refusals import Kind, Refusal
from medvigil.triage import standing
from medvigil.triage.due_dates import refresh_plan_dates
from medvigil.triage.evidence import evidence_of
from medvigil.triage.keys import FindingKey, as_key
from medvigil.triage.models import Assessment, Environment
from medvigil.triage.statements import MAX_TEXT
from medvigil.vulns.models import Finding

EXPLOIT_MATURITY = ("unreported", "proof-of-concept", "functional", "high")
SCORE_FIELDS = tuple(
    item.name
    for item in Assessment._meta.concrete_fields
    if item.name
    not in {
        "id",
        "version",
        "vulnerability",
        "component_key",
        "component_name",
        "component_version",
        "component_purl",
        "finding",
        "updated_at",
        "updated_by",
        "control_decided_by",
    }
)


PERSON_FIELDS = (
    "rubric_rationale",
    "exploit_maturity",
    "ssvc_exploitation",
    "ssvc_automatable",
    "ssvc_technical_impact",
    "ssvc_mission_prevalence",
    "harm_severity",
    "harm_rationale",
    "patients_exposed",
    "learned_at",
)


@dataclass(frozen=True)
class ScoreInput:
    """What a person may set; None leaves a value as it is."""

    rubric_answers: Mapping[str, str] | None = None
    rubric_rationale: str | None = None
    exploit_maturity: str | None = None
    ssvc_exploitation: str | None = None
    ssvc_automatable: bool | None = None
    ssvc_technical_impact: str | None = None
    ssvc_mission_prevalence: str | None = None
    harm_severity: str | None = None
    harm_rationale: str | None = None
    patients_exposed: int | None = None
    control_status: str | None = None
    control_rationale: str | None = None
    learned_at: datetime | None = None
    errors: dict[str, str] = field(default_factory=dict, compare=False)


def choice(name: str, value: str | None, allowed: tuple[str, ...], errors: dict[str, str]) -> None:
    if value is not None and value not in allowed and value != "":
        errors[name] = f"Choose one of: {', '.join(allowed)}."


def validate(values: ScoreInput) -> scoring.RubricAnswers | None:
    errors: dict[str, str] = {}
    choice("exploit_maturity", values.exploit_maturity, EXPLOIT_MATURITY, errors)
    choice("ssvc_exploitation", values.ssvc_exploitation, tuple(scoring.Exploitation), errors)
    choice(
        "ssvc_technical_impact",
        values.ssvc_technical_impact,
        tuple(scoring.TechnicalImpact),
        errors,
    )
    choice(
        "ssvc_mission_prevalence",
        values.ssvc_mission_prevalence,
        tuple(scoring.MissionPrevalence),
        errors,
    )
    choice("harm_severity", values.harm_severity, tuple(scoring.HarmSeverity), errors)
    choice("control_status", values.control_status, tuple(Assessment.ControlStatus.values), errors)
    if values.control_status and not (values.control_rationale or "").strip():
        errors["control_rationale"] = "Say why the risk is controlled or uncontrolled."
    if values.patients_exposed is not None and not 0 <= values.patients_exposed <= 10**9:
        errors["patients_exposed"] = "A number of patients from 0 to 1 000 000 000."
    for name in ("rubric_rationale", "harm_rationale", "control_rationale"):
        if len(getattr(values, name) or "") > MAX_TEXT:
            errors[name] = f"At most {MAX_TEXT} characters."
    if values.learned_at is not None and (
        values.learned_at.tzinfo is None or values.learned_at > timezone.now()
    ):
        errors["learned_at"] = "A moment in the past, with its time zone."
    answers = None
    if values.rubric_answers is not None:
        try:
            answers = scoring.RubricAnswers.from_mapping(values.rubric_answers)
        except scoring.RubricError as error:
            errors["rubric_answers"] = str(error)
    if errors:
        message = "The scores were not saved: " + " ".join(errors.values())
        raise Refusal(message, Kind.INVALID, errors)
    return answers


def new_assessment(key: FindingKey) -> Assessment:
    finding = key.finding
    learned = finding.first_seen if finding is not None else timezone.now()
    return Assessment(
        **key.fields(), learned_at=learned, patients_exposed=key.version.installed_base
    )


def apply_evidence(assessment: Assessment) -> None:
    """Copy the feeds' view (vectors, EPSS, KEV) and recompute the CVSS scores."""
    evidence = evidence_of(assessment.vulnerability)
    for name, value in evidence.__dict__.items():
        if not name.startswith("cisa_"):
            setattr(assessment, name, value)
    # CISA's SSVC decision points start the inputs a person has not set.
    if not assessment.ssvc_exploitation and evidence.cisa_exploitation:
        assessment.ssvc_exploitation = evidence.cisa_exploitation
    if assessment.ssvc_automatable is None and evidence.cisa_automatable is not None:
        assessment.ssvc_automatable = evidence.cisa_automatable
    if not assessment.ssvc_technical_impact and evidence.cisa_technical_impact:
        assessment.ssvc_technical_impact = evidence.cisa_technical_impact
    environment = Environment.objects.filter(version=assessment.version).first()
    for version, vector in (("3", evidence.cvss3_vector), ("4", evidence.cvss4_vector)):
        base = environmental = None
        if vector:
            metrics = getattr(environment, f"cvss{version}_metrics", "") if environment else ""
            try:
                result = scoring.score(vector, metrics)
            except scoring.VectorError:
                result = None  # a malformed advisory vector is shown, not scored
            if result is not None:
                base, environmental = result.base_score, result.environmental_score
        setattr(assessment, f"cvss{version}_base", base)
        setattr(assessment, f"cvss{version}_environmental", environmental)


def derive(assessment: Assessment) -> None:
    """SSVC outcome and priority from the stored inputs."""
    exploitation = assessment.ssvc_exploitation or exploitation_from_evidence(
        assessment.kev_listed, assessment.exploit_maturity
    )
    assessment.ssvc_exploitation = exploitation
    ready = (
        assessment.ssvc_automatable is not None
        and assessment.ssvc_technical_impact
        and assessment.ssvc_mission_prevalence
        and assessment.harm_severity
    )
    outcome = None
    if ready:
        decision = scoring.decide(
            scoring.SsvcInputs(
                scoring.Exploitation(exploitation),
                bool(assessment.ssvc_automatable),
                scoring.TechnicalImpact(assessment.ssvc_technical_impact),
                scoring.MissionPrevalence(assessment.ssvc_mission_prevalence),
                scoring.HarmSeverity(assessment.harm_severity),
            )
        )
        outcome = decision.outcome
        assessment.ssvc_outcome, assessment.ssvc_vector = outcome.value, decision.vector
    else:
        assessment.ssvc_outcome = assessment.ssvc_vector = ""
    cvss_values = [
        assessment.rubric_score,
        assessment.cvss3_environmental,
        assessment.cvss3_base,
        assessment.cvss4_base,
    ]
    result = scoring.prioritise(
        scoring.PriorityInputs(
            uncontrolled=assessment.control_status == Assessment.ControlStatus.UNCONTROLLED,
            kev_listed=assessment.kev_listed,
            ssvc=outcome,
            harm=scoring.HarmSeverity(assessment.harm_severity)
            if assessment.harm_severity
            else None,
            cvss=next((value for value in cvss_values if value is not None), None),
            epss_percentile=assessment.epss_percentile,
        )
    )
    assessment.priority = result.priority.value
    assessment.priority_reasons = list(result.reasons)
    assessment.priority_rule = result.rule_version


def ensure_assessment(finding_or_key: Finding | FindingKey) -> Assessment:
    """The finding's scores, created from the feeds on first use (audited)."""
    key = as_key(finding_or_key)
    found = Assessment.objects.filter(**key.lookup()).first()
    if found is not None:
        return found
    with transaction.atomic():
        assessment = new_assessment(key)
        apply_evidence(assessment)
        derive(assessment)
        assessment.save()
        record("triage-scored", assessment, details={"created_from": "feeds"})
        standing.refresh([key])
    return assessment


def save_scores(finding_or_key: Finding | FindingKey, user: Any, values: ScoreInput) -> Assessment:
    """Apply a person's inputs, recompute every derived score, audit what changed."""
    answers = validate(values)
    key = as_key(finding_or_key)
    with transaction.atomic():
        assessment = ensure_assessment(key)
        before = snapshot(assessment, SCORE_FIELDS)
        if answers is not None:
            result = scoring.assess(answers)
            assessment.rubric_answers = answers.as_mapping()
            assessment.rubric_vector, assessment.rubric_score = result.vector, result.score
            assessment.rubric_extended_vector = result.extended_vector
            assessment.rubric_version = result.rubric_version
        for name in PERSON_FIELDS:
            value = getattr(values, name)
            if value is not None:
                setattr(assessment, name, value.strip() if isinstance(value, str) else value)
        if values.control_status is not None:
            status = values.control_status.strip()
            rationale = (values.control_rationale or "").strip() if status else ""
            if (status, rationale) != (assessment.control_status, assessment.control_rationale):
                assessment.control_status, assessment.control_rationale = status, rationale
                assessment.control_decided_at = timezone.now() if status else None
                assessment.control_decided_by = (
                    user if status and getattr(user, "pk", None) else None
                )
        apply_evidence(assessment)
        derive(assessment)
        assessment.updated_by = user if getattr(user, "pk", None) else None
        assessment.save()
        changes = changed_fields(before, snapshot(assessment, SCORE_FIELDS))
        record("triage-scored", assessment, changes=changes)
        refresh_plan_dates(key, assessment)
        standing.refresh([key])
    return assessment


def set_environment(
    version: Any, user: Any, cvss3_metrics: str, cvss4_metrics: str, rationale: str
) -> Environment:
    """Set a version's environmental metrics and rescore each of its findings."""
    errors: dict[str, str] = {}
    for name, metrics, cvss_version in (
        ("cvss3_metrics", cvss3_metrics, "3.1"),
        ("cvss4_metrics", cvss4_metrics, "4.0"),
    ):
        try:
            environmental_metrics(metrics, cvss_version)
        except scoring.VectorError as error:
            errors[name] = str(error)
        if len(metrics) > 200:
            errors[name] = "At most 200 characters."
    if errors:
        message = "The environment was not saved: " + " ".join(errors.values())
        raise Refusal(message, Kind.INVALID, errors)
    with transaction.atomic():
        environment, _ = Environment.objects.get_or_create(version=version)
        before = snapshot(environment, ("cvss3_metrics", "cvss4_metrics", "rationale"))
        environment.cvss3_metrics = cvss3_metrics.strip().strip("/")
        environment.cvss4_metrics = cvss4_metrics.strip().strip("/")
        environment.rationale = rationale.strip()[:MAX_TEXT]
        environment.updated_by = user if getattr(user, "pk", None) else None
        environment.save()
        after = snapshot(environment, ("cvss3_metrics", "cvss4_metrics", "rationale"))
        record("triage-environment-set", environment, changes=changed_fields(before, after))
        for assessment in Assessment.objects.filter(version=version):
            apply_evidence(assessment)
            derive(assessment)
            assessment.save()
        standing.write(list(Finding.objects.filter(version=version).select_related("component")))
    return environment
