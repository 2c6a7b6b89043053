"""The SBOM engine: read CycloneDX and SPDX documents, judge and compare them.

Public surface:

- `parse_sbom(content, filename)` → `SbomDocument` (raises `SbomFormatError`)
- `normalise_purl(text)` → `NormalisedPurl`
- `assess_quality(document)` → `QualityReport` (NTIA minimum elements + FDA extras)
- `diff_components(before, after)` → `ComponentDiff`
"""

from medvigil.core.sbom.diff import (
    ComponentChange,
    ComponentDiff,
    component_identity,
    diff_components,
)
from medvigil.core.sbom.export import write_cyclonedx_json, write_cyclonedx_xml
from medvigil.core.sbom.export_spdx import write_spdx_json
from medvigil.core.sbom.model import Component, SbomDocument, SbomFormatError
from medvigil.core.sbom.purl import NormalisedPurl, normalise_purl, purl_identity
from medvigil.core.sbom.quality import ElementCoverage, QualityReport, assess_quality
from medvigil.core.sbom.reader import MAX_COMPONENTS, MAX_DOCUMENT_BYTES, parse_sbom

__all__ = [
    "MAX_COMPONENTS",
    "MAX_DOCUMENT_BYTES",
    "Component",
    "ComponentChange",
    "ComponentDiff",
    "ElementCoverage",
    "NormalisedPurl",
    "QualityReport",
    "SbomDocument",
    "SbomFormatError",
    "assess_quality",
    "component_identity",
    "diff_components",
    "normalise_purl",
    "parse_sbom",
    "purl_identity",
    "write_cyclonedx_json",
    "write_cyclonedx_xml",
    "write_spdx_json",
]
