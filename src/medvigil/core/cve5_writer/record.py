"""A CVE Record 5.1 in the PUBLISHED state, built from frozen values.

Field rules follow the CVE JSON 5.1.1 schema (CVEProject/cve-schema):
identifiers and timestamps by its patterns, the CNA container's required
members (providerMetadata, descriptions with an English one, affected,
references), and the version entry shapes (single version, or a range with
``lessThan``/``lessThanOrEqual`` and a ``versionType``).
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from medvigil.core.advisories import VersionStatus
from medvigil.core.csaf import CsafBuildError, cvss_v3_object, cwe_name

ProductDefaultStatus = Literal["affected", "unaffected", "unknown"]
CreditType = Literal[
    "finder",
    "reporter",
    "analyst",
    "coordinator",
    "remediation developer",
    "remediation reviewer",
    "remediation verifier",
    "tool",
    "sponsor",
    "other",
]
CREDIT_TYPES: tuple[CreditType, ...] = (
    "finder",
    "reporter",
    "analyst",
    "coordinator",
    "remediation developer",
    "remediation reviewer",
    "remediation verifier",
    "tool",
    "sponsor",
    "other",
)
# The reference tags the schema lists (tags/reference).
REFERENCE_TAGS = (
    "broken-link",
    "customer-entitlement",
    "exploit",
    "government-resource",
    "issue-tracking",
    "mailing-list",
    "mitigation",
    "not-applicable",
    "patch",
    "permissions-required",
    "media-coverage",
    "product",
    "related",
    "release-notes",
    "signature",
    "technical-description",
    "third-party-advisory",
    "vendor-advisory",
    "vdb-entry",
)
_STATUSES = ("affected", "unaffected", "unknown")
_CVE_ID = re.compile(r"^CVE-[0-9]{4}-[0-9]{4,19}$")
_URL = re.compile(r"^(ftp|http)s?://\S+$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,4}([_-][A-Za-z]{4})?([_-]([A-Za-z]{2}|[0-9]{3}))?$")


class CveWriteError(ValueError):
    """The inputs cannot make a valid CVE record; the message names the field."""


@dataclass(frozen=True, slots=True)
class CveProduct:
    vendor: str
    product: str
    versions: tuple[VersionStatus, ...] = ()
    default_status: ProductDefaultStatus | None = "unaffected"
    cpes: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    modules: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CveReference:
    url: str
    name: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CveCredit:
    value: str
    type: CreditType = "finder"
    language: str = "en"


@dataclass(frozen=True, slots=True)
class CveRecordInput:
    """What the assigning CNA says about one CVE."""

    cve_id: str
    assigner_org_id: str
    assigner_short_name: str
    title: str
    description: str
    affected: tuple[CveProduct, ...]
    references: tuple[CveReference, ...]
    date_published: datetime
    date_updated: datetime
    date_reserved: datetime | None = None
    date_public: datetime | None = None
    cwe_ids: tuple[str, ...] = ()
    cvss_v3_vectors: tuple[str, ...] = ()
    credits: tuple[CveCredit, ...] = ()
    solutions: tuple[str, ...] = ()
    workarounds: tuple[str, ...] = ()
    discovery: Literal["INTERNAL", "EXTERNAL", "USER", "UNKNOWN"] | None = None


def build_cve_record(record: CveRecordInput) -> dict[str, Any]:
    """The CVE JSON 5.1 record; ``["containers"]["cna"]`` is the container to submit."""
    if not _CVE_ID.match(record.cve_id):
        raise CveWriteError(f"{record.cve_id!r} is not a CVE id (CVE-YYYY-NNNN)")
    try:
        parsed = uuid.UUID(record.assigner_org_id)
    except ValueError:
        raise CveWriteError("the assigner organization id must be a UUID") from None
    # CVE Services issues random (version 4) organization UUIDs, and the schema says so.
    if parsed.version != 4 or parsed.variant != uuid.RFC_4122:
        raise CveWriteError("the assigner organization id must be a random (version 4) UUID")
    org_id = str(parsed)
    short_name = record.assigner_short_name.strip()
    if not 2 <= len(short_name) <= 32:
        raise CveWriteError("the assigner short name must be 2 to 32 characters")
    metadata: dict[str, Any] = {
        "assignerOrgId": org_id,
        "assignerShortName": short_name,
        "cveId": record.cve_id,
        "datePublished": _timestamp(record.date_published),
        "dateUpdated": _timestamp(record.date_updated),
        "state": "PUBLISHED",
    }
    if record.date_updated < record.date_published:
        raise CveWriteError("the record cannot be updated before it is published")
    if record.date_reserved is not None:
        metadata["dateReserved"] = _timestamp(record.date_reserved)
        if record.date_reserved > record.date_published:
            raise CveWriteError("the CVE id cannot be reserved after it is published")
    return {
        "containers": {"cna": _cna(record, org_id, short_name)},
        "cveMetadata": metadata,
        "dataType": "CVE_RECORD",
        "dataVersion": "5.1",
    }


def cve_record_json(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def _cna(record: CveRecordInput, org_id: str, short_name: str) -> dict[str, Any]:
    if not record.affected:
        raise CveWriteError("a CVE record names at least one affected product")
    if not record.references:
        raise CveWriteError("a CVE record needs at least one reference")
    title = _text(record.title, "title", 256)
    container: dict[str, Any] = {
        "affected": [_product(product) for product in record.affected],
        "descriptions": [{"lang": "en", "value": _text(record.description, "description", 4096)}],
        "providerMetadata": {
            "dateUpdated": _timestamp(record.date_updated),
            "orgId": org_id,
            "shortName": short_name,
        },
        "references": _references(record.references),
        "title": title,
    }
    if record.cwe_ids:
        container["problemTypes"] = [
            {"descriptions": [_problem_type(cwe_id) for cwe_id in dict.fromkeys(record.cwe_ids)]}
        ]
    if record.cvss_v3_vectors:
        container["metrics"] = _metrics(record.cvss_v3_vectors)
    if record.credits:
        container["credits"] = [_credit(credit) for credit in dict.fromkeys(record.credits)]
    if record.solutions:
        container["solutions"] = _descriptions(record.solutions, "solution")
    if record.workarounds:
        container["workarounds"] = _descriptions(record.workarounds, "workaround")
    if record.date_public is not None:
        container["datePublic"] = _timestamp(record.date_public)
    if record.discovery is not None:
        container["source"] = {"discovery": record.discovery}
    return container


def _product(product: CveProduct) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "product": _text(product.product, "product", 2048),
        "vendor": _text(product.vendor, "vendor", 512),
    }
    if product.default_status is not None:
        entry["defaultStatus"] = _status(product.default_status, "default status")
    if not product.versions and product.default_status is None:
        raise CveWriteError(f"{product.product}: give versions or a default status")
    if product.versions:
        entry["versions"] = _unique([_version(version) for version in product.versions])
    for field, values in (
        ("cpes", product.cpes),
        ("platforms", product.platforms),
        ("modules", product.modules),
    ):
        if values:
            entry[field] = [_text(value, field, 2048) for value in dict.fromkeys(values)]
    return entry


def _version(version: VersionStatus) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "status": _status(version.status, "version status"),
        "version": _text(version.version, "version", 1024),
    }
    bounded = version.less_than is not None or version.less_than_or_equal is not None
    if version.less_than is not None and version.less_than_or_equal is not None:
        raise CveWriteError(f"version {version.version}: lessThan or lessThanOrEqual, not both")
    if bounded and not version.version_type:
        raise CveWriteError(f"version {version.version}: a range needs a version type")
    if version.version_type is not None:
        entry["versionType"] = _text(version.version_type, "version type", 128)
    if version.less_than is not None:
        entry["lessThan"] = _text(version.less_than, "lessThan", 1024)
    if version.less_than_or_equal is not None:
        entry["lessThanOrEqual"] = _text(version.less_than_or_equal, "lessThanOrEqual", 1024)
    if version.changes:
        if not bounded:
            raise CveWriteError(f"version {version.version}: changes belong to a range")
        entry["changes"] = _unique(
            [
                {
                    "at": _text(change.at, "change", 1024),
                    "status": _status(change.status, "change status"),
                }
                for change in version.changes
            ]
        )
    return entry


def _problem_type(cwe_id: str) -> dict[str, Any]:
    try:
        name = cwe_name(cwe_id)
    except CsafBuildError as error:
        raise CveWriteError(str(error)) from None
    return {"cweId": cwe_id, "description": f"{cwe_id}: {name}", "lang": "en", "type": "CWE"}


def _metrics(vectors: tuple[str, ...]) -> list[dict[str, Any]]:
    metrics = []
    for vector in dict.fromkeys(vectors):
        try:
            score = cvss_v3_object(vector, "CVSS")
        except CsafBuildError as error:
            raise CveWriteError(str(error)) from None
        key = "cvssV3_1" if score["version"] == "3.1" else "cvssV3_0"
        metrics.append(
            {"format": "CVSS", key: score, "scenarios": [{"lang": "en", "value": "GENERAL"}]}
        )
    return metrics


def _references(references: tuple[CveReference, ...]) -> list[dict[str, Any]]:
    built = []
    for reference in references:
        if not _URL.match(reference.url) or len(reference.url) > 2048:
            raise CveWriteError(f"reference {reference.url!r} is not an http(s) or ftp URL")
        entry: dict[str, Any] = {"url": reference.url}
        if reference.name is not None:
            entry["name"] = _text(reference.name, "reference name", 512)
        if reference.tags:
            unknown = [
                tag
                for tag in reference.tags
                if tag not in REFERENCE_TAGS and not tag.startswith("x_")
            ]
            if unknown:
                raise CveWriteError(f"unknown reference tags: {', '.join(unknown)}")
            entry["tags"] = list(dict.fromkeys(reference.tags))
        built.append(entry)
    return _unique(built)


def _credit(credit: CveCredit) -> dict[str, Any]:
    if credit.type not in CREDIT_TYPES:
        raise CveWriteError(f"credit type {credit.type!r} is not one of {', '.join(CREDIT_TYPES)}")
    if not _LANGUAGE.match(credit.language):
        raise CveWriteError(f"{credit.language!r} is not a language tag")
    return {
        "lang": credit.language,
        "type": credit.type,
        "value": _text(credit.value, "credit", 4096),
    }


def _descriptions(texts: tuple[str, ...], field: str) -> list[dict[str, Any]]:
    return [{"lang": "en", "value": _text(value, field, 4096)} for value in dict.fromkeys(texts)]


def _unique(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The schema wants unique items: keep the first of equal entries."""
    seen: dict[str, dict[str, Any]] = {}
    for entry in entries:
        seen.setdefault(json.dumps(entry, sort_keys=True), entry)
    return list(seen.values())


def _status(value: str, field: str) -> str:
    if value not in _STATUSES:
        raise CveWriteError(f"{field} must be affected, unaffected or unknown, not {value!r}")
    return value


def _text(value: str, field: str, maximum: int) -> str:
    if not value.strip():
        raise CveWriteError(f"{field} must not be blank")
    if len(value) > maximum:
        raise CveWriteError(f"{field} is longer than {maximum} characters")
    return value


def _timestamp(moment: datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise CveWriteError("dates must carry a time zone")
    moment = moment.astimezone(UTC)
    if not 1900 <= moment.year <= 2999:
        raise CveWriteError("dates must fall between the years 1900 and 2999")
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")
