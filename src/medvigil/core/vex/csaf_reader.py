"""Read the VEX statements of a CSAF 2.0 document (``csaf_vex`` or any profile with statuses).

The document is read and checked by `core.csaf`. Each product
listed in a product status becomes one statement: affected (first, known,
last), fixed (first_fixed, fixed), known_not_affected or under_investigation,
with the flag label as justification, the impact threat as impact statement
and the remediations as action statement, each taken only where it names
that product (directly or through a product group). ``recommended`` is no
VEX status and is listed as skipped.
"""

from __future__ import annotations

from medvigil.core.csaf import CsafDocument, CsafProduct, CsafVulnerability, read_csaf
from medvigil.core.documents import DocumentFormatError
from medvigil.core.sbom import normalise_purl
from medvigil.core.vex.fields import reading_errors
from medvigil.core.vex.model import VexDocument, VexProduct, VexStatement, VexStatus

_STATUS_LISTS: tuple[tuple[str, VexStatus], ...] = (
    ("first_affected", "affected"),
    ("known_affected", "affected"),
    ("last_affected", "affected"),
    ("first_fixed", "fixed"),
    ("fixed", "fixed"),
    ("known_not_affected", "not_affected"),
    ("under_investigation", "under_investigation"),
)


def read_csaf_vex(document: object, *, source: str) -> VexDocument:
    """The statements of a decoded CSAF 2.0 JSON document."""
    with reading_errors(source):
        parsed = read_csaf(document, source=source)
        if not parsed.vulnerabilities:
            raise DocumentFormatError("holds no vulnerability", source=source, path="$")
    purls = _published_purls(document)
    products = {item.product_id: _product(item, purls) for item in parsed.products}
    statements: list[VexStatement] = []
    skipped: list[str] = []
    for vulnerability in parsed.vulnerabilities:
        name, aliases = _names(vulnerability)
        if name is None:
            skipped.append("a vulnerability without CVE or ids carries no statement")
            continue
        status_lists = vulnerability.product_status
        if status_lists.recommended:
            skipped.append(f"{name}: recommended products are not a VEX status")
        for list_name, status in _STATUS_LISTS:
            for product_id in getattr(status_lists, list_name):
                statements.append(
                    _statement(parsed, vulnerability, name, aliases, status, products[product_id])
                )
    return VexDocument(
        format="csaf",
        source=source,
        statements=tuple(statements),
        identifier=parsed.tracking_id,
        author=parsed.publisher_name,
        timestamp=parsed.current_release_date,
        version=parsed.tracking_version,
        skipped=tuple(skipped),
    )


def _names(vulnerability: CsafVulnerability) -> tuple[str | None, tuple[str, ...]]:
    names = [text for _, text in vulnerability.ids]
    if vulnerability.cve:
        names.insert(0, vulnerability.cve)
    unique = tuple(dict.fromkeys(name.strip() for name in names if name.strip()))
    return (unique[0], unique[1:]) if unique else (None, ())


def _statement(
    document: CsafDocument,
    vulnerability: CsafVulnerability,
    name: str,
    aliases: tuple[str, ...],
    status: VexStatus,
    product: VexProduct,
) -> VexStatement:
    product_id = product.reference or ""

    def names_product(product_ids: tuple[str, ...], group_ids: tuple[str, ...]) -> bool:
        return product_id in product_ids or product_id in document.group_products(group_ids)

    flags = [
        flag for flag in vulnerability.flags if names_product(flag.product_ids, flag.group_ids)
    ]
    impacts = [
        threat.details.strip()
        for threat in vulnerability.threats
        if threat.category == "impact" and names_product(threat.product_ids, threat.group_ids)
    ]
    remediations = [
        f"{remediation.category.replace('_', ' ')}: {remediation.details.strip()}"
        for remediation in vulnerability.remediations
        if names_product(remediation.product_ids, remediation.group_ids)
    ]
    justification = flags[0].label if flags and status == "not_affected" else None
    dated = flags[0].date if flags else None
    return VexStatement(
        vulnerability=name,
        status=status,
        products=(product,),
        aliases=aliases,
        justification=justification,
        native_justification=justification,
        impact_statement="\n".join(impacts) or None if status == "not_affected" else None,
        action_statement="\n".join(remediations) or None if status == "affected" else None,
        notes="\n".join(remediations) or None if status == "fixed" else None,
        description=vulnerability.title,
        timestamp=dated or vulnerability.release_date or document.initial_release_date,
        last_updated=document.current_release_date,
    )


def _product(product: CsafProduct, purls: dict[str, str]) -> VexProduct:
    published = purls.get(product.product_id)
    if published is None and product.relationship is not None:
        # "L as a component of D" is identified by what identifies L.
        published = purls.get(product.relationship.product_reference)
    purl = None
    if published is not None:
        purl = normalise_purl(published).canonical
    elif product.purl is not None:
        purl = normalise_purl(product.purl).canonical
    version = product.branch("product_version")
    return VexProduct(
        name=product.branch("product_name") or product.branch("product_family") or product.name,
        version=version,
        purl=purl,
        cpe=product.cpe,
        reference=product.product_id,
        version_range=None if version else product.branch("product_version_range"),
    )


def _published_purls(document: object) -> dict[str, str]:
    """Each product id's purl as published, version included.

    The advisories reader keeps purls without their version (its products
    name packages); a VEX statement is about the exact version.
    """
    found: dict[str, str] = {}
    pending = [document]
    while pending:
        value = pending.pop()
        if isinstance(value, list):
            pending.extend(value)
        elif isinstance(value, dict):
            helper = value.get("product_identification_helper")
            product_id = value.get("product_id")
            if isinstance(helper, dict) and isinstance(product_id, str):
                purl = helper.get("purl")
                if isinstance(purl, str):
                    found[product_id] = purl
            pending.extend(value.values())
    return found
