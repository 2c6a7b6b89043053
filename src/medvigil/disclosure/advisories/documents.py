"""From an advisory, its case and the case's CVE ids to the core's CSAF and CVE 5 inputs.

Products are named (manufacturer, product name, version) with the model
number as identification helper; the affected versions are those a person
confirmed on the case, the fixed ones those chosen on the advisory.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings

from medvigil import __version__
from medvigil.core import csaf
from medvigil.core.advisories import VersionStatus
from medvigil.core.cve5_writer import CveCredit, CveProduct, CveRecordInput, CveReference
from medvigil.disclosure.advisories.models import Advisory, CveAssignment
from medvigil.portfolio.models import ProductVersion

GENERIC_MITIGATION = (
    "Keep the device on a segmented clinical network, not reachable from the internet, "
    "and restrict access to its management interfaces to authorised staff."
)


@dataclass(frozen=True)
class Publisher:
    name: str
    namespace: str
    contact: str


def publisher(base_url: str) -> Publisher:
    contacts = list(getattr(settings, "DISCLOSURE_CONTACTS", []))
    return Publisher(
        name=str(getattr(settings, "ADVISORY_PUBLISHER_NAME", settings.DISCLOSURE_ORGANISATION)),
        namespace=str(getattr(settings, "ADVISORY_PUBLISHER_NAMESPACE", "") or base_url),
        contact=", ".join(contact.removeprefix("mailto:") for contact in contacts),
    )


def product_version(version: ProductVersion, vendor: str) -> csaf.ProductVersion:
    return csaf.ProductVersion(
        vendor=vendor,
        product=version.product.name,
        version=version.version,
        model_numbers=(version.product.model_number,),
    )


def csaf_document(
    advisory: Advisory,
    *,
    base_url: str,
    page_url: str,
    document_url: str,
    revisions: tuple[csaf.Revision, ...],
) -> csaf.Document:
    """The core's document for this advisory with these revisions (the last is the new one)."""
    issuer = publisher(base_url)
    affected_rows = advisory.case.affected_versions.select_related("version__product")
    affected = tuple(product_version(row.version, issuer.name) for row in affected_rows)
    fixed = tuple(
        product_version(version, issuer.name)
        for version in advisory.fixed_versions.select_related("product").order_by("pk")
    )
    if not affected:
        raise csaf.CsafBuildError("confirm the affected versions on the case first")
    names = [name.strip() for name in advisory.acknowledgments.split(",") if name.strip()]
    acknowledgments = (
        (csaf.Acknowledgment(names=tuple(names), summary="reporting this vulnerability"),)
        if names
        else ()
    )
    remediations = _remediations(advisory, affected, fixed)
    assignments = list(advisory.case.cve_assignments.order_by("cve_id"))
    vulnerabilities = tuple(
        _vulnerability(advisory, assignment, affected, fixed, remediations, acknowledgments)
        for assignment in assignments
    ) or (_vulnerability(advisory, None, affected, fixed, remediations, acknowledgments),)
    vulnerabilities += _component_vulnerabilities(
        advisory, issuer.name, {assignment.cve_id for assignment in assignments}, fixed
    )
    references = [csaf.Reference(document_url, f"{advisory.tracking_id} (CSAF)", True)]
    references.append(csaf.Reference(page_url, f"{advisory.tracking_id} (web page)", True))
    return csaf.Document(
        category="csaf_security_advisory",
        title=advisory.title,
        publisher=csaf.Publisher(
            issuer.name,
            issuer.namespace,
            "vendor",
            contact_details=issuer.contact or None,
        ),
        tracking=csaf.Tracking(
            id=advisory.tracking_id,
            status="final",
            revisions=revisions,
            generator_name="medvigil",
            generator_version=__version__,
        ),
        vulnerabilities=vulnerabilities,
        tlp=advisory.tlp,  # type: ignore[arg-type]
        notes=(
            csaf.Note("summary", advisory.summary, title="Risk evaluation"),
            csaf.Note(
                "legal_disclaimer",
                "This advisory is provided as is, for informational purposes.",
                title="Legal notice",
            ),
        ),
        references=tuple(references),
        acknowledgments=acknowledgments,
    )


def _remediations(
    advisory: Advisory,
    affected: tuple[csaf.ProductVersion, ...],
    fixed: tuple[csaf.ProductVersion, ...],
) -> tuple[csaf.Remediation, ...]:
    remediations = []
    if fixed:
        versions = ", ".join(f"{item.product} {item.version}" for item in fixed)
        details = f"Update to {versions}."
        if advisory.fix_details.strip():
            details += f" {advisory.fix_details.strip()}"
        remediations.append(csaf.Remediation("vendor_fix", details, affected))
    if advisory.mitigation.strip():
        remediations.append(csaf.Remediation("mitigation", advisory.mitigation, affected))
    if advisory.workaround.strip():
        remediations.append(csaf.Remediation("workaround", advisory.workaround, affected))
    if not remediations:
        remediations.append(
            csaf.Remediation(
                "none_available", f"No fix is available yet. {GENERIC_MITIGATION}", affected
            )
        )
    return tuple(remediations)


