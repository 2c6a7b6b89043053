"""Scan results as documents: medvigil JSON, SARIF 2.1.0, CycloneDX 1.6 VEX.

Pure functions from findings to JSON-ready dicts; the caller passes the
time and the SBOM's file name (core never reads the clock).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from medvigil.core.scanning.scan import Finding, ScanResult
from medvigil.core.vex import bom_envelope, rating

_SARIF_LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
_CYCLONEDX_RATINGS = {"CVSS_V4": "CVSSv4", "CVSS_V3": "CVSSv31", "CVSS_V2": "CVSSv2"}


def finding_json(finding: Finding) -> dict[str, Any]:
    component = finding.component
    severity = finding.severity
    return {
        "component": {
            "bom_ref": component.reference,
            "name": component.name,
            "version": component.version,
            "purl": component.purl,
        },
        "vulnerability": finding.vulnerability,
        "aliases": list(finding.aliases),
        "summary": finding.summary,
        "advisories": [
            {
                "id": item.id,
                "source": item.source,
                "matched": item.matched,
                "fixed": list(item.fixed),
            }
            for item in finding.advisories
        ],
        "match": {"method": finding.method, "confidence": str(finding.confidence)},
        "severity": {
            "level": severity.level,
            "score": severity.score,
            "vector": severity.vector,
            "type": severity.type,
            "source": severity.source,
        },
        "kev": finding.kev is not None,
        "kev_details": None
        if finding.kev is None
        else {
            "date_added": finding.kev.date_added.isoformat(),
            "due_date": finding.kev.due_date.isoformat(),
            "known_ransomware_campaign_use": finding.kev.known_ransomware_campaign_use,
        },
        "epss": None
        if finding.epss is None
        else {"score": finding.epss.probability, "percentile": finding.epss.percentile},
    }


def json_report(result: ScanResult) -> dict[str, Any]:
    return {
        "findings": [finding_json(finding) for finding in result.findings],
        "components": result.components,
        "skipped": [{"bom_ref": ref, "reason": reason} for ref, reason in result.skipped],
    }


def sarif_report(result: ScanResult, sbom_name: str, tool_version: str) -> dict[str, Any]:
    """SARIF 2.1.0: one rule per vulnerability, one result per finding, located in the SBOM."""
    rules: dict[str, dict[str, Any]] = {}
    results = []
    for finding in result.findings:
        severity = finding.severity
        if finding.vulnerability not in rules:
            rule: dict[str, Any] = {
                "id": finding.vulnerability,
                "shortDescription": {"text": finding.summary or finding.vulnerability},
                "helpUri": f"https://osv.dev/vulnerability/{finding.vulnerability}",
                "properties": {"tags": ["security", "vulnerability"]},
            }
            if severity.score is not None:
                rule["properties"]["security-severity"] = f"{severity.score:.1f}"
            rules[finding.vulnerability] = rule
        component = finding.component
        label = component.purl or f"{component.name}@{component.version}"
        results.append(
            {
                "ruleId": finding.vulnerability,
                "level": _SARIF_LEVELS.get(severity.level, "warning"),
                "message": {
                    "text": f"{label} is affected by {finding.vulnerability}"
                    + (f" ({', '.join(finding.aliases)})" if finding.aliases else "")
                    + f"; severity {severity.level}"
                },
                "locations": [
                    {
                        "physicalLocation": {"artifactLocation": {"uri": sbom_name}},
                        "logicalLocations": [
                            {"name": label, "fullyQualifiedName": component.reference}
                        ],
                    }
                ],
                "properties": finding_json(finding),
            }
        )
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "medvigil",
                        "version": tool_version,
                        "informationUri": "https://github.com/medvigil/medvigil",
                        "rules": list(rules.values()),
                    }
                },
                "results": results,
            }
        ],
    }


def cyclonedx_vex(result: ScanResult, now: datetime, tool_version: str) -> dict[str, Any]:
    """CycloneDX 1.6 VEX: each vulnerability with the components it affects, "in_triage"."""
    components: dict[str, dict[str, Any]] = {}
    vulnerabilities: dict[str, dict[str, Any]] = {}
    for finding in result.findings:
        component = finding.component
        if component.reference not in components:
            entry: dict[str, Any] = {
                "type": "library",
                "bom-ref": component.reference,
                "name": component.name,
            }
            if component.version:
                entry["version"] = component.version
            if component.purl:
                entry["purl"] = component.purl
            components[component.reference] = entry
        vulnerability = vulnerabilities.get(finding.vulnerability)
        if vulnerability is None:
            vulnerability = _vulnerability(finding)
            vulnerabilities[finding.vulnerability] = vulnerability
        affects = vulnerability["affects"]
        if all(item["ref"] != component.reference for item in affects):
            affects.append({"ref": component.reference})
    return bom_envelope(
        serial_number=f"urn:uuid:{uuid.uuid4()}",
        version=1,
        timestamp=now,
        tool_version=tool_version,
        components=list(components.values()),
        vulnerabilities=list(vulnerabilities.values()),
    )


def _vulnerability(finding: Finding) -> dict[str, Any]:
    severity = finding.severity
    vulnerability: dict[str, Any] = {
        "bom-ref": f"vulnerability:{finding.vulnerability}",
        "id": finding.vulnerability,
        "source": {"name": "CVE" if finding.vulnerability.startswith("CVE-") else "OSV"},
        "references": [
            {"id": alias, "source": {"name": "CVE" if alias.startswith("CVE-") else "OSV"}}
            for alias in finding.aliases
        ],
        "analysis": {"state": "in_triage"},
        "affects": [],
    }
    if finding.summary:
        vulnerability["description"] = finding.summary
    if severity.level != "unknown":
        vulnerability["ratings"] = [
            rating(
                severity=severity.level,
                score=severity.score,
                vector=severity.vector,
                method=_CYCLONEDX_RATINGS.get(severity.type or ""),
            )
        ]
    return vulnerability
