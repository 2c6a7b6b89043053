"""Every write of CVE ids and advisories: each in one transaction, with its audit event.

Review and approval are electronic signatures over the advisory's content:
the reviewer and the approver are two people, neither of them the author.
Publishing needs both signatures valid on the current content; it freezes the
CSAF bytes of the new revision, with SHA-256, SHA-512 and a detached OpenPGP
signature by the disclosure key, and queues a notice to every customer
organisation that owns an affected version.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from medvigil.accounts.models import Organisation
from medvigil.audit.models import Signature
from medvigil.audit.services import record
from medvigil.audit.signatures import sign, signature_status
from medvigil.core import csaf
from medvigil.disclosure.advisories.deliveries import queue_deliveries
from medvigil.disclosure.advisories.documents import csaf_document
from medvigil.disclosure.advisories.models import (
    Advisory,
    AdvisoryRevision,
    AdvisoryState,
    AdvisoryWebhook,
    CveAssigner,
    CveAssignment,
    TlpLabel,
)
from medvigil.disclosure.cases.models import Case
from medvigil.disclosure.keys import openpgp
from medvigil.platform.refusals import Kind, Refusal
from medvigil.portfolio.models import ProductVersion

_CVE_ID = re.compile(r"^CVE-[0-9]{4}-[0-9]{4,19}$")


@dataclass(frozen=True)
class CveData:
    cve_id: str
    assigner: str
    assigner_name: str
    title: str
    description: str
    assigner_org_id: str = ""
    cwe_id: str = ""
    cvss_vector: str = ""
    reserved_at: datetime | None = None


@dataclass(frozen=True)
class AdvisoryData:
    title: str
    summary: str
    details: str = ""
    fix_details: str = ""
    mitigation: str = ""
    workaround: str = ""
    acknowledgments: str = ""
    tlp: str = TlpLabel.WHITE
    revision_summary: str = "Initial publication"
    fixed_version_ids: tuple[int, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Locations:
    """Where the published advisory lives, for its self references."""

    base_url: str
    page_url: str
    document_url: str


def invalid(field_name: str, message: str) -> Refusal:
    """A refusal of one field, named as the API and the page form name it."""
    return Refusal(message, Kind.INVALID, {field_name: message})


def check_cve(data: CveData) -> None:
    if not _CVE_ID.match(data.cve_id):
        raise invalid("cve_id", f"{data.cve_id!r} is not a CVE id such as CVE-2026-12345.")
    if data.assigner not in CveAssigner.values:
        raise invalid("assigner", "Say who assigned the CVE id: own-cna or coordinator.")
    if not 2 <= len(data.assigner_name.strip()) <= 32:
        raise invalid("assigner_name", "The assigning CNA's short name has 2 to 32 characters.")
    if data.assigner_org_id:
        try:
            parsed = uuid.UUID(data.assigner_org_id)
        except ValueError:
            raise invalid(
                "assigner_org_id", "The CNA organization id is a UUID from CVE Services."
            ) from None
        if parsed.version != 4:
            raise invalid(
                "assigner_org_id", "The CNA organization id is a random (version 4) UUID."
            )
    elif data.assigner == CveAssigner.OWN_CNA:
        message = "Our own CNA's organization UUID is needed for the CVE record."
        raise invalid("assigner_org_id", message)
    if not data.title.strip() or len(data.title) > 256:
        raise invalid("title", "The CVE title has 1 to 256 characters.")
    if not data.description.strip():
        raise invalid("description", "The CVE description must not be empty.")
    try:
        if data.cwe_id:
            csaf.cwe_name(data.cwe_id)
    except csaf.CsafBuildError as error:
        raise invalid("cwe_id", str(error)) from None
    try:
        if data.cvss_vector:
            csaf.cvss_v3_object(data.cvss_vector, "CVSS vector")
    except csaf.CsafBuildError as error:
        raise invalid("cvss_vector", str(error)) from None


def record_cve(case: Case, user: Any, data: CveData) -> CveAssignment:
    """Record (or correct) the CVE id of a case's vulnerability."""
    check_cve(data)
    with transaction.atomic():
        taken = CveAssignment.objects.filter(cve_id=data.cve_id).exclude(case=case).exists()
        if taken:
            message = f"{data.cve_id} is already recorded on another case."
            raise Refusal(message, Kind.CONFLICT, {"cve_id": message})
        assignment, created = CveAssignment.objects.update_or_create(
            cve_id=data.cve_id,
            defaults={
                "case": case,
                "assigner": data.assigner,
                "assigner_name": data.assigner_name.strip(),
                "assigner_org_id": data.assigner_org_id,
                "title": data.title,
                "description": data.description,
                "cwe_id": data.cwe_id,
                "cvss_vector": data.cvss_vector,
                "reserved_at": data.reserved_at,
                "recorded_by": user,
                "recorded_at": timezone.now(),
            },
        )
        record(
            "cve-recorded" if created else "cve-corrected",
            case,
            details={"cve_id": data.cve_id, "assigner": data.assigner, "by": data.assigner_name},
        )
    return assignment


