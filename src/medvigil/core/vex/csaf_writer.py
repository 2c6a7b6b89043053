"""Write a product version's VEX as a CSAF 2.0 ``csaf_vex`` document (through `core.csaf`).

CSAF states a status per product and allows one entry per CVE, so the
statements about one vulnerability (one per component) are folded into the
device version's status: affected if any component is affected, else under
investigation, else fixed, else not affected. Every component's own
statement is kept in words: in the impact threat of a not affected
version, in the remediation of an affected one, in the notes otherwise. A
justification flag is written when every component gives the same one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from medvigil.core.csaf import (
    FLAG_LABELS,
    Document,
    Flag,
    FlagLabel,
    Note,
    ProductStatus,
    ProductVersion,
    Publisher,
    Remediation,
    RemediationCategory,
    Revision,
    Score,
    Threat,
    Tracking,
    Vulnerability,
    build_document,
)
from medvigil.core.vex.model import VexExport, VexStatement, VexStatus
from medvigil.core.vex.statements import check_statement

# The device version's status when its components' statuses differ, first wins.
_PRECEDENCE: tuple[VexStatus, ...] = ("affected", "under_investigation", "fixed", "not_affected")
_CVE_PREFIX = "CVE-"
_FLAG_LABELS: dict[str, FlagLabel] = {label: label for label in FLAG_LABELS}


def write_csaf_vex(export: VexExport) -> dict[str, Any]:
    """A CSAF 2.0 VEX document; `export.identifier` is its tracking id."""
    product = ProductVersion(
        vendor=export.author,
        product=export.product.name or export.product.label,
        version=export.product.version or "unversioned",
        purl=export.product.purl,
        cpe=export.product.cpe,
    )
    grouped: dict[str, list[VexStatement]] = {}
    for statement in export.statements:
        check_statement(statement)
        grouped.setdefault(_cve_of(statement) or statement.vulnerability, []).append(statement)
    revisions = tuple(Revision(date, summary) for _, date, summary in export.revisions) or (
        Revision(export.timestamp, "Statements of the product version as decided so far"),
    )
    document = Document(
        category="csaf_vex",
        title=export.title or f"VEX for {product.full_name}",
        publisher=Publisher(name=export.author, namespace=export.author_namespace),
        tracking=Tracking(
            id=export.identifier,
            status="final",
            revisions=revisions,
            generator_name="medvigil",
            generator_version=export.tool_version,
            generated=export.timestamp,
        ),
        vulnerabilities=tuple(
            _vulnerability(statements, product) for statements in grouped.values()
        ),
        products=(product,),
    )
    return build_document(document)


def _cve_of(statement: VexStatement) -> str | None:
    for identifier in statement.identifiers:
        if identifier.startswith(_CVE_PREFIX):
            return identifier
    return None


def _vulnerability(statements: list[VexStatement], product: ProductVersion) -> Vulnerability:
    status = next(
        candidate
        for candidate in _PRECEDENCE
        if any(item.status == candidate for item in statements)
    )
    first = statements[0]
    cve = _cve_of(first)
    others = tuple(
        dict.fromkeys(
            identifier
            for item in statements
            for identifier in item.identifiers
            if identifier != cve
        )
    )
    lines = [_line(item) for item in statements]
    notes = [
        Note(
            "description",
            first.description or f"{first.vulnerability} in " + _components(statements),
        )
    ]
    if status not in ("not_affected", "affected"):
        notes.append(Note("details", "\n".join(lines), title="Component statements"))
    return Vulnerability(
        cve=cve,
        ids=tuple((_system(identifier), identifier) for identifier in others),
        notes=tuple(notes),
        product_status=ProductStatus(**{_STATUS_LISTS[status]: (product,)}),
        flags=_flags(statements, product) if status == "not_affected" else (),
        threats=(Threat("impact", "\n".join(lines), (product,)),)
        if status == "not_affected"
        else (),
        remediations=_remediations(statements, product) if status == "affected" else (),
        scores=_scores(statements, product),
    )


_STATUS_LISTS: dict[VexStatus, str] = {
    "affected": "known_affected",
    "not_affected": "known_not_affected",
    "fixed": "fixed",
    "under_investigation": "under_investigation",
}


def _components(statements: Iterable[VexStatement]) -> str:
    names = [component.label for item in statements for component in item.subcomponents]
    return ", ".join(dict.fromkeys(names)) or "the product"


def _line(statement: VexStatement) -> str:
    where = _components((statement,))
    said = (
        statement.impact_statement
        or statement.action_statement
        or statement.notes
        or (statement.justification or "").replace("_", " ")
        or statement.status.replace("_", " ")
    )
    return f"{where}: {said}"


def _flags(statements: list[VexStatement], product: ProductVersion) -> tuple[Flag, ...]:
    labels = {item.justification for item in statements}
    if len(labels) != 1:
        return ()
    (label,) = labels
    if label is None:
        return ()
    return (Flag(_FLAG_LABELS[label], (product,)),)


def _remediations(
    statements: list[VexStatement], product: ProductVersion
) -> tuple[Remediation, ...]:
    affected = [item for item in statements if item.status == "affected"]
    category = _remediation_category({response for item in affected for response in item.responses})
    details = "\n".join(_line(item) for item in affected)
    return (Remediation(category, details, (product,)),)


def _remediation_category(responses: set[str]) -> RemediationCategory:
    if responses & {"update", "rollback"}:
        return "vendor_fix"
    if "workaround_available" in responses:
        return "workaround"
    if responses & {"will_not_fix", "can_not_fix"}:
        return "no_fix_planned"
    return "mitigation"


def _scores(statements: list[VexStatement], product: ProductVersion) -> tuple[Score, ...]:
    # One CVSS v3 score per product (CSAF test 6.1.7): the first vector given.
    for statement in statements:
        for score in statement.scores:
            if score.vector and score.vector.startswith(("CVSS:3.0/", "CVSS:3.1/")):
                return (Score(score.vector, (product,)),)
    return ()


def _system(identifier: str) -> str:
    if identifier.startswith("GHSA-"):
        return "GitHub Security Advisory"
    if identifier.startswith(_CVE_PREFIX):
        return "CVE"
    return identifier.split("-", 1)[0] if "-" in identifier else "other"
