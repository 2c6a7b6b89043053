"""The CSAF 2.0 mandatory tests (§6.1) a reader can run on the document alone.

Run: 6.1.1 to 6.1.7 (product and group ids, circular relationships,
contradicting statuses, one score per CVSS version and product), 6.1.8/6.1.9
(CVSS vectors parse, base scores match the vector), 6.1.26 (reserved category
names), 6.1.27.1 to 6.1.27.11 (profile requirements), 6.1.29/6.1.32 (remediations
and flags name products), 6.1.33 (one VEX justification per product). Not run:
tests on revision history, versions, translations and languages, which need
no product data and do not change what a document says is affected.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeAlias

from cvss import CVSS2, CVSS3
from cvss.exceptions import CVSSError

from medvigil.core.csaf.model import CsafDocument, CsafFlag, CsafRemediation, CsafThreat
from medvigil.core.csaf.vocabulary import PRODUCT_STATUS_NAMES
from medvigil.core.documents import DocumentFormatError, Node

_Fail: TypeAlias = Callable[[str, str], DocumentFormatError]
_PROFILE_NAMES = {"securityincidentresponse", "informationaladvisory", "securityadvisory", "vex"}
_KNOWN_CATEGORIES = {
    "csaf_base",
    "csaf_security_incident_response",
    "csaf_informational_advisory",
    "csaf_security_advisory",
    "csaf_vex",
}
_STATUS_GROUPS = (
    ("affected", {"first_affected", "known_affected", "last_affected"}),
    ("not affected", {"known_not_affected"}),
    ("fixed", {"first_fixed", "fixed"}),
    ("under investigation", {"under_investigation"}),
)


def check_document(document: CsafDocument, root: Node) -> None:
    """Raise DocumentFormatError at the first mandatory test the document fails."""
    source = root.source

    def fail(path: str, message: str) -> DocumentFormatError:
        return DocumentFormatError(message, source=source, path=path)

    _check_category(document, fail)
    defined: set[str] = set()
    for product in document.products:
        if product.product_id in defined:
            raise fail("$.product_tree", f"6.1.2: product id {product.product_id} defined twice")
        defined.add(product.product_id)
    groups: set[str] = set()
    for index, group in enumerate(document.product_groups):
        path = f"$.product_tree.product_groups[{index}]"
        if group.group_id in groups:
            raise fail(path, f"6.1.5: product group id {group.group_id} defined twice")
        groups.add(group.group_id)
        _check_defined(group.product_ids, defined, path, fail)
    _check_relationships(document, defined, fail)
    for index, vulnerability in enumerate(document.vulnerabilities):
        path = f"$.vulnerabilities[{index}]"
        status = vulnerability.product_status
        for name in PRODUCT_STATUS_NAMES:
            _check_defined(getattr(status, name), defined, f"{path}.product_status.{name}", fail)
        _check_contradictions(status, f"{path}.product_status", fail)
        _check_scores(document, index, defined, fail)
        statements: tuple[tuple[str, Sequence[CsafRemediation | CsafFlag | CsafThreat]], ...] = (
            ("remediations", vulnerability.remediations),
            ("flags", vulnerability.flags),
            ("threats", vulnerability.threats),
        )
        for kind, items in statements:
            for position, item in enumerate(items):
                where = f"{path}.{kind}[{position}]"
                _check_defined(item.product_ids, defined, where, fail)
                _check_defined(item.group_ids, groups, where, fail, "6.1.4: product group id")
                if kind != "threats" and not item.product_ids and not item.group_ids:
                    raise fail(where, f"6.1.29/6.1.32: {kind} must name products or groups")
        justified: set[str] = set()
        for position, flag in enumerate(vulnerability.flags):
            for product_id in flag.product_ids + document.group_products(flag.group_ids):
                if product_id in justified:
                    raise fail(
                        f"{path}.flags[{position}]",
                        f"6.1.33: product {product_id} has several VEX justifications",
                    )
                justified.add(product_id)
    _check_profile(document, fail)


def _check_category(document: CsafDocument, fail: _Fail) -> None:
    category = document.category
    folded = "".join(character for character in category.lower() if character not in "-_ ")
    if category.lower().startswith("csaf_") and category not in _KNOWN_CATEGORIES:
        raise fail("$.document.category", f"6.1.26: {category!r} is reserved")
    if category not in _KNOWN_CATEGORIES and folded.removeprefix("csaf") in _PROFILE_NAMES:
        raise fail("$.document.category", f"6.1.26: {category!r} is too close to a profile name")


def _check_defined(
    identifiers: Iterable[str],
    defined: set[str],
    path: str,
    fail: _Fail,
    what: str = "6.1.1: product id",
) -> None:
    for identifier in identifiers:
        if identifier not in defined:
            raise fail(path, f"{what} {identifier} is not defined")


def _check_relationships(document: CsafDocument, defined: set[str], fail: _Fail) -> None:
    targets: dict[str, tuple[str, str]] = {}
    for index, product in enumerate(item for item in document.products if item.relationship):
        relationship = product.relationship
        assert relationship is not None
        references = (relationship.product_reference, relationship.relates_to_product_reference)
        _check_defined(references, defined, f"$.product_tree.relationships[{index}]", fail)
        targets[product.product_id] = references
    for start in targets:
        # Follow references down: reaching the start again is a cycle (6.1.3).
        pending = list(targets[start])
        seen: set[str] = set()
        while pending:
            current = pending.pop()
            if current == start:
                raise fail("$.product_tree.relationships", f"6.1.3: {start} is defined by itself")
            if current not in seen:
                seen.add(current)
                pending.extend(targets.get(current, ()))


def _check_contradictions(status: object, path: str, fail: _Fail) -> None:
    owner: dict[str, str] = {}
    for group, names in _STATUS_GROUPS:
        for name in names:
            for product_id in getattr(status, name):
                previous = owner.setdefault(product_id, group)
                if previous != group:
                    raise fail(path, f"6.1.6: product {product_id} is {previous} and {group}")


def _check_scores(document: CsafDocument, index: int, defined: set[str], fail: _Fail) -> None:
    seen: set[tuple[str, str]] = set()
    for position, score in enumerate(document.vulnerabilities[index].scores):
        path = f"$.vulnerabilities[{index}].scores[{position}]"
        _check_defined(score.products, defined, path, fail)
        versions = []
        if score.cvss_v3_vector is not None:
            versions.append(score.cvss_v3_vector[:8])
            _check_cvss(CVSS3, score.cvss_v3_vector, score.cvss_v3_base_score, path, fail)
        if score.cvss_v2_vector is not None:
            versions.append("2.0")
            _check_cvss(CVSS2, score.cvss_v2_vector, score.cvss_v2_base_score, path, fail)
        for product_id in score.products:
            for version in versions:
                if (product_id, version) in seen:
                    raise fail(path, f"6.1.7: product {product_id} has two {version} scores")
                seen.add((product_id, version))


def _check_cvss(
    kind: type[CVSS2] | type[CVSS3],
    vector: str,
    base_score: float | None,
    path: str,
    fail: _Fail,
) -> None:
    try:
        computed = float(kind(vector).base_score)
    except CVSSError as error:
        raise fail(path, f"6.1.8: invalid CVSS vector {vector!r}: {error}") from None
    if base_score is not None and abs(computed - base_score) > 0.05:
        raise fail(path, f"6.1.9: base score {base_score} but the vector gives {computed}")


def _check_profile(document: CsafDocument, fail: _Fail) -> None:
    profile = document.profile
    if profile in {"informational_advisory", "security_incident_response"}:
        if not any(
            note.category in {"description", "details", "general", "summary"}
            for note in document.notes
        ):
            raise fail("$.document.notes", "6.1.27.1: a description or summary note is required")
        if not any(reference.category == "external" for reference in document.references):
            raise fail("$.document.references", "6.1.27.2: an external reference is required")
    if profile == "informational_advisory" and document.vulnerabilities:
        raise fail("$.vulnerabilities", "6.1.27.3: an informational advisory has none")
    if profile not in {"security_advisory", "vex"}:
        return
    if not document.products:
        raise fail("$.product_tree", f"6.1.27.4: a {profile} needs a product tree")
    if not document.vulnerabilities:
        raise fail("$.vulnerabilities", f"6.1.27.11: a {profile} needs vulnerabilities")
    for index, vulnerability in enumerate(document.vulnerabilities):
        path = f"$.vulnerabilities[{index}]"
        status = vulnerability.product_status
        if not vulnerability.notes:
            raise fail(f"{path}.notes", "6.1.27.5: vulnerability notes are required")
        if profile == "security_advisory" and not any(
            getattr(status, name) for name in PRODUCT_STATUS_NAMES
        ):
            raise fail(f"{path}.product_status", "6.1.27.6: a product status is required")
        if profile != "vex":
            continue
        if not (
            status.fixed
            or status.known_affected
            or status.known_not_affected
            or status.under_investigation
        ):
            raise fail(f"{path}.product_status", "6.1.27.7: a VEX product status is required")
        if vulnerability.cve is None and not vulnerability.ids:
            raise fail(path, "6.1.27.8: a VEX vulnerability needs a cve or ids")
        impact: list[CsafFlag | CsafThreat] = [*vulnerability.flags]
        impact.extend(threat for threat in vulnerability.threats if threat.category == "impact")
        explained = {
            product_id
            for item in impact
            for product_id in item.product_ids + document.group_products(item.group_ids)
        }
        for product_id in status.known_not_affected:
            if product_id not in explained:
                raise fail(path, f"6.1.27.9: {product_id} needs an impact statement")
        acted = {
            product_id
            for remediation in vulnerability.remediations
            for product_id in remediation.product_ids
            + document.group_products(remediation.group_ids)
        }
        for product_id in status.known_affected:
            if product_id not in acted:
                raise fail(path, f"6.1.27.10: {product_id} needs an action statement")