def _checked(data: AdvisoryData) -> AdvisoryData:
    if not data.title.strip() or len(data.title) > 200:
        raise invalid("title", "The title has 1 to 200 characters.")
    if not data.summary.strip():
        raise invalid("summary", "The summary must not be empty.")
    if data.tlp not in TlpLabel.values:
        raise invalid("tlp", f"The TLP label is one of {', '.join(TlpLabel.values)}.")
    if not data.revision_summary.strip():
        raise invalid("revision_summary", "Say what this revision changes.")
    if len(data.acknowledgments) > 300:
        raise invalid("acknowledgments", "Acknowledgments have at most 300 characters.")
    if len(data.revision_summary) > 300:
        raise invalid("revision_summary", "The revision summary has at most 300 characters.")
    return data


def _fixed_versions(case: Case, ids: tuple[int, ...]) -> list[ProductVersion]:
    products = case.affected_versions.values_list("version__product_id", flat=True)
    found = list(ProductVersion.objects.filter(pk__in=ids, product_id__in=list(products)))
    if len(found) != len(set(ids)):
        message = "A fixed version must be a version of an affected product."
        raise invalid("fixed_version_ids", message)
    affected = set(case.affected_versions.values_list("version_id", flat=True))
    if any(version.pk in affected for version in found):
        raise invalid("fixed_version_ids", "A version cannot be both affected and fixed.")
    return found


def next_tracking_id(now: datetime) -> str:
    prefix = str(getattr(settings, "ADVISORY_ID_PREFIX", "MEDVIGIL-SA"))
    year_prefix = f"{prefix}-{now.year}-"
    taken = Advisory.objects.filter(tracking_id__startswith=year_prefix).count()
    return f"{year_prefix}{taken + 1:03d}"


def create_advisory(case: Case, user: Any, data: AdvisoryData) -> Advisory:
    _checked(data)
    try:
        with transaction.atomic():
            Case.objects.select_for_update().get(pk=case.pk)
            fixed = _fixed_versions(case, data.fixed_version_ids)
            now = timezone.now()
            advisory = Advisory.objects.create(
                case=case,
                tracking_id=next_tracking_id(now),
                created_by=user,
                created_at=now,
                updated_at=now,
                **_fields(data),
            )
            advisory.fixed_versions.set(fixed)
            record("advisory-created", advisory, details={"case": case.number, "title": data.title})
    except IntegrityError:
        # Two advisories created at the same moment drew the same tracking id.
        raise Refusal(
            "Another advisory was created at the same time; try again.", Kind.CONFLICT
        ) from None
    return advisory


def update_advisory(advisory: Advisory, user: Any, data: AdvisoryData) -> Advisory:
    """Change the draft (or start the next revision): earlier signatures no longer match."""
    _checked(data)
    with transaction.atomic():
        advisory = Advisory.objects.select_for_update().get(pk=advisory.pk)
        fixed = _fixed_versions(advisory.case, data.fixed_version_ids)
        for name, value in _fields(data).items():
            setattr(advisory, name, value)
        advisory.state = AdvisoryState.DRAFT
        advisory.updated_at = timezone.now()
        advisory.save()
        advisory.fixed_versions.set(fixed)
        record("advisory-edited", advisory, details={"title": data.title})
    return advisory


def _fields(data: AdvisoryData) -> dict[str, str]:
    return {
        "title": data.title.strip(),
        "summary": data.summary,
        "details": data.details,
        "fix_details": data.fix_details,
        "mitigation": data.mitigation,
        "workaround": data.workaround,
        "acknowledgments": data.acknowledgments.strip(),
        "tlp": data.tlp,
        "revision_summary": data.revision_summary.strip(),
    }


def valid_signers(advisory: Advisory, meaning: str) -> list[str]:
    return [
        view.signer_username
        for view in signature_status(advisory)
        if view.meaning == meaning and view.valid
    ]


def review(advisory: Advisory, user: Any, password: str, otp_code: str | None = None) -> None:
    advisory.refresh_from_db()  # sign what is stored, never a stale copy
    if advisory.created_by_id == user.pk:
        raise Refusal(
            "Separation of duties: the author may not review the advisory.", Kind.CONFLICT
        )
    _signed(advisory, user, "reviewed", password, otp_code, AdvisoryState.REVIEWED)


