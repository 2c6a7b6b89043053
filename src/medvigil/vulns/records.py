"""Advisories as stored values: the engine's reading as JSON and back, lookup keys, severity.

`advisory_to_json` / `advisory_from_json` round-trip a core `Advisory`
exactly (the matcher is given what the reader produced, never a re-parse).
`advisory_keys` and `component_keys` give the (kind, namespace, name) triples
that `AffectedEntry` and `ComponentMatchKey` store, computed with the
matcher's own normalisation so a lookup finds what `AdvisoryIndex` would.
"""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import datetime
from typing import Any

from cvss import CVSS2, CVSS3, CVSS4

from medvigil.core.advisories import (
    Advisory,
    AffectedPackage,
    AffectedRange,
    CpeConfiguration,
    CpeMatch,
    RangeEvent,
    Reference,
    Severity,
    VersionChange,
    VersionStatus,
)
from medvigil.core.matching import (
    InvalidCpe,
    InvalidPurl,
    identity_from_purl,
    normalise_name,
    parse_cpe,
    parse_ecosystem,
    product_configurations,
)

Key = tuple[str, str, str]
PACKAGE, CPE, PRODUCT, NONE = "package", "cpe", "product", "none"
NO_KEY: Key = (NONE, "", "")
UNSPECIFIED = ("", "*", "-")


