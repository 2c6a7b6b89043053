"""Build a CSAF 2.0 document (security advisory or VEX) as a plain, deterministic dict.

The builder refuses inputs that would fail the CSAF 2.0 JSON schema or one of
its mandatory tests (section 6.1) with a `CsafBuildError` naming the field, so
what it returns passes the official validator.
"""

from __future__ import annotations

import json
import re
from typing import Any

from medvigil.core.csaf.fields import acknowledgments, notes, references, text, timestamp, url
from medvigil.core.csaf.model import (
    CsafBuildError,
    Document,
    ProductVersion,
    Tracking,
    Vulnerability,
)
from medvigil.core.csaf.products import product_tree
from medvigil.core.csaf.vocabulary import (
    DOCUMENT_CATEGORIES,
    PUBLISHER_CATEGORIES,
    TLP_LABELS,
    TRACKING_STATUSES,
)
from medvigil.core.csaf.vulnerabilities import build_vulnerability, referenced_products

_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$")
_NO_EDGE_SPACE = re.compile(r"^\S(.*\S)?$")


def build_document(document: Document) -> dict[str, Any]:
    """The CSAF 2.0 JSON object of this document."""
    if document.category not in DOCUMENT_CATEGORIES:
        raise CsafBuildError(f"category must be one of {', '.join(DOCUMENT_CATEGORIES)}")
    if not document.vulnerabilities:
        raise CsafBuildError("a security advisory or VEX document needs vulnerabilities")
    _check_unique_cves(document.vulnerabilities)
    vulnerabilities = [
        build_vulnerability(vulnerability, document.category, index)
        for index, vulnerability in enumerate(document.vulnerabilities)
    ]
    products: list[ProductVersion] = list(document.products)
    for vulnerability in document.vulnerabilities:
        products.extend(referenced_products(vulnerability))
    return {
        "document": _document(document),
        "product_tree": product_tree(tuple(products)),
        "vulnerabilities": vulnerabilities,
    }


def document_json(document: dict[str, Any]) -> bytes:
    """The bytes to publish: keys sorted (CSAF 2.0 section 5.3), UTF-8, newline at the end."""
    return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def document_filename(tracking_id: str) -> str:
    """The file name CSAF 2.0 section 5.1 gives a document with this tracking id."""
    return re.sub(r"[^+\-a-z0-9]+", "_", tracking_id.lower()) + ".json"


def _document(document: Document) -> dict[str, Any]:
    publisher = document.publisher
    if publisher.category not in PUBLISHER_CATEGORIES:
        raise CsafBuildError(f"publisher category {publisher.category!r} is unknown")
    publisher_entry: dict[str, Any] = {
        "category": publisher.category,
        "name": text(publisher.name, "publisher name"),
        "namespace": url(publisher.namespace, "publisher namespace"),
    }
    if publisher.contact_details is not None:
        publisher_entry["contact_details"] = text(publisher.contact_details, "contact details")
    if publisher.issuing_authority is not None:
        publisher_entry["issuing_authority"] = text(
            publisher.issuing_authority, "issuing authority"
        )
    if document.tlp not in TLP_LABELS:
        raise CsafBuildError(f"TLP label must be one of {', '.join(TLP_LABELS)}")
    if not _LANGUAGE.match(document.language):
        raise CsafBuildError(f"language {document.language!r} is not a tag such as en or en-US")
    distribution: dict[str, Any] = {"tlp": {"label": document.tlp}}
    if document.tlp_url is not None:
        distribution["tlp"]["url"] = url(document.tlp_url, "TLP URL")
    if document.distribution_text is not None:
        distribution["text"] = text(document.distribution_text, "distribution text")
    built: dict[str, Any] = {
        "category": document.category,
        "csaf_version": "2.0",
        "distribution": distribution,
        "lang": document.language,
        "publisher": publisher_entry,
        "title": text(document.title, "title"),
        "tracking": _tracking(document.tracking),
    }
    if document.notes:
        built["notes"] = notes(document.notes, "document notes")
    if document.references:
        built["references"] = references(document.references, "document references")
    if document.acknowledgments:
        built["acknowledgments"] = acknowledgments(document.acknowledgments, "acknowledgments")
    if document.aggregate_severity is not None:
        severity: dict[str, Any] = {
            "text": text(document.aggregate_severity.text, "aggregate severity")
        }
        if document.aggregate_severity.namespace is not None:
            severity["namespace"] = url(document.aggregate_severity.namespace, "severity namespace")
        built["aggregate_severity"] = severity
    return built


def _tracking(tracking: Tracking) -> dict[str, Any]:
    if not _NO_EDGE_SPACE.fullmatch(tracking.id) or any(
        separator in tracking.id for separator in "\r\n\u2028\u2029"
    ):
        raise CsafBuildError("tracking id must be one line without leading or trailing spaces")
    if tracking.status not in TRACKING_STATUSES:
        raise CsafBuildError(f"tracking status must be one of {', '.join(TRACKING_STATUSES)}")
    if not tracking.revisions:
        raise CsafBuildError("a document needs at least one revision")
    dates = [timestamp(revision.date) for revision in tracking.revisions]
    if dates != sorted(dates):
        raise CsafBuildError("revisions must be given in date order")
    history = [
        {"date": date, "number": str(number), "summary": text(revision.summary, "revision")}
        for number, (date, revision) in enumerate(
            zip(dates, tracking.revisions, strict=True), start=1
        )
    ]
    built: dict[str, Any] = {
        "current_release_date": dates[-1],
        "id": tracking.id,
        "initial_release_date": dates[0],
        "revision_history": history,
        "status": tracking.status,
        "version": str(len(history)),
    }
    if tracking.aliases:
        built["aliases"] = [text(alias, "alias") for alias in dict.fromkeys(tracking.aliases)]
    if tracking.generator_name is not None:
        engine: dict[str, Any] = {"name": text(tracking.generator_name, "generator name")}
        if tracking.generator_version is not None:
            engine["version"] = text(tracking.generator_version, "generator version")
        generator: dict[str, Any] = {"engine": engine}
        if tracking.generated is not None:
            generator["date"] = timestamp(tracking.generated)
        built["generator"] = generator
    return built


def _check_unique_cves(vulnerabilities: tuple[Vulnerability, ...]) -> None:
    seen: set[str] = set()
    for vulnerability in vulnerabilities:
        if vulnerability.cve is None:
            continue
        if vulnerability.cve in seen:
            raise CsafBuildError(f"{vulnerability.cve} appears in two vulnerabilities")
        seen.add(vulnerability.cve)
