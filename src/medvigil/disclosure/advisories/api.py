"""The advisory and CVE API at /api/v1/disclosure/advisories and /api/v1/disclosure/cves.

It only translates HTTP: authors (handlers, product security) write
advisories; handlers review, approve, publish, record CVE ids and fetch CVE
records; administrators set a customer's webhook. Refusals are RFC 9457
problems and change nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status

from medvigil.accounts.models import Organisation
from medvigil.audit.signatures import signature_status
from medvigil.core.cve5_writer import CveWriteError
from medvigil.disclosure.advisories import deliveries as advisory_deliveries
from medvigil.disclosure.advisories import selectors as advisory_selectors
from medvigil.disclosure.advisories import services as advisory_services
from medvigil.disclosure.advisories.models import Advisory
from medvigil.disclosure.advisories.policies import is_author
from medvigil.disclosure.advisories.selectors import cve_record_bytes
from medvigil.disclosure.advisories.services import AdvisoryData, CveData
from medvigil.disclosure.cases.models import Case
from medvigil.disclosure.cases.policies import is_handler
from medvigil.disclosure.intake.portal import base_url
from medvigil.platform import permissions
from medvigil.platform.moments import Moment
from medvigil.platform.pagination import Page, PageQuery, paginate
from medvigil.platform.refusals import Kind, Refusal

advisory_router = Router(tags=["advisories"])
cve_router = Router(tags=["advisories"])


class AdvisoryIn(Schema):
    title: str
    summary: str
    details: str = ""
    fix_details: str = ""
    mitigation: str = ""
    workaround: str = ""
    acknowledgments: str = ""
    tlp: str = "WHITE"
    revision_summary: str = "Initial publication"
    fixed_version_ids: list[int] = []


class AdvisoryOut(Schema):
    id: int
    tracking_id: str
    case_number: str
    state: str
    tlp: str
    title: str
    summary: str
    revision_summary: str
    fixed_version_ids: list[int]
    signatures: list[dict[str, Any]]
    revisions: list[dict[str, Any]]


class SignatureIn(Schema):
    password: str
    otp_code: str | None = None


class RevisionOut(Schema):
    number: int
    published_at: datetime
    document_url: str
    page_url: str
    sha256: str
    sha512: str
    signed: bool
    deliveries: int


class DeliveryOut(Schema):
    id: int
    organisation: str
    channel: str
    target: str
    state: str
    attempts: int
    last_error: str
    sent_at: datetime | None


class CveIn(Schema):
    assigner: str
    assigner_name: str
    title: str
    description: str
    assigner_org_id: str = ""
    cwe_id: str = ""
    cvss_vector: str = ""
    reserved_at: Moment | None = None


class CveOut(Schema):
    cve_id: str
    case_number: str
    assigner: str
    assigner_name: str
    title: str
    cwe_id: str
    cvss_vector: str


class WebhookIn(Schema):
    url: str


class WebhookOut(Schema):
    organisation: str
    url: str
    secret: str


def advisory_out(advisory: Advisory) -> dict[str, Any]:
    return {
        "id": advisory.pk,
        "tracking_id": advisory.tracking_id,
        "case_number": advisory.case.number,
        "state": advisory.state,
        "tlp": advisory.tlp,
        "title": advisory.title,
        "summary": advisory.summary,
        "revision_summary": advisory.revision_summary,
        "fixed_version_ids": sorted(advisory.fixed_versions.values_list("pk", flat=True)),
        "signatures": [
            {"meaning": view.meaning, "signer": view.signer_username, "valid": view.valid}
            for view in signature_status(advisory)
        ],
        "revisions": [revision_out(item) for item in advisory_selectors.revision_history(advisory)],
    }


def revision_out(revision: Any) -> dict[str, Any]:
    return {
        "number": revision.number,
        "published_at": revision.published_at,
        "document_url": revision.document_url,
        "page_url": revision.page_url,
        "sha256": revision.sha256,
        "sha512": revision.sha512,
        "signed": bool(revision.signature),
        "deliveries": revision.deliveries.count(),
    }


def _data(payload: AdvisoryIn) -> AdvisoryData:
    return AdvisoryData(
        title=payload.title,
        summary=payload.summary,
        details=payload.details,
        fix_details=payload.fix_details,
        mitigation=payload.mitigation,
        workaround=payload.workaround,
        acknowledgments=payload.acknowledgments,
        tlp=payload.tlp,
        revision_summary=payload.revision_summary,
        fixed_version_ids=tuple(payload.fixed_version_ids),
    )


def _acting(request: HttpRequest, advisory_id: int, action: str) -> Advisory:
    advisory = advisory_selectors.advisory(request.user, advisory_id)
    permissions.require(request.user, action, advisory)
    return advisory


@advisory_router.get("", response=Page[AdvisoryOut], summary="Advisories you may see")
def list_advisories(request: HttpRequest, page: Query[PageQuery]) -> Any:
    rows = advisory_selectors.advisories(request.user)
    return paginate(rows, page, ordering=("-id",), serialize=advisory_out)


@advisory_router.post(
    "/cases/{case_id}", response={201: AdvisoryOut}, summary="Write an advisory from a case"
)
def create_advisory(
    request: HttpRequest, case_id: int, payload: AdvisoryIn
) -> Status[dict[str, Any]]:
    if not is_author(request.user):
        raise Refusal("Only PSIRT handlers and product security write advisories.", Kind.FORBIDDEN)
    case = advisory_selectors.case_to_write_about(request.user, case_id)
    created = advisory_services.create_advisory(case, request.user, _data(payload))
    return Status(201, advisory_out(created))


@advisory_router.get("/{advisory_id}", response=AdvisoryOut, summary="One advisory")
def get_advisory(request: HttpRequest, advisory_id: int) -> Any:
    return advisory_out(advisory_selectors.advisory(request.user, advisory_id))


@advisory_router.put("/{advisory_id}", response=AdvisoryOut, summary="Change an advisory")
def update_advisory(request: HttpRequest, advisory_id: int, payload: AdvisoryIn) -> Any:
    advisory = _acting(request, advisory_id, "edit")
    return advisory_out(advisory_services.update_advisory(advisory, request.user, _data(payload)))


@advisory_router.post("/{advisory_id}/review", response=AdvisoryOut, summary="Sign as reviewed")
def review_advisory(request: HttpRequest, advisory_id: int, payload: SignatureIn) -> Any:
    advisory = _acting(request, advisory_id, "review")
    advisory_services.review(advisory, request.user, payload.password, payload.otp_code)
    return advisory_out(advisory)


@advisory_router.post("/{advisory_id}/approval", response=AdvisoryOut, summary="Sign as approved")
def approve_advisory(request: HttpRequest, advisory_id: int, payload: SignatureIn) -> Any:
    advisory = _acting(request, advisory_id, "approve")
    advisory_services.approve(advisory, request.user, payload.password, payload.otp_code)
    return advisory_out(advisory)


@advisory_router.post(
    "/{advisory_id}/publication", response={201: RevisionOut}, summary="Publish the next revision"
)
def publish_advisory(request: HttpRequest, advisory_id: int) -> Status[dict[str, Any]]:
    advisory = _acting(request, advisory_id, "publish")
    locations = advisory_selectors.locations(base_url(request), advisory)
    revision = advisory_services.publish(advisory, request.user, locations)
    return Status(201, revision_out(revision))


@advisory_router.get(
    "/{advisory_id}/deliveries", response=list[DeliveryOut], summary="Notices to customers"
)
def list_deliveries(request: HttpRequest, advisory_id: int) -> Any:
    advisory = _acting(request, advisory_id, "publish")
    rows = []
    for revision in advisory_selectors.revision_history(advisory):
        for delivery in revision.deliveries.select_related("organisation"):
            rows.append(
                {
                    "id": delivery.pk,
                    "organisation": delivery.organisation.name,
                    "channel": delivery.channel,
                    "target": delivery.target,
                    "state": delivery.state,
                    "attempts": delivery.attempts,
                    "last_error": delivery.last_error,
                    "sent_at": delivery.sent_at,
                }
            )
    return rows


@advisory_router.post(
    "/{advisory_id}/deliveries/retry", response=dict[str, int], summary="Send unsent notices again"
)
def retry_deliveries(request: HttpRequest, advisory_id: int) -> Any:
    advisory = _acting(request, advisory_id, "publish")
    queued = sum(
        advisory_deliveries.retry_deliveries(revision)
        for revision in advisory_selectors.revision_history(advisory)
    )
    return {"queued": queued}


@advisory_router.put(
    "/webhooks/{organisation_id}", response=WebhookOut, summary="Set a customer's webhook"
)
def set_webhook(request: HttpRequest, organisation_id: int, payload: WebhookIn) -> Any:
    if not permissions.is_administrator(request.user):
        raise Refusal("Only administrators set customer webhooks.", Kind.FORBIDDEN)
    organisation = get_object_or_404(Organisation, pk=organisation_id, kind="customer")
    webhook = advisory_services.set_webhook(organisation, payload.url)
    return {"organisation": organisation.name, "url": webhook.url, "secret": webhook.secret}


def cve_out(assignment: Any) -> dict[str, Any]:
    return {
        "cve_id": assignment.cve_id,
        "case_number": assignment.case.number,
        "assigner": assignment.assigner,
        "assigner_name": assignment.assigner_name,
        "title": assignment.title,
        "cwe_id": assignment.cwe_id,
        "cvss_vector": assignment.cvss_vector,
    }


@advisory_router.put(
    "/cases/{case_id}/cves/{cve_id}", response=CveOut, summary="Record a CVE id on a case"
)
def record_cve(request: HttpRequest, case_id: int, cve_id: str, payload: CveIn) -> Any:
    if not is_handler(request.user):
        raise Refusal("Only PSIRT handlers record CVE ids.", Kind.FORBIDDEN)
    case = get_object_or_404(Case, pk=case_id)
    data = CveData(
        cve_id=cve_id,
        assigner=payload.assigner,
        assigner_name=payload.assigner_name,
        title=payload.title,
        description=payload.description,
        assigner_org_id=payload.assigner_org_id,
        cwe_id=payload.cwe_id,
        cvss_vector=payload.cvss_vector,
        reserved_at=payload.reserved_at,
    )
    return cve_out(advisory_services.record_cve(case, request.user, data))


@cve_router.get("/{cve_id}/record", summary="The CVE JSON 5 record to submit")
def cve_record(request: HttpRequest, cve_id: str) -> HttpResponse:
    if not is_handler(request.user):
        raise Refusal("Only PSIRT handlers fetch CVE records.", Kind.FORBIDDEN)
    try:
        content = cve_record_bytes(request.user, cve_id, base_url(request))
    except CveWriteError as error:
        raise Refusal(f"The CVE record cannot be made yet: {error}", Kind.CONFLICT) from None
    return HttpResponse(content, content_type="application/json")
