"""Write CycloneDX 1.6 VEX documents.

`bom_envelope` and `rating` are also used by the offline scanner's VEX
(`core.scanning.reports`), so both documents share one shape.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from medvigil.core.vex.model import VexExport, VexProduct, VexScore, VexStatement
from medvigil.core.vex.statements import check_statement
from medvigil.core.vex.timestamps import rfc3339
from medvigil.core.vex.vocabulary import (
    CYCLONEDX_RESPONSES,
    JUSTIFICATION_FROM_CYCLONEDX,
    JUSTIFICATION_TO_CYCLONEDX,
    STATE_FOR_STATUS,
)

SPEC_VERSION = "1.6"
_RATING_METHODS = frozenset({"CVSSv2", "CVSSv3", "CVSSv31", "CVSSv4", "OWASP", "SSVC", "other"})
_SEVERITIES = frozenset({"critical", "high", "medium", "low", "info", "none", "unknown"})
_SUBJECT_REFERENCE = "product"


def bom_envelope(
    *,
    serial_number: str,
    version: int,
    timestamp: datetime,
    tool_version: str,
    components: list[dict[str, Any]],
    vulnerabilities: list[dict[str, Any]],
    subject: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A CycloneDX 1.6 BOM carrying components and vulnerabilities."""
    metadata: dict[str, Any] = {
        "timestamp": rfc3339(timestamp),
        "tools": {
            "components": [{"type": "application", "name": "medvigil", "version": tool_version}]
        },
    }
    if subject is not None:
        metadata["component"] = subject
    return {
        "bomFormat": "CycloneDX",
        "specVersion": SPEC_VERSION,
        "serialNumber": serial_number,
        "version": version,
        "metadata": metadata,
        "components": components,
        "vulnerabilities": vulnerabilities,
    }


def rating(
    *, severity: str | None, score: float | None, vector: str | None, method: str | None
) -> dict[str, Any]:
    """One ``ratings[]`` entry; the vector is written only with its method."""
    entry: dict[str, Any] = {}
    if severity in _SEVERITIES:
        entry["severity"] = severity
    if score is not None:
        entry["score"] = score
    if vector and method in _RATING_METHODS:
        entry["method"] = method
        entry["vector"] = vector
    return entry


def source_of(identifier: str) -> dict[str, str]:
    """Where an identifier is published, by its prefix."""
    if identifier.startswith("CVE-"):
        return {"name": "NVD", "url": f"https://nvd.nist.gov/vuln/detail/{identifier}"}
    if identifier.startswith("GHSA-"):
        return {"name": "GitHub", "url": f"https://github.com/advisories/{identifier}"}
    return {"name": "OSV", "url": f"https://osv.dev/vulnerability/{identifier}"}


def write_cyclonedx_vex(export: VexExport) -> dict[str, Any]:
    """A CycloneDX 1.6 VEX BOM: the product version as subject, one vulnerability per statement."""
    if not export.identifier.startswith("urn:uuid:"):
        raise ValueError("a CycloneDX serial number is a urn:uuid: identifier")
    components: dict[str, dict[str, Any]] = {}
    vulnerabilities = []
    for index, statement in enumerate(export.statements, start=1):
        check_statement(statement)
        references = []
        for subcomponent in statement.subcomponents:
            reference = component_reference(subcomponent)
            components.setdefault(reference, _component(subcomponent, reference))
            references.append(reference)
        vulnerabilities.append(_vulnerability(statement, index, references or [_SUBJECT_REFERENCE]))
    return bom_envelope(
        serial_number=export.identifier,
        version=export.version,
        timestamp=export.timestamp,
        tool_version=export.tool_version,
        components=list(components.values()),
        vulnerabilities=vulnerabilities,
        subject=_subject(export),
    )


def component_reference(product: VexProduct) -> str:
    return product.reference or product.purl or product.label


def _subject(export: VexExport) -> dict[str, Any]:
    product = export.product
    subject: dict[str, Any] = {
        "type": "device",
        "bom-ref": _SUBJECT_REFERENCE,
        "name": product.name or product.label,
        "supplier": {"name": export.author, "url": [export.author_namespace]},
    }
    if product.version:
        subject["version"] = product.version
    if product.purl:
        subject["purl"] = product.purl
    return subject


def _component(product: VexProduct, reference: str) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "type": "library",
        "bom-ref": reference,
        "name": product.name or product.label,
    }
    if product.version:
        entry["version"] = product.version
    if product.cpe:
        entry["cpe"] = product.cpe
    if product.purl:
        entry["purl"] = product.purl
    return entry


def _vulnerability(statement: VexStatement, index: int, references: list[str]) -> dict[str, Any]:
    analysis: dict[str, Any] = {"state": STATE_FOR_STATUS[statement.status]}
    justification = _justification(statement)
    if justification is not None:
        analysis["justification"] = justification
    responses = [response for response in statement.responses if response in CYCLONEDX_RESPONSES]
    if responses:
        analysis["response"] = responses
    detail = statement.impact_statement or statement.action_statement or statement.notes
    if detail:
        analysis["detail"] = detail
    if statement.timestamp is not None:
        analysis["firstIssued"] = rfc3339(statement.timestamp)
    if statement.last_updated is not None:
        analysis["lastUpdated"] = rfc3339(statement.last_updated)
    entry: dict[str, Any] = {
        "bom-ref": f"vulnerability-{index}",
        "id": statement.vulnerability,
        "source": source_of(statement.vulnerability),
    }
    if statement.aliases:
        entry["references"] = [
            {"id": alias, "source": source_of(alias)} for alias in statement.aliases
        ]
    ratings = [_rating(score) for score in statement.scores]
    if any(ratings):
        entry["ratings"] = [item for item in ratings if item]
    if statement.description:
        entry["description"] = statement.description
    if statement.status == "affected" and statement.action_statement:
        entry["recommendation"] = statement.action_statement
    entry["analysis"] = analysis
    entry["affects"] = [{"ref": reference} for reference in references]
    return entry


def _justification(statement: VexStatement) -> str | None:
    if statement.status != "not_affected":
        return None
    if statement.native_justification in JUSTIFICATION_FROM_CYCLONEDX:
        return statement.native_justification
    if statement.justification is None:
        return None
    return JUSTIFICATION_TO_CYCLONEDX[statement.justification]


def _rating(score: VexScore) -> dict[str, Any]:
    entry = rating(
        severity=score.severity, score=score.score, vector=score.vector, method=score.method
    )
    if entry and score.source:
        entry["source"] = {"name": score.source}
    return entry
