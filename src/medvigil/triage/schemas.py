"""Shapes of the triage API (django-ninja)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Schema
from pydantic import Field

from medvigil.platform.moments import Moment


class StatementIn(Schema):
    status: str = Field(description="under_investigation, affected, not_affected or fixed")
    justification: str = Field("", description="Required for not_affected: one of the five")
    impact_statement: str = Field("", max_length=10_000)
    action_statement: str = Field("", max_length=10_000)
    fixed_in_version: str = Field("", max_length=100)
    note: str = Field("", max_length=10_000)


class BulkIn(Schema):
    finding_ids: list[int] = Field(max_length=1000)
    statement: StatementIn


class ApprovalIn(Schema):
    password: str = Field(max_length=500)
    otp_code: str = Field("", max_length=20)


class ConfirmationIn(Schema):
    changed: StatementIn | None = Field(None, description="Leave out to confirm as proposed")


class DismissalIn(Schema):
    reason: str = Field(max_length=2000)


class ScoresIn(Schema):
    rubric_answers: dict[str, str] | None = None
    rubric_rationale: str | None = Field(None, max_length=10_000)
    exploit_maturity: str | None = None
    ssvc_exploitation: str | None = None
    ssvc_automatable: bool | None = None
    ssvc_technical_impact: str | None = None
    ssvc_mission_prevalence: str | None = None
    harm_severity: str | None = None
    harm_rationale: str | None = Field(None, max_length=10_000)
    patients_exposed: int | None = None
    control_status: str | None = None
    control_rationale: str | None = Field(None, max_length=10_000)
    learned_at: Moment | None = None


class EnvironmentIn(Schema):
    cvss3_metrics: str = Field("", max_length=200, examples=["MAV:A/CR:H/IR:H/AR:H"])
    cvss4_metrics: str = Field("", max_length=200)
    rationale: str = Field("", max_length=10_000)


class PlanIn(Schema):
    fix_in_version: str = Field("", max_length=100)
    compensating_controls: str = Field("", max_length=10_000)
    customer_communication: str = Field("", max_length=10_000)
    communicated_at: Moment | None = None
    remediated_at: Moment | None = None


class DecisionOut(Schema):
    id: int
    version_id: int
    vulnerability: str
    component_key: str
    status: str
    justification: str
    impact_statement: str
    action_statement: str
    fixed_in_version: str
    note: str
    requires_approval: bool
    pending_approval: bool
    approved_at: datetime | None
    created_at: datetime
    created_by: str | None
    proposal_id: int | None


class ProposalOut(Schema):
    id: int
    version_id: int
    finding_id: int | None
    vulnerability: str
    component_key: str
    status: str
    justification: str
    impact_statement: str
    action_statement: str
    fixed_in_version: str
    source: str
    source_label: str
    source_document_ref: str
    source_decision_id: int | None
    state: str
    created_at: datetime


class ScoresOut(Schema):
    cvss3_vector: str
    cvss3_base: float | None
    cvss3_environmental: float | None
    cvss4_vector: str
    cvss4_base: float | None
    cvss4_environmental: float | None
    rubric_answers: dict[str, str]
    rubric_vector: str
    rubric_extended_vector: str
    rubric_score: float | None
    rubric_version: str
    rubric_rationale: str
    epss_probability: float | None
    epss_percentile: float | None
    epss_date: datetime | None
    kev_listed: bool
    kev_date_added: date | None
    kev_due_date: date | None
    kev_ransomware: bool
    exploit_maturity: str
    ssvc_exploitation: str
    ssvc_automatable: bool | None
    ssvc_technical_impact: str
    ssvc_mission_prevalence: str
    ssvc_outcome: str
    ssvc_vector: str
    harm_severity: str
    harm_rationale: str
    patients_exposed: int | None
    control_status: str
    control_rationale: str
    control_decided_at: datetime | None
    control_decided_by: str | None
    learned_at: datetime
    priority: str
    priority_reasons: list[str]
    priority_rule: str


class PlanOut(Schema):
    fix_in_version: str
    compensating_controls: str
    customer_communication: str
    communicated_at: datetime | None
    remediated_at: datetime | None
    due_at: datetime | None
    communicate_due_at: datetime | None
    remediate_due_at: datetime | None


class EnvironmentOut(Schema):
    version_id: int
    cvss3_metrics: str
    cvss4_metrics: str
    rationale: str


class StatementOut(Schema):
    finding_id: int
    vulnerability_id: str
    aliases: list[str]
    component_name: str
    component_version: str
    component_purl: str
    component_key: str
    status: str
    justification: str
    impact_statement: str
    action_statement: str
    fixed_in_version: str
    decided_at: datetime | None
    approved_at: datetime | None
    first_seen: datetime
    pending_approval: bool
    decision_id: int | None
    scores: dict[str, Any] | None
    plan: dict[str, Any] | None
    open_proposals: int


class TriageFindingOut(Schema):
    finding_id: int
    version_id: int
    vulnerability: str
    component_key: str
    effective: DecisionOut | None
    pending: DecisionOut | None
    history: list[DecisionOut]
    proposals: list[ProposalOut]
    scores: ScoresOut | None
    plan: PlanOut | None


class QuestionOut(Schema):
    key: str
    metric: str
    text: str


class RubricOut(Schema):
    version: str
    questions: list[QuestionOut]
    categories: dict[str, str]
    impact_keys: list[str]
