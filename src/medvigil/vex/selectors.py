"""Reads: the supplier VEX documents of a version, and the version's own VEX in three formats.

The export states what `medvigil.triage.selectors.version_statements` says
about each open finding: the effective decision (approved, on a released
version), else "under investigation". Identifiers are stable per version,
and the document version counts the decisions made on it, so a document
that says something new always carries a higher version number.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from medvigil import __version__
from medvigil.core.csaf import CsafBuildError, document_json
from medvigil.core.vex import (
    STATUSES,
    VexExport,
    VexProduct,
    VexScore,
    VexStatement,
    VexStatus,
    write_csaf_vex,
    write_cyclonedx_vex,
    write_openvex,
)
from medvigil.platform.refusals import Kind, Refusal
from medvigil.portfolio.models import ProductVersion
from medvigil.triage.models import Decision
from medvigil.triage.selectors import VersionStatement, version_statements
from medvigil.vex.models import SupplierVex

# An arbitrary fixed namespace for the version-based uuid5 serial numbers.
_SERIAL_NAMESPACE = uuid.UUID("5d0b3c1e-8a7f-4c2e-9b61-3f0d2a4e7c19")
_STATUSES: dict[str, VexStatus] = {status: status for status in STATUSES}


@dataclass(frozen=True)
class ExportFormat:
    media_type: str
    suffix: str
    label: str


EXPORT_FORMATS = {
    "cyclonedx": ExportFormat(
        "application/vnd.cyclonedx+json", "cdx.vex.json", "CycloneDX 1.6 VEX"
    ),
    "openvex": ExportFormat("application/json", "openvex.json", "OpenVEX 0.2.0"),
    "csaf": ExportFormat("application/json", "csaf.json", "CSAF 2.0 VEX"),
}


def publisher_name() -> str:
    """Who publishes the manufacturer's VEX documents (``MEDVIGIL_MANUFACTURER``)."""
    return str(settings.DISCLOSURE_ORGANISATION)


def publisher_namespace() -> str:
    """The publisher's web address (``MEDVIGIL_PUBLIC_URL``), used in identifiers."""
    return str(settings.DISCLOSURE_PUBLIC_URL or "https://localhost")


def documents_of(version: ProductVersion) -> QuerySet[SupplierVex]:
    return SupplierVex.objects.filter(version=version).select_related("uploaded_by")


def export_filename(version: ProductVersion, format_name: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", f"{version.product.name}-{version.version}").strip("-")
    return f"{stem or 'version'}.{EXPORT_FORMATS[format_name].suffix}"


def export_version(version: ProductVersion, format_name: str, now: datetime) -> bytes:
    """The version's VEX document in `format_name` (a key of EXPORT_FORMATS).

    Raises a conflict `Refusal` (409) when the format cannot say what the
    version's state is: OpenVEX and CSAF need at least one statement, CSAF a
    well-formed CVE id.
    """
    if format_name not in EXPORT_FORMATS:
        raise KeyError(format_name)
    export = version_export(version, now)
    if not export.statements and format_name != "cyclonedx":
        raise Refusal(
            f"{version} has no open finding, and an {EXPORT_FORMATS[format_name].label} "
            "document needs at least one statement; the CycloneDX VEX can say so.",
            Kind.CONFLICT,
        )
    try:
        return _write(version, format_name, export)
    except (CsafBuildError, ValueError) as error:
        raise Refusal(
            f"The {EXPORT_FORMATS[format_name].label} of {version} cannot be written: {error}",
            Kind.CONFLICT,
        ) from error


def _write(version: ProductVersion, format_name: str, export: VexExport) -> bytes:
    if format_name == "cyclonedx":
        return _json(write_cyclonedx_vex(export))
    if format_name == "openvex":
        namespace = export.author_namespace.rstrip("/")
        return _json(write_openvex(replace(export, identifier=f"{namespace}/vex/{_slug(version)}")))
    tracking = f"VEX-{version.product.model_number}-{version.version}"
    return document_json(write_csaf_vex(replace(export, identifier=tracking)))


def version_export(version: ProductVersion, now: datetime) -> VexExport:
    decisions = Decision.objects.filter(version=version).order_by("created_at", "id")
    revisions = tuple(
        (
            number,
            row.created_at,
            f"{row.vulnerability.canonical_id} in {row.component_key}: "
            f"{row.get_status_display().lower()}",
        )
        for number, row in enumerate(decisions.select_related("vulnerability"), start=1)
    )
    stated = version_statements(version)
    statements = tuple(_statement(item) for item in stated)
    first_seen = min((item.first_seen for item in stated), default=now)
    return VexExport(
        identifier=f"urn:uuid:{uuid.uuid5(_SERIAL_NAMESPACE, f'version:{version.pk}')}",
        author=publisher_name(),
        author_namespace=publisher_namespace(),
        timestamp=now,
        version=len(revisions) + 1,
        product=VexProduct(
            name=version.product.name,
            version=version.version,
            reference=f"{publisher_namespace().rstrip('/')}/products/{_slug(version)}",
        ),
        statements=statements,
        tool_version=__version__,
        title=f"VEX for {version.product.name} {version.version}",
        revisions=revisions
        or ((1, min(first_seen, now), "Statements as first assessed: under investigation"),),
    )


def _slug(version: ProductVersion) -> str:
    text = f"{version.product.model_number}/{version.version}"
    return re.sub(r"[^A-Za-z0-9._/-]+", "-", text)


def _statement(item: VersionStatement) -> VexStatement:
    scores = []
    if item.scores is not None and item.scores.cvss3_vector:
        scores.append(
            VexScore(
                method="CVSSv31", score=item.scores.cvss3_base, vector=item.scores.cvss3_vector
            )
        )
    if item.scores is not None and item.scores.cvss4_vector:
        scores.append(
            VexScore(method="CVSSv4", score=item.scores.cvss4_base, vector=item.scores.cvss4_vector)
        )
    action = item.action_statement
    if item.status == "fixed" and item.fixed_in_version:
        action = action or f"Fixed in version {item.fixed_in_version}."
    return VexStatement(
        vulnerability=item.vulnerability_id,
        aliases=tuple(item.aliases),
        status=_STATUSES[item.status],
        products=(),
        subcomponents=(
            VexProduct(
                name=item.component_name,
                version=item.component_version or None,
                purl=item.component_purl or None,
                reference=item.component_key,
            ),
        ),
        justification=item.justification or None,
        impact_statement=item.impact_statement or None,
        action_statement=item.action_statement or None,
        notes=action if item.status == "fixed" else None,
        responses=("update",) if item.status == "affected" and item.fixed_in_version else (),
        scores=tuple(scores),
        timestamp=item.decided_at or item.first_seen,
        last_updated=item.approved_at,
    )


def _json(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()