def _vulnerability(
    advisory: Advisory,
    assignment: CveAssignment | None,
    affected: tuple[csaf.ProductVersion, ...],
    fixed: tuple[csaf.ProductVersion, ...],
    remediations: tuple[csaf.Remediation, ...],
    acknowledgments: tuple[csaf.Acknowledgment, ...],
) -> csaf.Vulnerability:
    description = advisory.details or advisory.summary
    scores: tuple[csaf.Score, ...] = ()
    if assignment is not None:
        description = assignment.description
        if assignment.cvss_vector.startswith("CVSS:3"):
            scores = (csaf.Score(assignment.cvss_vector, affected),)
    return csaf.Vulnerability(
        cve=assignment.cve_id if assignment else None,
        ids=() if assignment else (("medvigil disclosure case", advisory.case.number),),
        cwe=(assignment.cwe_id or None) if assignment else None,
        title=assignment.title if assignment else advisory.title,
        notes=(csaf.Note("description", description, title="Vulnerability description"),),
        product_status=csaf.ProductStatus(known_affected=affected, fixed=fixed),
        remediations=remediations,
        scores=scores,
        acknowledgments=acknowledgments,
    )


def _component_vulnerabilities(
    advisory: Advisory, vendor: str, recorded: set[str], fixed: tuple[csaf.ProductVersion, ...]
) -> tuple[csaf.Vulnerability, ...]:
    """One vulnerability per CVE of the findings linked to the case (third-party components)."""
    by_cve: dict[str, list[Any]] = {}
    links = advisory.case.finding_links.select_related(
        "finding__vulnerability", "finding__version__product"
    ).order_by("pk")
    for link in links:
        members = [str(item) for item in link.finding.vulnerability.members]
        cve = next((item for item in sorted(members) if item.startswith("CVE-")), None)
        if cve is not None and cve not in recorded:
            by_cve.setdefault(cve, []).append(link.finding)
    found = []
    fixed_ids = {item.product_id for item in fixed}
    for cve, findings in sorted(by_cve.items()):
        products = tuple(
            dict.fromkeys(
                product
                for product in (product_version(item.version, vendor) for item in findings)
                if product.product_id not in fixed_ids
            )
        )
        if not products:
            continue
        components = ", ".join(
            sorted({f"{item.component_name} {item.component_version}".strip() for item in findings})
        )
        summary = findings[0].vulnerability.summary or "A vulnerability of a third-party component."
        found.append(
            csaf.Vulnerability(
                cve=cve,
                title=f"{cve} in {components}",
                notes=(
                    csaf.Note(
                        "description",
                        f"{summary}\n\nComponent: {components}.",
                        title="Vulnerability description",
                    ),
                ),
                product_status=csaf.ProductStatus(known_affected=products, fixed=fixed),
                remediations=_remediations(advisory, products, fixed),
            )
        )
    return tuple(found)


def cve_record_input(
    assignment: CveAssignment, *, published: datetime, updated: datetime, advisory_url: str | None
) -> CveRecordInput:
    """What the CVE record of an assignment says: the case's affected and fixed versions."""
    case = assignment.case
    vendor = publisher("https://invalid").name
    by_product: dict[str, list[VersionStatus]] = {}
    for row in case.affected_versions.select_related("version__product"):
        by_product.setdefault(row.version.product.name, []).append(
            VersionStatus(row.version.version, "affected")
        )
    for advisory in case.advisories.all():
        for version in advisory.fixed_versions.select_related("product"):
            statuses = by_product.setdefault(version.product.name, [])
            fixed = VersionStatus(version.version, "unaffected")
            if fixed not in statuses:
                statuses.append(fixed)
    references = []
    if advisory_url:
        references.append(CveReference(advisory_url, assignment.cve_id, ("vendor-advisory",)))
    credits = tuple(
        CveCredit(name.strip())
        for advisory in case.advisories.all()
        for name in advisory.acknowledgments.split(",")
        if name.strip()
    )
    return CveRecordInput(
        cve_id=assignment.cve_id,
        assigner_org_id=assignment.assigner_org_id,
        assigner_short_name=assignment.assigner_name,
        title=assignment.title,
        description=assignment.description,
        affected=tuple(
            CveProduct(vendor, product, versions=tuple(statuses), default_status="unknown")
            for product, statuses in sorted(by_product.items())
        ),
        references=tuple(references),
        date_published=published,
        date_updated=updated,
        date_reserved=assignment.reserved_at,
        cwe_ids=(assignment.cwe_id,) if assignment.cwe_id else (),
        cvss_v3_vectors=(assignment.cvss_vector,) if assignment.cvss_vector else (),
        credits=credits,
        discovery="EXTERNAL",
    )
