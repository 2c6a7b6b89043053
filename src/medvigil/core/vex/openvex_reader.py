"""Read an OpenVEX document (0.2.0, and the 0.0.x documents still published).

Strict where the specification says MUST: a known status and justification,
a justification or impact statement for ``not_affected``, an action
statement for ``affected``, at least one product per statement. Tolerant of
what older documents do: a vulnerability or a product given as a bare string,
statements that take their timestamp from the document.
"""

from __future__ import annotations

from medvigil.core.documents import Node
from medvigil.core.vex.fields import (
    canonical_purl,
    choice,
    document_version,
    optional_text,
    reading_errors,
)
from medvigil.core.vex.model import (
    JUSTIFICATIONS,
    STATUSES,
    VexDocument,
    VexProduct,
    VexStatement,
    VexStatus,
)

CONTEXT_PREFIX = "https://openvex.dev/ns"
STATUS_NAMES: dict[str, VexStatus] = {status: status for status in STATUSES}


def read_openvex(document: object, *, source: str) -> VexDocument:
    """The statements of a decoded OpenVEX JSON document."""
    with reading_errors(source):
        return _read(Node(document, source), source)


def _read(root: Node, source: str) -> VexDocument:
    context = root.field("@context")
    if not context.text().startswith(CONTEXT_PREFIX):
        raise context.error(f"expected an OpenVEX context ({CONTEXT_PREFIX}…)")
    moment = root.field("timestamp").timestamp()
    statements = list(root.field("statements").items())
    if not statements:
        raise root.field("statements").error("holds no statement")
    version = root.optional("version")
    return VexDocument(
        format="openvex",
        source=source,
        statements=tuple(_statement(item, root) for item in statements),
        identifier=root.required_text("@id"),
        author=root.required_text("author"),
        timestamp=moment,
        version=document_version(version),
    )


def _statement(node: Node, root: Node) -> VexStatement:
    vulnerability = node.field("vulnerability")
    if isinstance(vulnerability.value, str):
        name = vulnerability.text().strip()
        aliases: tuple[str, ...] = ()
        description = None
    else:
        name = vulnerability.required_text("name").strip()
        aliases = tuple(alias.strip() for alias in vulnerability.text_array("aliases"))
        description = optional_text(vulnerability, "description")
    if not name:
        raise vulnerability.error("a vulnerability needs a name")
    status = STATUS_NAMES[choice(node.field("status"), STATUSES)]
    justification = None
    if node.has("justification"):
        justification = choice(node.field("justification"), JUSTIFICATIONS)
    impact = optional_text(node, "impact_statement")
    action = optional_text(node, "action_statement")
    if status == "not_affected" and justification is None and impact is None:
        raise node.error("a not_affected statement needs a justification or an impact_statement")
    if status == "affected" and action is None:
        raise node.error("an affected statement needs an action_statement")
    products: list[VexProduct] = []
    subcomponents: list[VexProduct] = []
    for product in node.array("products"):
        products.append(_component(product))
        subcomponents.extend(_component(item) for item in _subcomponents(product))
    if not products:
        raise node.error("a statement needs at least one product")
    timestamp = node.optional_timestamp("timestamp") or root.field("timestamp").timestamp()
    return VexStatement(
        vulnerability=name,
        status=status,
        products=tuple(dict.fromkeys(products)),
        aliases=tuple(dict.fromkeys(alias for alias in aliases if alias and alias != name)),
        subcomponents=tuple(dict.fromkeys(subcomponents)),
        justification=justification,
        native_justification=justification,
        impact_statement=impact,
        action_statement=action,
        notes=optional_text(node, "status_notes"),
        description=description,
        timestamp=timestamp,
        last_updated=node.optional_timestamp("last_updated"),
    )


def _subcomponents(product: Node) -> list[Node]:
    if isinstance(product.value, str):
        return []
    return list(product.array("subcomponents"))


def _component(node: Node) -> VexProduct:
    if isinstance(node.value, str):
        return _from_iri(node)
    identifier = node.optional("@id")
    identifiers = node.optional("identifiers")
    if identifier is None and identifiers is None:
        raise node.error("a product needs an @id or identifiers")
    product = VexProduct() if identifier is None else _from_iri(identifier)
    if identifiers is None:
        return product
    purl = identifiers.optional("purl")
    cpe = optional_text(identifiers, "cpe23") or optional_text(identifiers, "cpe22")
    if purl is None and cpe is None:
        raise identifiers.error("identifiers need a purl, cpe22 or cpe23")
    return VexProduct(
        purl=canonical_purl(purl) if purl is not None else product.purl,
        cpe=cpe,
        reference=product.reference,
    )


def _from_iri(node: Node) -> VexProduct:
    text = node.text().strip()
    if not text:
        raise node.error("an @id must not be empty")
    if text.startswith("pkg:"):
        return VexProduct(purl=canonical_purl(node), reference=text)
    if text.startswith(("cpe:2.3:", "cpe:/")):
        return VexProduct(cpe=text, reference=text)
    return VexProduct(reference=text)
