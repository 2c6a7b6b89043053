"""The triage API at /api/v1/triage: it only translates HTTP.

Reads check that the version is visible (404 otherwise); writes also need a
deciding role (403). A refused write is the platform's problem answer: 422
naming each field for bad input, 409 when the record's state does not allow it.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from medvigil.core.scoring import rubric
from medvigil.platform.pagination import Page, PageQuery
from medvigil.portfolio.selectors import version_for
from medvigil.triage import access, detail, listing, scoring, services
from medvigil.triage.models import Assessment, Decision, Environment, Proposal, RemediationPlan
from medvigil.triage.policies import readable_versions
from medvigil.triage.queue import (
    QueueFilter,
    QueueQuery,
    QueueRowOut,
    queue_page_rows,
)
from medvigil.triage.remediation import PlanInput, save_plan
from medvigil.triage.schemas import (
    ApprovalIn,
    BulkIn,
    ConfirmationIn,
    DecisionOut,
    DismissalIn,
    EnvironmentIn,
    EnvironmentOut,
    PlanIn,
    PlanOut,
    ProposalOut,
    RubricOut,
    ScoresIn,
    ScoresOut,
    StatementIn,
    StatementOut,
    TriageFindingOut,
)
from medvigil.triage.statements import Statement

router = Router(tags=["triage"])


def statement_from(payload: StatementIn) -> Statement:
    return Statement(**payload.dict())


def decision_out(decision: Decision) -> dict[str, Any]:
    return {
        **{
            name: getattr(decision, name)
            for name in (
                "id",
                "version_id",
                "component_key",
                "status",
                "justification",
                "impact_statement",
                "action_statement",
                "fixed_in_version",
                "note",
                "requires_approval",
                "pending_approval",
                "approved_at",
                "created_at",
                "proposal_id",
            )
        },
        "vulnerability": decision.vulnerability.canonical_id,
        "created_by": decision.created_by.get_username() if decision.created_by else None,
    }


def proposal_out(proposal: Proposal) -> dict[str, Any]:
    fields = (
        "id",
        "version_id",
        "finding_id",
        "component_key",
        "status",
        "justification",
        "impact_statement",
        "action_statement",
        "fixed_in_version",
        "source",
        "source_label",
        "source_document_ref",
        "source_decision_id",
        "state",
        "created_at",
    )
    return {
        **{name: getattr(proposal, name) for name in fields},
        "vulnerability": proposal.vulnerability.canonical_id,
    }


def scores_out(assessment: Assessment) -> dict[str, Any]:
    values = {name: getattr(assessment, name) for name in ScoresOut.model_fields}
    decided_by = assessment.control_decided_by
    values["control_decided_by"] = decided_by.get_username() if decided_by else None
    return values


def plan_out(plan: RemediationPlan) -> dict[str, Any]:
    return {name: getattr(plan, name) for name in PlanOut.model_fields}


def finding_out(finding: Any) -> dict[str, Any]:
    shown = detail.finding_detail(finding)
    return {
        "finding_id": finding.pk,
        "version_id": finding.version_id,
        "vulnerability": finding.vulnerability.canonical_id,
        "component_key": shown.key.component_key,
        "effective": decision_out(shown.effective) if shown.effective else None,
        "pending": decision_out(shown.pending) if shown.pending else None,
        "history": [decision_out(row.decision) for row in shown.history],
        "proposals": [proposal_out(proposal) for proposal in shown.proposals],
        "scores": scores_out(shown.assessment) if shown.assessment else None,
        "plan": plan_out(shown.plan) if shown.plan else None,
    }


class StatementFilter(Schema):
    status: str = ""
    priority: str = ""
    overdue: bool = False


@router.get(
    "/versions/{version_id}/statements",
    response=Page[StatementOut],
    summary="What is stated about each open finding of a version",
)
def list_statements(
    request: HttpRequest,
    version_id: int,
    filters: Query[StatementFilter],
    page: Query[PageQuery],
) -> dict[str, Any]:
    version = version_for(request.user, version_id, within=readable_versions(request.user))
    found = listing.statement_findings(
        version, filters.status, filters.priority, filters.overdue, timezone.now()
    )
    items, next_cursor = listing.page_of(version, found, listing.API_ORDER, page.cursor, page.limit)
    return {"items": [asdict(item) for item in items], "next_cursor": next_cursor}


@router.get(
    "/findings/{finding_id}",
    response=TriageFindingOut,
    summary="A finding's decisions, proposals, scores and plan",
)
def get_finding(request: HttpRequest, finding_id: int) -> dict[str, Any]:
    return finding_out(access.finding_for(request.user, finding_id))


@router.post(
    "/findings/{finding_id}/decisions",
    response={201: DecisionOut},
    summary="Decide (on a released version, effective once approved)",
)
def post_decision(request: HttpRequest, finding_id: int, payload: StatementIn) -> Any:
    finding = access.finding_for(request.user, finding_id, decide=True)
    decision = services.decide(finding, request.user, statement_from(payload))
    return Status(201, decision_out(decision))


@router.post(
    "/decisions/bulk",
    response={201: list[DecisionOut]},
    summary="One decision on several findings, each audited",
)
def post_bulk(request: HttpRequest, payload: BulkIn) -> Any:
    findings = access.findings_for(request.user, payload.finding_ids)
    made = services.bulk_decide(findings, request.user, statement_from(payload.statement))
    return Status(201, [decision_out(decision) for decision in made])


@router.post(
    "/decisions/{decision_id}/approval",
    response=DecisionOut,
    summary="Sign a pending decision 'approved' (re-authentication)",
)
def post_approval(request: HttpRequest, decision_id: int, payload: ApprovalIn) -> Any:
    decision = access.decision_for(request.user, decision_id, decide=True)
    services.approve(decision, request.user, payload.password, payload.otp_code or None)
    return decision_out(decision)


@router.post(
    "/proposals/{proposal_id}/confirmation",
    response={201: DecisionOut},
    summary="Confirm a proposal, as offered or changed",
)
def post_confirmation(request: HttpRequest, proposal_id: int, payload: ConfirmationIn) -> Any:
    proposal = access.proposal_for(request.user, proposal_id, decide=True)
    changed = statement_from(payload.changed) if payload.changed else None
    decision = services.confirm_proposal(proposal, request.user, changed)
    return Status(201, decision_out(decision))


@router.post(
    "/proposals/{proposal_id}/dismissal",
    response=ProposalOut,
    summary="Dismiss a proposal, saying why",
)
def post_dismissal(request: HttpRequest, proposal_id: int, payload: DismissalIn) -> Any:
    proposal = access.proposal_for(request.user, proposal_id, decide=True)
    services.dismiss_proposal(proposal, request.user, payload.reason)
    return proposal_out(proposal)


@router.post(
    "/versions/{version_id}/proposals",
    response={201: list[ProposalOut]},
    summary="Offer the decisions made on the same components elsewhere",
)
def post_gather(request: HttpRequest, version_id: int) -> Any:
    version = version_for(request.user, version_id, within=readable_versions(request.user))
    access.require_decider(request.user)
    return Status(
        201, [proposal_out(proposal) for proposal in services.offer_earlier_decisions(version)]
    )


@router.put(
    "/findings/{finding_id}/scores",
    response=ScoresOut,
    summary="Set scoring inputs (rubric, SSVC, harm, FDA determination)",
)
def put_scores(request: HttpRequest, finding_id: int, payload: ScoresIn) -> Any:
    finding = access.finding_for(request.user, finding_id, decide=True)
    assessment = scoring.save_scores(finding, request.user, scoring.ScoreInput(**payload.dict()))
    return scores_out(assessment)


@router.put("/findings/{finding_id}/plan", response=PlanOut, summary="Set the remediation plan")
def put_plan(request: HttpRequest, finding_id: int, payload: PlanIn) -> Any:
    finding = access.finding_for(request.user, finding_id, decide=True)
    plan = save_plan(finding, request.user, PlanInput(**payload.dict()))
    return plan_out(plan)


@router.get(
    "/versions/{version_id}/environment",
    response=EnvironmentOut,
    summary="The version's CVSS environmental metrics",
)
def get_environment(request: HttpRequest, version_id: int) -> Any:
    version = version_for(request.user, version_id, within=readable_versions(request.user))
    found = Environment.objects.filter(version=version).first()
    return {
        "version_id": version.pk,
        "cvss3_metrics": found.cvss3_metrics if found else "",
        "cvss4_metrics": found.cvss4_metrics if found else "",
        "rationale": found.rationale if found else "",
    }


@router.put(
    "/versions/{version_id}/environment",
    response=EnvironmentOut,
    summary="Set the version's CVSS environmental metrics and rescore",
)
def put_environment(request: HttpRequest, version_id: int, payload: EnvironmentIn) -> Any:
    version = version_for(request.user, version_id, within=readable_versions(request.user))
    access.require_decider(request.user)
    found = scoring.set_environment(
        version, request.user, payload.cvss3_metrics, payload.cvss4_metrics, payload.rationale
    )
    return {
        "version_id": version.pk,
        "cvss3_metrics": found.cvss3_metrics,
        "cvss4_metrics": found.cvss4_metrics,
        "rationale": found.rationale,
    }


@router.get("/rubric", response=RubricOut, summary="The medical-device CVSS rubric's questions")
def get_rubric(request: HttpRequest) -> Any:
    access.require_inside(request.user)
    return {
        "version": rubric.RUBRIC_VERSION,
        "questions": [asdict(question) for question in rubric.QUESTIONS],
        "categories": {category.key: category.label for category in rubric.CATEGORIES},
        "impact_keys": list(rubric.IMPACT_KEYS),
    }


@router.get(
    "/queue",
    response=Page[QueueRowOut],
    summary="Open findings of every version you may see, most urgent first",
)
def list_queue(request: HttpRequest, filters: Query[QueueQuery], page: Query[PageQuery]) -> Any:
    access.require_inside(request.user)
    wanted = QueueFilter.parse(filters.dict())
    items, next_cursor = queue_page_rows(request.user, wanted, page.cursor, page.limit)
    return {"items": [asdict(item) for item in items], "next_cursor": next_cursor}
