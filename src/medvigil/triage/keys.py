"""The stable identity of a finding: product version + component identity + vulnerability group.

A component's identity is its purl without qualifiers and subpath (those
describe a build or a file, not which release of which package it is), or
`name@version` when it has no purl. It survives an SBOM being replaced.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from packageurl import PackageURL

from medvigil.portfolio.models import ProductVersion
from medvigil.vulns.models import Finding, Vulnerability


def component_key(name: str, version: str, purl: str) -> str:
    if purl:
        try:
            parsed = PackageURL.from_string(purl)
        except ValueError:
            return purl.split("?", 1)[0].split("#", 1)[0]
        return PackageURL(
            type=parsed.type, namespace=parsed.namespace, name=parsed.name, version=parsed.version
        ).to_string()
    return f"{name}@{version}" if version else name


@dataclass(frozen=True)
class FindingKey:
    version: ProductVersion
    vulnerability: Vulnerability
    component_key: str
    component_name: str = ""
    component_version: str = ""
    component_purl: str = ""
    finding: Finding | None = None

    def lookup(self) -> dict[str, Any]:
        """Filter arguments selecting the records of this key."""
        return {
            "version": self.version,
            "vulnerability": self.vulnerability,
            "component_key": self.component_key,
        }

    def fields(self) -> dict[str, Any]:
        return {
            **self.lookup(),
            "component_name": self.component_name,
            "component_version": self.component_version,
            "component_purl": self.component_purl,
            "finding": self.finding,
        }


def component_fields(finding: Finding) -> tuple[str, str, str]:
    """(name, version, purl) of the finding's component, or of what the finding kept of it."""
    component = finding.component if finding.component_id is not None else None
    if component is not None:
        return component.name, component.version, component.purl
    return (
        str(getattr(finding, "component_name", "") or ""),
        str(getattr(finding, "component_version", "") or ""),
        str(getattr(finding, "component_purl", "") or ""),
    )


def key_of(finding: Finding) -> FindingKey:
    name, version, purl = component_fields(finding)
    return FindingKey(
        version=finding.version,
        vulnerability=finding.vulnerability,
        component_key=component_key(name, version, purl),
        component_name=name,
        component_version=version,
        component_purl=purl,
        finding=finding,
    )


def as_key(finding_or_key: Finding | FindingKey) -> FindingKey:
    return finding_or_key if isinstance(finding_or_key, FindingKey) else key_of(finding_or_key)
