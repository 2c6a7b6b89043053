"""CSAF documents (read by `medvigil.core.csaf`) as `Advisory` records, one per vulnerability.

Only products with an affected status (first_affected, known_affected,
last_affected) become `AffectedPackage` values: a purl gives the ecosystem,
otherwise the product keeps its vendor, name and CPE for the matcher. An
informational advisory has no vulnerabilities; every product of its tree is
taken as affected, as the profile says.
"""

from __future__ import annotations

from packageurl import PackageURL

from medvigil.core.advisories.model import (
    Advisory,
    AffectedPackage,
    Reference,
    Severity,
)
from medvigil.core.csaf import CsafDocument, CsafProduct, CsafVulnerability
from medvigil.core.csaf import Note as CsafNote

# purl type → OSV ecosystem (osv.dev's mapping, read backwards).
_ECOSYSTEMS = {
    "pypi": "PyPI",
    "npm": "npm",
    "maven": "Maven",
    "golang": "Go",
    "cargo": "crates.io",
    "nuget": "NuGet",
    "gem": "RubyGems",
    "composer": "Packagist",
    "hex": "Hex",
    "pub": "Pub",
    "cran": "CRAN",
    "hackage": "Hackage",
}
_DISTRIBUTIONS = {
    ("deb", "debian"): "Debian",
    ("deb", "ubuntu"): "Ubuntu",
    ("apk", "alpine"): "Alpine",
    ("rpm", "redhat"): "Red Hat",
}
_DESCRIPTIVE_NOTES = ("description", "summary", "details", "general")


def csaf_advisories(document: CsafDocument, *, source: str) -> tuple[Advisory, ...]:
    """The advisories a CSAF document publishes."""
    if document.profile == "informational_advisory" or not document.vulnerabilities:
        products = tuple(_package(product) for product in document.products)
        return (_advisory(document, None, 0, products, source),) if products else ()
    return tuple(
        _advisory(
            document,
            vulnerability,
            index,
            tuple(
                _package(document.product(product_id))
                for product_id in dict.fromkeys(vulnerability.product_status.affected())
            ),
            source,
        )
        for index, vulnerability in enumerate(document.vulnerabilities)
    )


def _advisory(
    document: CsafDocument,
    vulnerability: CsafVulnerability | None,
    index: int,
    affected: tuple[AffectedPackage, ...],
    source: str,
) -> Advisory:
    references = [
        Reference(url=item.url, type="ADVISORY" if item.category == "self" else "WEB")
        for item in document.references
    ]
    if vulnerability is None:
        return Advisory(
            id=document.tracking_id,
            source=source,
            modified=document.current_release_date,
            published=document.initial_release_date,
            summary=document.title,
            details=_details(document.notes),
            references=tuple(references),
            affected=affected,
            extras=_extras(document),
        )
    other_ids = tuple(text for _, text in vulnerability.ids)
    identifier = vulnerability.cve or (other_ids[0] if other_ids else None)
    references[:0] = [Reference(url=item.url) for item in vulnerability.references]
    return Advisory(
        id=identifier or f"{document.tracking_id}#{index}",
        source=source,
        modified=document.current_release_date,
        published=vulnerability.release_date or document.initial_release_date,
        aliases=tuple(alias for alias in other_ids if alias != identifier),
        summary=vulnerability.title or document.title,
        details=_details(vulnerability.notes),
        severities=_severities(document, vulnerability),
        cwe_ids=() if vulnerability.cwe_id is None else (vulnerability.cwe_id,),
        references=tuple(references),
        affected=affected,
        extras=_extras(document),
    )


def _extras(document: CsafDocument) -> tuple[tuple[str, str], ...]:
    return (("csaf_tracking_id", document.tracking_id), ("csaf_publisher", document.publisher_name))


def _details(notes: tuple[CsafNote, ...]) -> str:
    for category in _DESCRIPTIVE_NOTES:
        for note in notes:
            if note.category == category:
                return note.text
    return ""


def _severities(document: CsafDocument, vulnerability: CsafVulnerability) -> tuple[Severity, ...]:
    found: dict[str, Severity] = {}
    for score in vulnerability.scores:
        if score.cvss_v3_vector is not None:
            found.setdefault(
                score.cvss_v3_vector,
                Severity("CVSS_V3", score.cvss_v3_vector, document.publisher_name),
            )
        if score.cvss_v2_vector is not None:
            found.setdefault(
                score.cvss_v2_vector,
                Severity("CVSS_V2", score.cvss_v2_vector, document.publisher_name),
            )
    return tuple(found.values())


def _package(product: CsafProduct) -> AffectedPackage:
    version = product.branch("product_version")
    version_range = product.branch("product_version_range")
    versions = () if version is None else (version,)
    version_ranges = () if version_range is None else (version_range,)
    cpes = () if product.cpe is None else (product.cpe,)
    if product.purl is not None:
        parsed = PackageURL.from_string(product.purl)
        ecosystem = _DISTRIBUTIONS.get((parsed.type, parsed.namespace or "")) or _ECOSYSTEMS.get(
            parsed.type, ""
        )
        separator = ":" if parsed.type == "maven" else "/"
        in_namespace = (
            parsed.namespace
            and ecosystem
            and (parsed.type, parsed.namespace) not in (_DISTRIBUTIONS)
        )
        return AffectedPackage(
            ecosystem=ecosystem,
            name=f"{parsed.namespace}{separator}{parsed.name}" if in_namespace else parsed.name,
            purl=product.purl,
            versions=versions,
            vendor=product.branch("vendor"),
            cpes=cpes,
            version_ranges=version_ranges,
        )
    return AffectedPackage(
        ecosystem="",
        name=product.branch("product_name") or product.name,
        versions=versions,
        vendor=product.branch("vendor"),
        cpes=cpes,
        version_ranges=version_ranges,
        model_numbers=tuple(product.model_numbers),
    )