def _text(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def advisory_to_json(advisory: Advisory) -> dict[str, Any]:
    data = asdict(advisory)
    for name in ("modified", "published", "withdrawn"):
        data[name] = _text(getattr(advisory, name))
    for package in data["affected"]:
        # Written only when given: the stored form (and its content hash) of every
        # advisory without model numbers stays as it was, so nothing reads as changed.
        if not package["model_numbers"]:
            del package["model_numbers"]
    return data


def _package(data: dict[str, Any]) -> AffectedPackage:
    return AffectedPackage(
        ecosystem=data["ecosystem"],
        name=data["name"],
        purl=data.get("purl"),
        ranges=tuple(
            AffectedRange(
                item["type"],
                tuple(RangeEvent(event["kind"], event["version"]) for event in item["events"]),
                item.get("repository"),
            )
            for item in data.get("ranges", ())
        ),
        versions=tuple(data.get("versions", ())),
        vendor=data.get("vendor"),
        cpes=tuple(data.get("cpes", ())),
        default_status=data.get("default_status"),
        version_statuses=tuple(
            VersionStatus(
                item["version"],
                item["status"],
                item.get("version_type"),
                item.get("less_than"),
                item.get("less_than_or_equal"),
                tuple(VersionChange(change["at"], change["status"]) for change in item["changes"]),
            )
            for item in data.get("version_statuses", ())
        ),
        version_ranges=tuple(data.get("version_ranges", ())),
        model_numbers=tuple(data.get("model_numbers", ())),
    )


def _configuration(data: dict[str, Any]) -> CpeConfiguration:
    nodes = tuple(
        (operator, negate, tuple(CpeMatch(**match) for match in matches))
        for operator, negate, matches in data["nodes"]
    )
    return CpeConfiguration(nodes, data.get("operator", "OR"), data.get("negate", False))


def advisory_from_json(data: dict[str, Any]) -> Advisory:
    modified = _time(data["modified"])
    assert modified is not None
    return Advisory(
        id=data["id"],
        source=data["source"],
        modified=modified,
        published=_time(data.get("published")),
        withdrawn=_time(data.get("withdrawn")),
        aliases=tuple(data.get("aliases", ())),
        summary=data.get("summary", ""),
        details=data.get("details", ""),
        severities=tuple(Severity(**item) for item in data.get("severities", ())),
        cwe_ids=tuple(data.get("cwe_ids", ())),
        references=tuple(Reference(**item) for item in data.get("references", ())),
        affected=tuple(_package(item) for item in data.get("affected", ())),
        cpe_configurations=tuple(
            _configuration(item) for item in data.get("cpe_configurations", ())
        ),
        extras=tuple(tuple(pair) for pair in data.get("extras", ())),
    )


def cpe_key(criteria: str) -> Key | None:
    try:
        name = parse_cpe(criteria)
    except InvalidCpe:
        return None
    vendor, product = name.unescaped_vendor, name.unescaped_product
    if vendor in UNSPECIFIED or product in UNSPECIFIED:
        return None
    return (CPE, vendor, product)


def advisory_keys(advisory: Advisory) -> set[Key]:
    """The lookup keys of every affected package and vulnerable CPE criterion."""
    keys: set[Key] = set()
    for package in advisory.affected:
        if package.ecosystem:
            base = parse_ecosystem(package.ecosystem).base
            keys.add((PACKAGE, base, normalise_name(base, package.name)[:500]))
        keys.update(product_keys(package))
    for configuration in (*advisory.cpe_configurations, *product_configurations(advisory)):
        for _operator, _negate, matches in configuration.nodes:
            for match in matches:
                key = cpe_key(match.criteria) if match.vulnerable else None
                if key is not None:
                    keys.add(key)
    return keys


def fold(text: str) -> str:
    """Lower case, whitespace collapsed: how product names and suppliers are compared."""
    return " ".join(text.lower().split())


def model_tokens(name: str) -> set[str]:
    """Words of a product name that look like model numbers (they hold a digit)."""
    words = re.split(r"[\s/(),;]+", fold(name))
    return {word for word in words if len(word) >= 3 and any(ch.isdigit() for ch in word)}


def product_keys(package: AffectedPackage) -> set[Key]:
    """A product named by vendor and name (CSAF, CVE 5): what a `ProductMapping` looks up.

    Only products without a package ecosystem; the match itself is a person's mapping.
    """
    if package.ecosystem:
        return set()
    vendor, name = fold(package.vendor or "")[:200], fold(package.name)
    keys: set[Key] = {(PRODUCT, vendor, name[:500])}
    keys.update((PRODUCT, vendor, f"model:{token}"[:500]) for token in model_tokens(name))
    # The CSAF product tree's own model numbers, where it gives them beside the name.
    keys.update(
        (PRODUCT, vendor, f"model:{fold(number)}"[:500])
        for number in package.model_numbers
        if fold(number)
    )
    keys.update((PRODUCT, CPE, fold(cpe)[:500]) for cpe in package.cpes)
    if package.purl:
        keys.add((PRODUCT, "purl", package.purl.split("@", 1)[0].lower()[:500]))
    return keys


def component_keys(purl: str, cpe: str) -> set[Key]:
    """The keys a component is looked up by (NO_KEY alone when it has no identity)."""
    keys: set[Key] = set()
    if purl:
        try:
            identity = identity_from_purl(purl)
        except InvalidPurl:
            identity = None
        if identity is not None:
            keys.add((PACKAGE, identity.key[0], identity.key[1][:500]))
    if cpe:
        key = cpe_key(cpe)
        if key is not None:
            keys.add(key)
    return keys or {NO_KEY}


RATINGS = ("none", "low", "medium", "high", "critical")


def rating_of(score: float) -> str:
    if score == 0:
        return "none"
    if score < 4:
        return "low"
    if score < 7:
        return "medium"
    if score < 9:
        return "high"
    return "critical"


def base_score(severity: dict[str, Any]) -> float | None:
    """The CVSS base score of a stored severity, or None (qualitative, unreadable)."""
    vector = str(severity.get("score", ""))
    try:
        if vector.startswith("CVSS:4.0/"):
            return float(CVSS4(vector).base_score)
        if vector.startswith("CVSS:3."):
            return float(CVSS3(vector).scores()[0])
        if severity.get("type") == "CVSS_V2":
            return float(CVSS2(vector).scores()[0])
    except Exception:  # the cvss library raises many kinds; unreadable means "unknown"
        return None
    return None


def worst_severity(severities: list[dict[str, Any]]) -> tuple[str, float | None]:
    """The highest CVSS base score of the records, with its rating (else qualitative/unknown)."""
    scores = [score for score in map(base_score, severities) if score is not None]
    if scores:
        top = max(scores)
        return rating_of(top), top
    qualitative = [
        str(item.get("score", "")).lower()
        for item in severities
        if item.get("type") in ("qualitative", "Ubuntu")
    ]
    known = [value for value in qualitative if value in RATINGS]
    if known:
        return max(known, key=RATINGS.index), None
    return "unknown", None
