"""Import a supplier's VEX document: keep it, and offer its statements as triage proposals.

Nothing is applied: each statement that names a finding of the version
becomes a proposal (`medvigil.triage.services.propose`) that a person
confirms, changes or dismisses, and that shows this document as its source.
A document that cannot be read is refused whole (a `Refusal` naming the
file: 422 unreadable, 413 too large, 409 already imported) and nothing is stored.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction
from django.urls import reverse

from medvigil.audit.services import record
from medvigil.core.vex import VexDocument, VexFormatError, VexStatement, read_vex
from medvigil.platform.refusals import Kind, Refusal
from medvigil.portfolio.models import ProductVersion
from medvigil.triage import services as triage_services
from medvigil.vex.matching import finding_targets, matching_findings
from medvigil.vex.models import SupplierVex

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
FORMAT_NAMES = {"cyclonedx": "CycloneDX VEX", "openvex": "OpenVEX", "csaf": "CSAF VEX"}


def too_large(name: str, size: int) -> Refusal:
    message = f"{name}: {size} bytes is over the limit of {MAX_DOCUMENT_BYTES} bytes."
    return Refusal(message, Kind.TOO_LARGE, {"file": message})


def import_vex(version: ProductVersion, content: bytes, filename: str, user: Any) -> SupplierVex:
    """Store a supplier VEX document of `version` and propose its statements on the findings."""
    name = filename.rsplit("/", 1)[-1][:255] or "vex.json"
    if len(content) > MAX_DOCUMENT_BYTES:
        raise too_large(name, len(content))
    try:
        document = read_vex(content, source=name)
    except VexFormatError as error:
        raise Refusal(str(error), Kind.INVALID, {"file": str(error)}) from None
    digest = hashlib.sha256(content).hexdigest()
    if SupplierVex.objects.filter(version=version, sha256=digest).exists():
        message = f"{name}: this exact document was already imported for {version}."
        raise Refusal(message, Kind.CONFLICT, {"file": message})
    with transaction.atomic():
        stored = SupplierVex.objects.create(
            version=version,
            filename=name,
            sha256=digest,
            size=len(content),
            content=content,
            format=document.format,
            identifier=(document.identifier or "")[:2000],
            author=(document.author or "")[:2000],
            issued_at=document.timestamp,
            statement_count=len(document.statements),
            proposal_count=0,
            skipped=list(document.skipped),
            uploaded_by=user if getattr(user, "pk", None) else None,
        )
        outcomes = _propose_all(stored, document)
        stored.outcomes = outcomes
        stored.proposal_count = sum(len(item["proposals"]) for item in outcomes)
        stored.save(update_fields=["outcomes", "proposal_count"])
        record(
            "vex.imported",
            stored,
            details={
                "version": version.pk,
                "filename": name,
                "sha256": digest,
                "format": document.format,
                "statements": len(document.statements),
                "proposals": stored.proposal_count,
            },
        )
    return stored


def source_label(stored: SupplierVex) -> str:
    author = f" from {stored.author}" if stored.author else ""
    return (
        f"{FORMAT_NAMES[stored.format]}{author}: {stored.filename} (SHA-256 {stored.sha256[:12]}…)"
    )


def _propose_all(stored: SupplierVex, document: VexDocument) -> list[dict[str, Any]]:
    targets = finding_targets(stored.version)
    label = source_label(stored)
    page = reverse("vex:document", args=[stored.pk])
    outcomes = []
    for number, statement in enumerate(document.statements, start=1):
        outcome: dict[str, Any] = {
            "number": number,
            "vulnerability": statement.vulnerability,
            "aliases": list(statement.aliases),
            "status": statement.status,
            "justification": statement.justification or "",
            "products": [product.label for product in statement.products],
            "subcomponents": [product.label for product in statement.subcomponents],
            "proposals": [],
            "findings": [],
            "note": "",
        }
        findings = matching_findings(statement, targets)
        outcome["findings"] = [finding.pk for finding in findings]
        if not findings:
            outcome["note"] = "No open finding of this version matches."
        for finding in findings:
            try:
                proposal = triage_services.propose(
                    finding,
                    statement.status,
                    statement.justification or "",
                    _impact(statement),
                    statement.action_statement or "",
                    label,
                    f"{page}#statement-{number}",
                )
            except Refusal as error:
                outcome["note"] = f"Not proposed: {error}"
                continue
            if proposal is not None:
                outcome["proposals"].append(proposal.pk)
            elif not outcome["note"]:
                outcome["note"] = "The same proposal from this document is already open."
        outcomes.append(outcome)
    return outcomes


def _impact(statement: VexStatement) -> str:
    if statement.status != "not_affected":
        return ""
    if statement.impact_statement:
        return statement.impact_statement
    if statement.justification:
        # The supplier gave only its machine-readable reason; say so in words.
        return "The supplier states: " + statement.justification.replace("_", " ") + "."
    return ""
