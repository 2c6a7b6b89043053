"""Writing an `SbomDocument` as SPDX 2.3 JSON.

Same contract as `medvigil.core.sbom.export`: the caller gives the product
release as `primary_component` (described by the document), `created`, and
`serial` (used as the ``documentNamespace``). Each component is a package;
references become valid ``SPDXRef-`` identifiers (kept when they already
are). The FDA extras are package annotations ``medvigil:level-of-support=…``
and ``cdx:lifecycle:milestone:endOfSupport=…`` (the reader of
`medvigil.core.sbom.spdx` reads both back), and the end of support also
fills ``validUntilDate``. External references use ``PACKAGE-MANAGER``, the
spelling the official SPDX 2.3 schema requires (spdx-tools writes
``PACKAGE_MANAGER``).
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from medvigil.core.sbom.cyclonedx_schema import spdx_license_ids
from medvigil.core.sbom.export import (
    export_properties,
    is_license_expression,
    known_dependencies,
    timestamp_text,
)
from medvigil.core.sbom.model import Component, SbomDocument

_SPDX_ID = re.compile(r"^SPDXRef-[A-Za-z0-9.-]+$")
_NOT_ID_CHARACTERS = re.compile(r"[^A-Za-z0-9.-]+")
_LICENSE_REFERENCE_TOKEN = re.compile(r"(?<![:\w])LicenseRef-[A-Za-z0-9.-]+")
_PROPERTY_NAME = re.compile(r"^[A-Za-z][\w.:-]*$")
_HASH_ALGORITHMS = {
    "SHA-1": "SHA1",
    "SHA-224": "SHA224",
    "SHA-256": "SHA256",
    "SHA-384": "SHA384",
    "SHA-512": "SHA512",
}
_SPDX_HASH_ALGORITHMS = frozenset(
    {
        "SHA1",
        "SHA224",
        "SHA256",
        "SHA384",
        "SHA512",
        "SHA3-256",
        "SHA3-384",
        "SHA3-512",
        "BLAKE2b-256",
        "BLAKE2b-384",
        "BLAKE2b-512",
        "BLAKE3",
        "MD2",
        "MD4",
        "MD5",
        "MD6",
        "ADLER32",
    }
)
_PURPOSES = {
    "application": "APPLICATION",
    "framework": "FRAMEWORK",
    "library": "LIBRARY",
    "container": "CONTAINER",
    "operating-system": "OPERATING_SYSTEM",
    "device": "DEVICE",
    "device-driver": "DEVICE",
    "firmware": "FIRMWARE",
    "file": "FILE",
    "source": "SOURCE",
    "archive": "ARCHIVE",
    "install": "INSTALL",
}


class _Identifiers:
    """Unique SPDX identifiers for component references."""

    def __init__(self) -> None:
        self.by_reference: dict[str, str] = {}
        self.used: set[str] = {"SPDXRef-DOCUMENT"}

    def assign(self, reference: str) -> str:
        if _SPDX_ID.match(reference):
            candidate = reference
        else:
            candidate = "SPDXRef-" + (_NOT_ID_CHARACTERS.sub("-", reference).strip("-") or "x")
        unique, number = candidate, 1
        while unique in self.used:
            number += 1
            unique = f"{candidate}-{number}"
        self.used.add(unique)
        self.by_reference[reference] = unique
        return unique


class _Licences:
    """SPDX licence fields; a name that is no SPDX identifier becomes a LicenseRef."""

    def __init__(self) -> None:
        self.extracted: dict[str, str] = {}

    def field(self, licenses: tuple[str, ...]) -> str:
        if not licenses:
            return "NOASSERTION"
        known = spdx_license_ids()
        parts = []
        for text in licenses:
            if is_license_expression(text):
                parts.append(f"({text})" if len(licenses) > 1 else text)
                for token in _LICENSE_REFERENCE_TOKEN.findall(text):
                    self.extracted.setdefault(token, token)
            elif text in known:
                parts.append(text)
            elif _LICENSE_REFERENCE_TOKEN.fullmatch(text):
                parts.append(text)
                self.extracted.setdefault(text, text)
            else:
                reference = "LicenseRef-" + (_NOT_ID_CHARACTERS.sub("-", text).strip("-") or "x")
                self.extracted.setdefault(reference, text)
                parts.append(reference)
        return " AND ".join(parts)


def _package(
    component: Component, spdx_id: str, licences: _Licences, created: str
) -> dict[str, Any]:
    package: dict[str, Any] = {
        "SPDXID": spdx_id,
        "name": component.name,
        "downloadLocation": "NOASSERTION",
        "filesAnalyzed": False,
    }
    if component.version:
        package["versionInfo"] = component.version
    if component.supplier:
        package["supplier"] = f"Organization: {component.supplier}"
    checksums = []
    for algorithm, value in component.hashes:
        spelled = _HASH_ALGORITHMS.get(algorithm, algorithm)
        if spelled in _SPDX_HASH_ALGORITHMS:
            checksums.append({"algorithm": spelled, "checksumValue": value})
    if checksums:
        package["checksums"] = checksums
    package["licenseConcluded"] = "NOASSERTION"
    package["licenseDeclared"] = licences.field(component.licenses)
    package["copyrightText"] = "NOASSERTION"
    references = []
    purl = component.purl or component.purl_original
    if purl:
        references.append(
            {
                "referenceCategory": "PACKAGE-MANAGER",
                "referenceType": "purl",
                "referenceLocator": purl,
            }
        )
    if component.cpe:
        kind = "cpe23Type" if component.cpe.startswith("cpe:2.3:") else "cpe22Type"
        references.append(
            {
                "referenceCategory": "SECURITY",
                "referenceType": kind,
                "referenceLocator": component.cpe,
            }
        )
    if component.swid_tag_id:
        references.append(
            {
                "referenceCategory": "SECURITY",
                "referenceType": "swid",
                "referenceLocator": component.swid_tag_id,
            }
        )
    if references:
        package["externalRefs"] = references
    purpose = _PURPOSES.get((component.type or "").lower().replace("_", "-"))
    if purpose:
        package["primaryPackagePurpose"] = purpose
    if component.end_of_support is not None:
        package["validUntilDate"] = f"{component.end_of_support.isoformat()}T00:00:00Z"
    annotations = [
        {
            "annotationDate": created,
            "annotationType": "OTHER",
            "annotator": "Tool: medvigil",
            "comment": f"{name}={value}",
        }
        for name, value in export_properties(component)
        if _PROPERTY_NAME.match(name) and value.strip()
    ]
    if annotations:
        package["annotations"] = annotations
    return package


def spdx_shape(document: SbomDocument, tool_version: str, created: datetime) -> dict[str, Any]:
    """The SPDX 2.3 JSON object for `document` (`created` is required in SPDX)."""
    created_text = timestamp_text(created)
    identifiers = _Identifiers()
    licences = _Licences()
    everything = list(document.components)
    if document.primary_component is not None:
        everything.insert(0, document.primary_component)
    packages = [
        _package(component, identifiers.assign(component.reference), licences, created_text)
        for component in everything
    ]
    relationships = []
    if document.primary_component is not None:
        relationships.append(
            {
                "spdxElementId": "SPDXRef-DOCUMENT",
                "relationshipType": "DESCRIBES",
                "relatedSpdxElement": identifiers.by_reference[
                    document.primary_component.reference
                ],
            }
        )
    for source, targets in known_dependencies(document):
        for target in targets:
            relationships.append(
                {
                    "spdxElementId": identifiers.by_reference[source],
                    "relationshipType": "DEPENDS_ON",
                    "relatedSpdxElement": identifiers.by_reference[target],
                }
            )
    creators = [f"Tool: medvigil-{tool_version}"]
    creators.extend(f"Organization: {author}" for author in document.authors)
    shape: dict[str, Any] = {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": document.name or "SBOM",
        "documentNamespace": document.serial or "https://spdx.org/spdxdocs/medvigil-unnamed",
        "creationInfo": {"created": created_text, "creators": creators},
        "packages": packages,
        "relationships": relationships,
    }
    if licences.extracted:
        shape["hasExtractedLicensingInfos"] = [
            {"licenseId": reference, "extractedText": text, "name": text}
            for reference, text in licences.extracted.items()
        ]
    return shape


def write_spdx_json(document: SbomDocument, tool_version: str, created: datetime) -> bytes:
    return json.dumps(spdx_shape(document, tool_version, created), indent=2).encode("utf-8")
