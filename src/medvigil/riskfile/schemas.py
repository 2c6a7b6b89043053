"""API shapes of the risk file."""

from __future__ import annotations

import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

Stride = Literal[
    "spoofing",
    "tampering",
    "repudiation",
    "information_disclosure",
    "denial_of_service",
    "elevation_of_privilege",
]
ThreatStatus = Literal["open", "mitigated", "accepted", "transferred", "not_applicable", "retired"]
Exploitability = Literal["very_low", "low", "moderate", "high", "very_high"]
Severity = Literal["negligible", "minor", "serious", "critical", "catastrophic"]
Category = Literal[
    "authentication",
    "authorization",
    "cryptography",
    "integrity",
    "confidentiality",
    "event_detection_and_logging",
    "resiliency_and_recovery",
    "updatability_and_patchability",
]
Implementation = Literal["planned", "in_progress", "implemented", "not_implemented"]
Result = Literal["passed", "failed", "not_run"]


class ModelIn(Schema):
    yaml: str = Field(description="The threat model in medvigil's YAML format (docs/riskfile.md)")


class ArchitectureElementOut(Schema):
    identifier: str
    name: str
    kind: str
    attributes: dict[str, object]
    serves_clinical_function: bool
    serves_emergency_access: bool


class ModelOut(Schema):
    version_id: int
    name: str
    yaml: str
    uploaded_sha256: str
    elements: list[ArchitectureElementOut]


class ReconciliationOut(Schema):
    added: list[str]
    kept: list[str]
    retired: list[str]


class ThreatOut(Schema):
    id: int
    identifier: str
    origin: str
    rule_id: str
    stride: str
    title: str
    description: str
    targets: list[str]
    flows: list[str]
    capec: list[str]
    cwe: list[str]
    suggested_controls: list[str]
    serves_emergency_access: bool
    status: str
    decision: str
    risk_id: int | None


class ThreatIn(Schema):
    stride: Stride
    title: str
    description: str = ""
    targets: list[str] = []


class ThreatPatch(Schema):
    status: ThreatStatus | None = None
    decision: str | None = None
    edited_title: str | None = None
    edited_description: str | None = None


class RiskFields(Schema):
    exploitability: Exploitability | None = None
    cvss_vector: str | None = Field(None, description="CVSS v3.x vector; sets exploitability")
    confidentiality: Severity | None = None
    integrity: Severity | None = None
    availability: Severity | None = None
    privacy: Severity | None = None
    patient_safety: Severity | None = None
    residual_exploitability: Exploitability | None = None
    residual_severity: Severity | None = None


class RiskIn(RiskFields):
    threat_id: int | None = None
    title: str = ""


class RiskPatch(RiskFields):
    title: str | None = None


class RiskOut(Schema):
    id: int
    identifier: str
    title: str
    threat_id: int | None
    exploitability: str
    cvss_vector: str
    confidentiality: str
    integrity: str
    availability: str
    privacy: str
    patient_safety: str
    severity: str
    region: str
    residual_exploitability: str
    residual_severity: str
    residual_region: str
    needs_review: bool
    review_reason: str
    reevaluation_needed: bool
    reevaluation_reason: str
    safety_entries: list[str]


class BenefitRiskIn(Schema):
    benefits: str
    conclusion: str
    password: str
    otp_code: str | None = None


class BenefitRiskApprovalIn(Schema):
    password: str
    otp_code: str | None = None


class LinksIn(Schema):
    entry_ids: list[int]


class ReviewIn(Schema):
    note: str


class ControlIn(Schema):
    name: str
    category: Category
    requirement: str
    implementation: Implementation = "planned"
    elements: list[str] = []
    risk_ids: list[int] = []


class RiskFileVerificationOut(Schema):
    test_reference: str
    result: str
    performed_on: datetime.date
    evidence_sha256: str


class ControlOut(Schema):
    id: int
    identifier: str
    name: str
    category: str
    requirement: str
    implementation: str
    elements: list[str]
    risks: list[str]
    verifications: list[RiskFileVerificationOut]
    reviewed_elements: list[str]


class VerificationIn(Schema):
    test_reference: str
    result: Result
    performed_on: datetime.date


class ImpactReviewIn(Schema):
    element: str
    function_stays_available: bool
    rationale: str


class IssueOut(Schema):
    rule: str
    subject: str
    message: str


class SafetyImportIn(Schema):
    csv: str = Field(
        description="CSV with columns id, hazard, hazardous_situation, harm[, severity]"
    )


class SafetyEntryOut(Schema):
    id: int
    identifier: str
    hazard: str
    hazardous_situation: str
    harm: str
    severity: str
    needs_review: bool
    review_reason: str
    security_risks: list[str]


class VulnerabilityLinkIn(Schema):
    vulnerability: str = Field(description="CVE, GHSA or other id of the vulnerability (any alias)")
    finding_id: int | None = Field(None, description="One of this version's findings of it")
    threat_id: int | None = None
    risk_id: int | None = None
    rationale: str


class VulnerabilityLinkOut(Schema):
    id: int
    vulnerability: str
    finding_id: int | None
    threat: str | None
    risk: str | None
    rationale: str
    exploitability: dict[str, object]
    last_reasons: list[str]
    checked_at: datetime.datetime | None


class TraceRowOut(Schema):
    threat: str
    threat_title: str
    risk: str
    region: str
    residual_region: str
    control: str
    category: str
    requirement: str
    verification: str
    result: str
    gaps: list[str]


class TraceabilityOut(Schema):
    rows: list[TraceRowOut]
    gap_counts: dict[str, int]
