"""Read CSAF 2.0 documents (security advisory, VEX, informational, any Base profile).

Structure is checked as the CSAF JSON schema states it (required members,
types, closed vocabularies), then `mandatory_tests` runs the mandatory tests that
need no outside data: product ids defined once and used only when defined,
no circular relationships, no contradicting statuses, profile requirements,
valid CVSS. Unknown members are ignored, as the standard allows.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import cast

from medvigil.core.csaf.mandatory_tests import check_document
from medvigil.core.csaf.model import (
    CsafDocument,
    CsafFlag,
    CsafProduct,
    CsafProductGroup,
    CsafProductStatus,
    CsafRelationship,
    CsafRemediation,
    CsafScore,
    CsafThreat,
    CsafVulnerability,
    Note,
    Reference,
)
from medvigil.core.csaf.vocabulary import (
    BRANCH_CATEGORIES,
    FLAG_LABELS,
    NOTE_CATEGORIES,
    PRODUCT_STATUS_NAMES,
    PUBLISHER_CATEGORIES,
    REFERENCE_CATEGORIES,
    RELATIONSHIP_CATEGORIES,
    REMEDIATION_CATEGORIES,
    THREAT_CATEGORIES,
    TRACKING_STATUSES,
    NoteCategory,
)
from medvigil.core.documents import CVE_ID, CWE_ID, Node, decode_json, versionless_purl

# Deeper trees are not products but attacks on the reader's stack.
_MAXIMUM_BRANCH_DEPTH = 30


def read_csaf(document: object, *, source: str) -> CsafDocument:
    """A checked `CsafDocument` from a decoded CSAF 2.0 JSON document."""
    root = Node(document, source)
    head = root.field("document")
    version = head.field("csaf_version")
    if version.text() != "2.0":
        raise version.error(f"expected CSAF version 2.0, found {version.value!r}")
    publisher = head.field("publisher")
    tracking = head.field("tracking")
    revisions = list(tracking.field("revision_history").items())
    if not revisions:
        raise tracking.field("revision_history").error("needs at least one revision")
    for revision in revisions:
        revision.field("date").timestamp()
        revision.required_text("number")
        revision.required_text("summary")
    tree = root.optional("product_tree")
    products, groups = _product_tree(tree) if tree is not None else ((), ())
    distribution = head.optional("distribution")
    tlp = None if distribution is None else distribution.optional("tlp")
    vulnerabilities = root.optional("vulnerabilities")
    parsed = CsafDocument(
        category=_category(head.field("category")),
        title=head.required_text("title"),
        publisher_name=publisher.required_text("name"),
        publisher_namespace=publisher.required_text("namespace"),
        publisher_category=_choice(publisher.field("category"), PUBLISHER_CATEGORIES),
        tracking_id=tracking.required_text("id"),
        tracking_status=_choice(tracking.field("status"), TRACKING_STATUSES),
        tracking_version=tracking.required_text("version"),
        initial_release_date=tracking.field("initial_release_date").timestamp(),
        current_release_date=tracking.field("current_release_date").timestamp(),
        tlp_label=None if tlp is None else tlp.required_text("label"),
        language=head.optional_text("lang"),
        aliases=tracking.text_array("aliases"),
        notes=_notes(head),
        references=_references(head),
        products=products,
        product_groups=groups,
        vulnerabilities=()
        if vulnerabilities is None
        else tuple(_vulnerability(item) for item in vulnerabilities.items()),
    )
    check_document(parsed, root)
    return parsed


def read_csaf_json(data: bytes | str, *, source: str) -> CsafDocument:
    """A checked `CsafDocument` from the bytes of a CSAF JSON file."""
    return read_csaf(decode_json(data, source), source=source)


def _category(node: Node) -> str:
    text = node.text()
    if not text or text != text.strip() or text[0] in "-_." or text[-1] in "-_.":
        raise node.error(f"not a valid document category: {text!r}")
    return text


def _choice(node: Node, allowed: Collection[str]) -> str:
    text = node.text()
    if text not in allowed:
        raise node.error(f"must be one of {', '.join(sorted(allowed))}, found {text!r}")
    return text


def _notes(node: Node) -> tuple[Note, ...]:
    return tuple(
        Note(
            category=cast(NoteCategory, _choice(item.field("category"), NOTE_CATEGORIES)),
            text=item.required_text("text"),
            title=item.optional_text("title"),
        )
        for item in node.array("notes")
    )


def _references(node: Node) -> tuple[Reference, ...]:
    return tuple(
        Reference(
            url=item.required_text("url"),
            summary=item.required_text("summary"),
            self_reference=item.has("category")
            and _choice(item.field("category"), REFERENCE_CATEGORIES) == "self",
        )
        for item in node.array("references")
    )


def _product_tree(tree: Node) -> tuple[tuple[CsafProduct, ...], tuple[CsafProductGroup, ...]]:
    products = [*_branches(tree, (), 0)]
    products.extend(_product(item, ()) for item in tree.array("full_product_names"))
    components = {product.product_id: product for product in products}
    for item in tree.array("relationships"):
        relationship = CsafRelationship(
            category=_choice(item.field("category"), RELATIONSHIP_CATEGORIES),
            product_reference=item.required_text("product_reference"),
            relates_to_product_reference=item.required_text("relates_to_product_reference"),
        )
        product = _product(item.field("full_product_name"), (), relationship)
        component = components.get(relationship.product_reference)
        if component is not None and product.purl is None and product.cpe is None:
            # "L as a component of D" is identified by what identifies L.
            product = _with_identity(product, component)
        products.append(product)
    groups = tuple(
        CsafProductGroup(
            group_id=item.required_text("group_id"),
            product_ids=_identifiers(item.field("product_ids")),
            summary=item.optional_text("summary"),
        )
        for item in tree.array("product_groups")
    )
    return tuple(products), groups


def _branches(node: Node, path: tuple[tuple[str, str], ...], depth: int) -> Iterator[CsafProduct]:
    if depth > _MAXIMUM_BRANCH_DEPTH:
        raise node.error(f"branches nest deeper than {_MAXIMUM_BRANCH_DEPTH} levels")
    for branch in node.array("branches"):
        here = (
            *path,
            (_choice(branch.field("category"), BRANCH_CATEGORIES), branch.required_text("name")),
        )
        if not branch.has("branches") and not branch.has("product"):
            raise branch.error("a branch needs branches or a product")
        product = branch.optional("product")
        if product is not None:
            yield _product(product, here)
        yield from _branches(branch, here, depth + 1)


def _product(
    node: Node,
    branches: tuple[tuple[str, str], ...],
    relationship: CsafRelationship | None = None,
) -> CsafProduct:
    helper = node.optional("product_identification_helper")
    purl = None if helper is None else helper.optional("purl")
    cpe = None if helper is None else helper.optional("cpe")
    if cpe is not None and not cpe.text().startswith(("cpe:2.3:", "cpe:/")):
        raise cpe.error(f"not a CPE name: {cpe.value!r}")
    return CsafProduct(
        product_id=_identifier(node.field("product_id")),
        name=node.required_text("name"),
        branches=branches,
        purl=None if purl is None else versionless_purl(purl),
        cpe=None if cpe is None else cpe.text(),
        model_numbers=() if helper is None else helper.text_array("model_numbers"),
        serial_numbers=() if helper is None else helper.text_array("serial_numbers"),
        skus=() if helper is None else helper.text_array("skus"),
        relationship=relationship,
    )


def _with_identity(product: CsafProduct, component: CsafProduct) -> CsafProduct:
    return CsafProduct(
        product_id=product.product_id,
        name=product.name,
        branches=component.branches,
        purl=component.purl,
        cpe=component.cpe,
        model_numbers=product.model_numbers,
        serial_numbers=product.serial_numbers,
        skus=product.skus,
        relationship=product.relationship,
    )


def _identifier(node: Node) -> str:
    text = node.text()
    if not text:
        raise node.error("an identifier must not be empty")
    return text


def _identifiers(node: Node) -> tuple[str, ...]:
    return tuple(_identifier(item) for item in node.items())


def _vulnerability(node: Node) -> CsafVulnerability:
    cve = node.optional_text("cve")
    if cve is not None and not CVE_ID.match(cve):
        raise node.field("cve").error(f"not a CVE id: {cve!r}")
    cwe = node.optional("cwe")
    cwe_id = None if cwe is None else cwe.required_text("id")
    if cwe is not None and (cwe_id is None or not CWE_ID.match(cwe_id)):
        raise cwe.field("id").error(f"not a CWE id: {cwe_id!r}")
    status = node.optional("product_status")
    return CsafVulnerability(
        cve=cve,
        cwe_id=cwe_id,
        cwe_name=None if cwe is None else cwe.required_text("name"),
        title=node.optional_text("title"),
        ids=tuple(
            (item.required_text("system_name"), item.required_text("text"))
            for item in node.array("ids")
        ),
        notes=_notes(node),
        product_status=CsafProductStatus()
        if status is None
        else CsafProductStatus(
            *(
                _identifiers(status.field(name)) if status.has(name) else ()
                for name in PRODUCT_STATUS_NAMES
            )
        ),
        scores=tuple(_score(item) for item in node.array("scores")),
        remediations=tuple(_remediation(item) for item in node.array("remediations")),
        flags=tuple(
            CsafFlag(
                label=_choice(item.field("label"), FLAG_LABELS),
                product_ids=_optional_identifiers(item, "product_ids"),
                group_ids=_optional_identifiers(item, "group_ids"),
                date=item.optional_timestamp("date"),
            )
            for item in node.array("flags")
        ),
        threats=tuple(
            CsafThreat(
                category=_choice(item.field("category"), THREAT_CATEGORIES),
                details=item.required_text("details"),
                product_ids=_optional_identifiers(item, "product_ids"),
                group_ids=_optional_identifiers(item, "group_ids"),
                date=item.optional_timestamp("date"),
            )
            for item in node.array("threats")
        ),
        references=_references(node),
        discovery_date=node.optional_timestamp("discovery_date"),
        release_date=node.optional_timestamp("release_date"),
    )


def _optional_identifiers(node: Node, key: str) -> tuple[str, ...]:
    member = node.optional(key)
    return () if member is None else _identifiers(member)


def _score(node: Node) -> CsafScore:
    version_3 = node.optional("cvss_v3")
    version_2 = node.optional("cvss_v2")
    if version_3 is None and version_2 is None:
        raise node.error("a score needs cvss_v3 or cvss_v2")
    for cvss in (version_3, version_2):
        if cvss is not None:
            # The FIRST schemas require these three members (test 6.1.8).
            cvss.required_text("version")
            cvss.required_text("vectorString")
            cvss.field("baseScore").number()
    return CsafScore(
        products=_identifiers(node.field("products")),
        cvss_v3_vector=None if version_3 is None else version_3.required_text("vectorString"),
        cvss_v3_base_score=None if version_3 is None else version_3.field("baseScore").number(),
        cvss_v2_vector=None if version_2 is None else version_2.required_text("vectorString"),
        cvss_v2_base_score=None if version_2 is None else version_2.field("baseScore").number(),
    )


def _remediation(node: Node) -> CsafRemediation:
    restart = node.optional("restart_required")
    return CsafRemediation(
        category=_choice(node.field("category"), REMEDIATION_CATEGORIES),
        details=node.required_text("details"),
        product_ids=_optional_identifiers(node, "product_ids"),
        group_ids=_optional_identifiers(node, "group_ids"),
        url=node.optional_text("url"),
        date=node.optional_timestamp("date"),
        restart_required=None if restart is None else restart.required_text("category"),
    )
