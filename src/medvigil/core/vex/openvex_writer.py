"""Write OpenVEX 0.2.0 documents.

The product is the device version (its IRI is the export's product
reference, or its purl); the components a statement concerns are its
subcomponents. Every statement carries its own timestamp, so a later
revision of the document keeps what each statement said and when.
"""

from __future__ import annotations

from typing import Any

from packageurl import PackageURL

from medvigil.core.vex.model import VexExport, VexProduct, VexStatement
from medvigil.core.vex.statements import check_statement
from medvigil.core.vex.timestamps import rfc3339

CONTEXT = "https://openvex.dev/ns/v0.2.0"


def write_openvex(export: VexExport) -> dict[str, Any]:
    """An OpenVEX 0.2.0 document, one statement per input statement."""
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "@id": export.identifier,
        "author": export.author,
        "role": "Document Creator",
        "timestamp": rfc3339(export.timestamp),
        "version": export.version,
        "tooling": f"medvigil {export.tool_version}",
        "statements": [_statement(statement, export) for statement in export.statements],
    }
    return document


def product_iri(product: VexProduct) -> str:
    """An IRI for a product: its purl, CPE or reference, else a generic purl of name and version."""
    for candidate in (product.purl, product.cpe, product.reference):
        if candidate and ":" in candidate:
            return candidate
    return PackageURL(
        type="generic", name=product.name or "unnamed", version=product.version
    ).to_string()


def _component(product: VexProduct) -> dict[str, Any]:
    entry: dict[str, Any] = {"@id": product_iri(product)}
    identifiers: dict[str, str] = {}
    if product.purl:
        identifiers["purl"] = product.purl
    if product.cpe:
        identifiers["cpe23" if product.cpe.startswith("cpe:2.3:") else "cpe22"] = product.cpe
    if identifiers:
        entry["identifiers"] = identifiers
    return entry


def _statement(statement: VexStatement, export: VexExport) -> dict[str, Any]:
    check_statement(statement)
    vulnerability: dict[str, Any] = {"name": statement.vulnerability}
    if statement.aliases:
        vulnerability["aliases"] = list(dict.fromkeys(statement.aliases))
    if statement.description:
        vulnerability["description"] = statement.description
    product = _component(export.product)
    subcomponents = list(
        {_component(item)["@id"]: _component(item) for item in statement.subcomponents}.values()
    )
    if subcomponents:
        product["subcomponents"] = subcomponents
    entry: dict[str, Any] = {
        "vulnerability": vulnerability,
        "timestamp": rfc3339(statement.timestamp or export.timestamp),
        "products": [product],
        "status": statement.status,
    }
    if statement.last_updated is not None:
        entry["last_updated"] = rfc3339(statement.last_updated)
    if statement.notes:
        entry["status_notes"] = statement.notes
    if statement.status == "not_affected":
        if statement.justification:
            entry["justification"] = statement.justification
        if statement.impact_statement:
            entry["impact_statement"] = statement.impact_statement
    if statement.status == "affected" and statement.action_statement:
        entry["action_statement"] = statement.action_statement
    return entry
