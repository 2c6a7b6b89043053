"""Read the VEX statements of a CycloneDX 1.4 to 1.7 JSON document.

Each vulnerability with an ``analysis.state`` is one statement about the
products its ``affects`` name: a component of the document by bom-ref, a
BOM-Link into another BOM (``urn:cdx:serial/version#bom-ref``), or a purl
used as a bom-ref, as many tools write. A vulnerability without ``affects``
speaks of the document's subject (``metadata.component``). Vulnerabilities
without analysis carry no VEX statement and are listed as skipped.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from itertools import chain
from urllib.parse import unquote

from medvigil.core.documents import Node
from medvigil.core.vex.fields import (
    canonical_purl,
    choice,
    document_version,
    optional_text,
    reading_errors,
)
from medvigil.core.vex.model import VexDocument, VexProduct, VexScore, VexStatement
from medvigil.core.vex.vocabulary import (
    CYCLONEDX_RESPONSES,
    CYCLONEDX_STATES,
    JUSTIFICATION_FROM_CYCLONEDX,
)

# VEX (vulnerabilities[].analysis) arrived with CycloneDX 1.4.
SPEC_VERSIONS = ("1.4", "1.5", "1.6", "1.7")
_BOM_LINK = re.compile(r"^urn:cdx:[0-9a-fA-F-]{36}/[1-9][0-9]*#(.+)$")
_RATING_METHODS = ("CVSSv2", "CVSSv3", "CVSSv31", "CVSSv4", "OWASP", "SSVC", "other")
_SEVERITIES = ("critical", "high", "medium", "low", "info", "none", "unknown")
_MAXIMUM_NESTING = 30


def read_cyclonedx_vex(document: object, *, source: str) -> VexDocument:
    """The statements of a decoded CycloneDX JSON document."""
    with reading_errors(source):
        return _read(Node(document, source), source)


def _read(root: Node, source: str) -> VexDocument:
    if root.field("bomFormat").text() != "CycloneDX":
        raise root.field("bomFormat").error("expected bomFormat CycloneDX")
    choice(root.field("specVersion"), SPEC_VERSIONS)
    known: dict[str, VexProduct] = {}
    metadata = root.optional("metadata")
    subject = None
    moment = None
    if metadata is not None:
        moment = metadata.optional_timestamp("timestamp")
        component = metadata.optional("component")
        if component is not None:
            subject = _component(component)
            _remember(known, subject)
    for component in _components(root, 0):
        _remember(known, _component(component))
    if not root.has("vulnerabilities"):
        raise root.error("no vulnerabilities: this CycloneDX document carries no VEX statement")
    # One vulnerability at a time: a wide array is never held twice.
    vulnerabilities = root.field("vulnerabilities").items()
    first = next(vulnerabilities, None)
    if first is None:
        raise root.field("vulnerabilities").error("holds no vulnerability")
    statements = []
    skipped = []
    for item in chain([first], vulnerabilities):
        identifier = item.required_text("id").strip()
        if not identifier:
            raise item.field("id").error("a vulnerability id must not be empty")
        analysis = item.optional("analysis")
        if analysis is None or not analysis.has("state"):
            skipped.append(f"{identifier}: no analysis state, so no VEX statement")
            continue
        choice(analysis.field("state"), CYCLONEDX_STATES)
        products = _targets(item, known, subject)
        if not products:
            skipped.append(f"{identifier}: names no product (no affects, no metadata.component)")
            continue
        statements.append(_statement(item, identifier, analysis, products, moment))
    serial = root.optional_text("serialNumber")
    version = root.optional("version")
    return VexDocument(
        format="cyclonedx",
        source=source,
        statements=tuple(statements),
        identifier=serial,
        author=_author(metadata),
        timestamp=moment,
        version=document_version(version),
        skipped=tuple(skipped),
    )


def _components(node: Node, depth: int) -> list[Node]:
    if depth > _MAXIMUM_NESTING:
        raise node.error(f"components nest deeper than {_MAXIMUM_NESTING} levels")
    found = []
    for component in node.array("components"):
        found.append(component)
        found.extend(_components(component, depth + 1))
    return found


def _component(node: Node) -> VexProduct:
    purl = node.optional("purl")
    return VexProduct(
        name=node.required_text("name"),
        version=optional_text(node, "version"),
        purl=None if purl is None else canonical_purl(purl),
        cpe=optional_text(node, "cpe"),
        reference=optional_text(node, "bom-ref"),
    )


def _remember(known: dict[str, VexProduct], product: VexProduct) -> None:
    if product.reference is not None:
        known.setdefault(product.reference, product)


def _targets(
    item: Node, known: dict[str, VexProduct], subject: VexProduct | None
) -> tuple[VexProduct, ...]:
    affects = item.optional("affects")
    if affects is None:
        return () if subject is None else (subject,)
    products: list[VexProduct] = []
    for target in affects.items():
        product = _resolve(target.field("ref"), known)
        versions = list(target.array("versions"))
        if not versions:
            products.append(product)
        for entry in versions:
            if entry.has("version"):
                products.append(replace(product, version=entry.required_text("version")))
            elif entry.has("range"):
                products.append(replace(product, version_range=entry.required_text("range")))
            else:
                raise entry.error("a version entry needs version or range")
            if entry.has("status"):
                choice(entry.field("status"), ("affected", "unaffected", "unknown"))
    return tuple(dict.fromkeys(products))


def _resolve(node: Node, known: dict[str, VexProduct]) -> VexProduct:
    reference = node.text().strip()
    if not reference:
        raise node.error("a reference must not be empty")
    if reference in known:
        return known[reference]
    link = _BOM_LINK.match(reference)
    inner = unquote(link.group(1)) if link else reference
    if link and inner in known:
        return replace(known[inner], reference=reference)
    if inner.startswith("pkg:"):
        return VexProduct(purl=canonical_purl(Node(inner, node.source)), reference=reference)
    return VexProduct(reference=reference)


def _statement(
    item: Node,
    identifier: str,
    analysis: Node,
    products: tuple[VexProduct, ...],
    moment: datetime | None,
) -> VexStatement:
    state = choice(analysis.field("state"), CYCLONEDX_STATES)
    status = CYCLONEDX_STATES[state]
    native = None
    if analysis.has("justification"):
        native = choice(analysis.field("justification"), JUSTIFICATION_FROM_CYCLONEDX)
    justification = None if native is None else JUSTIFICATION_FROM_CYCLONEDX[native]
    if state == "false_positive":
        justification = "component_not_present"
    responses = tuple(
        choice(response, CYCLONEDX_RESPONSES) for response in analysis.array("response")
    )
    detail = optional_text(analysis, "detail")
    advice = detail or optional_text(item, "recommendation") or optional_text(item, "workaround")
    if status == "affected" and advice is None and responses:
        advice = "Response: " + ", ".join(response.replace("_", " ") for response in responses)
    aliases = tuple(
        alias
        for alias in (
            reference.required_text("id").strip() for reference in item.array("references")
        )
        if alias and alias != identifier
    )
    first_issued = analysis.optional_timestamp("firstIssued")
    return VexStatement(
        vulnerability=identifier,
        status=status,
        products=products,
        aliases=tuple(dict.fromkeys(aliases)),
        justification=justification,
        native_justification=native or (state if state == "false_positive" else None),
        impact_statement=detail if status == "not_affected" else None,
        action_statement=advice if status == "affected" else None,
        responses=responses,
        notes=detail if status in ("fixed", "under_investigation") else None,
        description=optional_text(item, "description"),
        scores=tuple(_rating(rating) for rating in item.array("ratings")),
        timestamp=first_issued
        or item.optional_timestamp("published")
        or item.optional_timestamp("created")
        or moment,
        last_updated=analysis.optional_timestamp("lastUpdated")
        or item.optional_timestamp("updated"),
    )


def _rating(node: Node) -> VexScore:
    source = node.optional("source")
    score = node.optional("score")
    return VexScore(
        method=choice(node.field("method"), _RATING_METHODS) if node.has("method") else "other",
        score=None if score is None else score.number(),
        vector=optional_text(node, "vector"),
        severity=choice(node.field("severity"), _SEVERITIES) if node.has("severity") else None,
        source=None if source is None else optional_text(source, "name"),
    )


def _author(metadata: Node | None) -> str | None:
    if metadata is None:
        return None
    for key in ("supplier", "manufacturer", "manufacture"):
        entity = metadata.optional(key)
        if entity is not None and entity.has("name"):
            return entity.required_text("name")
    for author in metadata.array("authors"):
        if author.has("name"):
            return author.required_text("name")
    return None