def approve(advisory: Advisory, user: Any, password: str, otp_code: str | None = None) -> None:
    advisory.refresh_from_db()
    reviewers = valid_signers(advisory, "reviewed")
    if not reviewers:
        raise Refusal("The advisory needs a review of its current content first.", Kind.CONFLICT)
    if user.get_username() in reviewers:
        raise Refusal("Separation of duties: the reviewer may not also approve.", Kind.CONFLICT)
    # An earlier review, even one a later edit invalidated, also excludes the approver:
    # audit.signatures holds that rule for every kind of signed record.
    _signed(advisory, user, "approved", password, otp_code, AdvisoryState.APPROVED)


def _signed(
    advisory: Advisory, user: Any, meaning: str, password: str, otp_code: str | None, state: str
) -> None:
    def advance(signature: Signature) -> None:
        rows = Advisory.objects.select_for_update().filter(pk=advisory.pk)
        before = str(rows.values_list("state", flat=True).get())
        rows.update(state=state)
        record(
            "advisory-state-changed",
            advisory,
            changes={"state": [before, state]},
            details={"meaning": meaning, "signature": signature.pk},
        )

    sign(user, advisory, meaning, password, otp_code, effects=advance)
    advisory.state = state


def detached_signature(data: bytes) -> str:
    """An ASCII-armoured detached OpenPGP signature by the disclosure key ("" without a key)."""
    found = openpgp.fingerprint()
    if not found:
        return ""
    result = openpgp.keyring().sign(data, keyid=found, detach=True)
    if not getattr(result, "fingerprint", None):
        raise Refusal("The disclosure key could not sign the advisory.", Kind.CONFLICT)
    return str(result)


def publish(advisory: Advisory, user: Any, locations: Locations) -> AdvisoryRevision:
    """Publish the approved content as the advisory's next revision."""
    with transaction.atomic():
        advisory = Advisory.objects.select_for_update().get(pk=advisory.pk)
        if not valid_signers(advisory, "reviewed") or not valid_signers(advisory, "approved"):
            raise Refusal("Only a reviewed and approved advisory can be published.", Kind.CONFLICT)
        earlier = list(advisory.revisions.order_by("number"))
        now = timezone.now().replace(microsecond=0)
        revisions = tuple(csaf.Revision(item.published_at, item.summary) for item in earlier)
        revisions += (csaf.Revision(now, advisory.revision_summary),)
        try:
            document = csaf.build_document(
                csaf_document(
                    advisory,
                    base_url=locations.base_url,
                    page_url=locations.page_url,
                    document_url=locations.document_url,
                    revisions=revisions,
                )
            )
        except csaf.CsafBuildError as error:
            raise Refusal(
                f"The advisory is not a valid CSAF document: {error}", Kind.INVALID
            ) from None
        content = csaf.document_json(document)
        revision = AdvisoryRevision.objects.create(
            advisory=advisory,
            number=len(revisions),
            summary=advisory.revision_summary,
            published_at=now,
            published_by=user,
            tlp=advisory.tlp,
            year=(earlier[0].published_at if earlier else now).year,
            filename=csaf.document_filename(advisory.tracking_id),
            document=content,
            sha256=hashlib.sha256(content).hexdigest(),
            sha512=hashlib.sha512(content).hexdigest(),
            signature=detached_signature(content),
            approvals="; ".join(
                f"{meaning} by {', '.join(valid_signers(advisory, meaning))}"
                for meaning in ("reviewed", "approved")
            ),
            page_url=locations.page_url,
            document_url=locations.document_url,
        )
        advisory.state = AdvisoryState.PUBLISHED
        advisory.save(update_fields=["state"])
        record(
            "advisory-published",
            advisory,
            details={"revision": revision.number, "sha256": revision.sha256, "tlp": advisory.tlp},
        )
        queue_deliveries(revision)
    return revision


def set_webhook(organisation: Organisation, url: str) -> AdvisoryWebhook:
    """Set where a customer's notices are posted; a new signing secret each time."""
    if not url.startswith(("https://", "http://")) or len(url) > 500 or " " in url:
        raise Refusal(
            "The webhook URL is an http or https URL of at most 500 characters.", Kind.INVALID
        )
    with transaction.atomic():
        webhook, _ = AdvisoryWebhook.objects.update_or_create(
            organisation=organisation,
            defaults={"url": url, "secret": secrets.token_hex(32), "updated_at": timezone.now()},
        )
        record("advisory-webhook-set", organisation, details={"url": url})
    return webhook
