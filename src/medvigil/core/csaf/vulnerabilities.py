"""One vulnerability of a CSAF 2.0 document: statuses, flags, threats, remediations, scores."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from cvss import CVSS3
from cvss.exceptions import CVSSError

from medvigil.core.csaf.fields import acknowledgments, notes, references, text, timestamp, url
from medvigil.core.csaf.model import CsafBuildError, ProductVersion, Remediation, Vulnerability
from medvigil.core.csaf.products import cwe_name
from medvigil.core.csaf.vocabulary import (
    FLAG_LABELS,
    REMEDIATION_CATEGORIES,
    THREAT_CATEGORIES,
    DocumentCategory,
)

_CVE = re.compile(r"^CVE-[0-9]{4}-[0-9]{4,}$")
_STATUS_NAMES = (
    "first_affected",
    "first_fixed",
    "fixed",
    "known_affected",
    "known_not_affected",
    "last_affected",
    "recommended",
    "under_investigation",
)
# CSAF 2.0 test 6.1.6: a product may be in only one of these groups per vulnerability.
_CONTRADICTING_GROUPS = {
    "first_affected": "affected",
    "known_affected": "affected",
    "last_affected": "affected",
    "known_not_affected": "not affected",
    "first_fixed": "fixed",
    "fixed": "fixed",
    "under_investigation": "under investigation",
}
_VEX_STATUSES = ("fixed", "known_affected", "known_not_affected", "under_investigation")


def referenced_products(vulnerability: Vulnerability) -> list[ProductVersion]:
    """Every product the vulnerability names, for the product tree."""
    found: list[ProductVersion] = []
    for name in _STATUS_NAMES:
        found.extend(getattr(vulnerability.product_status, name))
    for flag in vulnerability.flags:
        found.extend(flag.products)
    for threat in vulnerability.threats:
        found.extend(threat.products)
    for remediation in vulnerability.remediations:
        found.extend(remediation.products)
    for score in vulnerability.scores:
        found.extend(score.products)
    return found


def build_vulnerability(
    vulnerability: Vulnerability, category: DocumentCategory, index: int
) -> dict[str, Any]:
    where = f"vulnerability {index + 1}"
    built: dict[str, Any] = {}
    if vulnerability.cve is not None:
        if not _CVE.match(vulnerability.cve):
            raise CsafBuildError(f"{where}: {vulnerability.cve!r} is not a CVE id")
        built["cve"] = vulnerability.cve
    if vulnerability.ids:
        built["ids"] = [
            {"system_name": text(system, f"{where} id system"), "text": text(value, f"{where} id")}
            for system, value in vulnerability.ids
        ]
    if vulnerability.cwe is not None:
        built["cwe"] = {"id": vulnerability.cwe, "name": cwe_name(vulnerability.cwe)}
    if vulnerability.title is not None:
        built["title"] = text(vulnerability.title, f"{where} title")
    if not vulnerability.notes:
        raise CsafBuildError(f"{where} needs at least one note describing it")
    built["notes"] = notes(vulnerability.notes, f"{where} notes")
    statuses = _product_status(vulnerability, where)
    built["product_status"] = statuses
    if category == "csaf_vex":
        _check_vex(vulnerability, statuses, where)
    if vulnerability.flags:
        built["flags"] = _flags(vulnerability, where)
    if vulnerability.threats:
        built["threats"] = [
            _with_products(
                {
                    "category": _choice(threat.category, THREAT_CATEGORIES, f"{where} threat"),
                    "details": text(threat.details, f"{where} threat"),
                },
                threat.products,
                threat.date,
            )
            for threat in vulnerability.threats
        ]
    if vulnerability.remediations:
        built["remediations"] = [_remediation(item, where) for item in vulnerability.remediations]
    if vulnerability.scores:
        built["scores"] = _scores(vulnerability, where)
    if vulnerability.references:
        built["references"] = references(vulnerability.references, f"{where} references")
    if vulnerability.acknowledgments:
        built["acknowledgments"] = acknowledgments(
            vulnerability.acknowledgments, f"{where} acknowledgments"
        )
    if vulnerability.discovery_date is not None:
        built["discovery_date"] = timestamp(vulnerability.discovery_date)
    if vulnerability.release_date is not None:
        built["release_date"] = timestamp(vulnerability.release_date)
    return built


def _ids(products: tuple[ProductVersion, ...]) -> list[str]:
    return list(dict.fromkeys(product.product_id for product in products))


def _choice(value: str, allowed: tuple[str, ...], field: str) -> str:
    if value not in allowed:
        raise CsafBuildError(f"{field}: {value!r} is not one of {', '.join(allowed)}")
    return value


def _with_products(
    entry: dict[str, Any], products: tuple[ProductVersion, ...], date: datetime | None
) -> dict[str, Any]:
    if products:
        entry["product_ids"] = _ids(products)
    if date is not None:
        entry["date"] = timestamp(date)
    return entry


def _product_status(vulnerability: Vulnerability, where: str) -> dict[str, list[str]]:
    statuses: dict[str, list[str]] = {}
    group_of: dict[str, tuple[str, str]] = {}
    for name in _STATUS_NAMES:
        products: tuple[ProductVersion, ...] = getattr(vulnerability.product_status, name)
        if not products:
            continue
        statuses[name] = _ids(products)
        group = _CONTRADICTING_GROUPS.get(name)
        if group is None:
            continue
        for product in products:
            earlier = group_of.setdefault(product.product_id, (group, name))
            if earlier[0] != group:
                raise CsafBuildError(
                    f"{where}: {product.full_name} cannot be both {earlier[1]} and {name}"
                )
    if not statuses:
        raise CsafBuildError(f"{where} needs the status of at least one product")
    return statuses


def _check_vex(vulnerability: Vulnerability, statuses: dict[str, list[str]], where: str) -> None:
    if not any(name in statuses for name in _VEX_STATUSES):
        raise CsafBuildError(
            f"{where}: a VEX statement needs products fixed, known affected, "
            "known not affected or under investigation"
        )
    if vulnerability.cve is None and not vulnerability.ids:
        raise CsafBuildError(f"{where}: a VEX statement needs a CVE or another id")
    explained = {
        product.product_id for flag in vulnerability.flags for product in flag.products
    } | {
        product.product_id
        for threat in vulnerability.threats
        if threat.category == "impact"
        for product in threat.products
    }
    for product_id in statuses.get("known_not_affected", []):
        if product_id not in explained:
            raise CsafBuildError(
                f"{where}: product {product_id} is not affected but has no justification "
                "flag or impact statement"
            )
    acted = {
        product.product_id
        for remediation in vulnerability.remediations
        for product in remediation.products
    }
    for product_id in statuses.get("known_affected", []):
        if product_id not in acted:
            raise CsafBuildError(
                f"{where}: product {product_id} is affected but has no remediation"
            )


def _flags(vulnerability: Vulnerability, where: str) -> list[dict[str, Any]]:
    flagged: set[str] = set()
    built = []
    for flag in vulnerability.flags:
        _choice(flag.label, FLAG_LABELS, f"{where} flag")
        if not flag.products:
            raise CsafBuildError(f"{where}: a flag must name its products")
        for product_id in _ids(flag.products):
            if product_id in flagged:
                raise CsafBuildError(
                    f"{where}: product {product_id} has more than one justification flag"
                )
            flagged.add(product_id)
        built.append(_with_products({"label": flag.label}, flag.products, flag.date))
    return built


def _remediation(remediation: Remediation, where: str) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "category": _choice(remediation.category, REMEDIATION_CATEGORIES, f"{where} remediation"),
        "details": text(remediation.details, f"{where} remediation"),
    }
    if not remediation.products:
        raise CsafBuildError(f"{where}: a remediation must name its products")
    if remediation.url is not None:
        entry["url"] = url(remediation.url, f"{where} remediation")
    return _with_products(entry, remediation.products, remediation.date)


def _scores(vulnerability: Vulnerability, where: str) -> list[dict[str, Any]]:
    scored: set[tuple[str, str]] = set()
    built = []
    for score in vulnerability.scores:
        if not score.products:
            raise CsafBuildError(f"{where}: a score must name its products")
        cvss_v3 = cvss_v3_object(score.vector, where)
        for product_id in _ids(score.products):
            key = (product_id, cvss_v3["version"])
            if key in scored:
                raise CsafBuildError(f"{where}: product {product_id} has two CVSS v{key[1]} scores")
            scored.add(key)
        built.append({"cvss_v3": cvss_v3, "products": _ids(score.products)})
    return built


def cvss_v3_object(vector: str, where: str = "score") -> dict[str, Any]:
    """The FIRST CVSS v3 JSON object of a vector, scores and severities computed from it."""
    if not vector.startswith(("CVSS:3.0/", "CVSS:3.1/")):
        raise CsafBuildError(f"{where}: {vector!r} is not a CVSS v3.0 or v3.1 vector")
    try:
        calculated = CVSS3(vector)
    except CVSSError as error:
        raise CsafBuildError(f"{where}: {vector!r} is not a valid CVSS vector: {error}") from None
    json_object: dict[str, Any] = dict(calculated.as_json(sort=True, minimal=True))
    # The published vector keeps the given metrics, in the specification's order.
    json_object["vectorString"] = calculated.clean_vector()
    return json_object
