"""Does a statement's product name a given component? Pure rules used by the importer.

A statement names a component by purl (with its version, or without one
and then any version, or within its version range), by CPE, by a BOM-Link
to the SBOM the component was read from (``urn:cdx:serial/version#bom-ref``),
or by name and version. Qualifiers and subpath of purls are ignored: they
describe a build, not which release of which package it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from packageurl import PackageURL

from medvigil.core.vex.model import VexProduct
from medvigil.core.vex.ranges import in_range


@dataclass(frozen=True, slots=True)
class ComponentIdentity:
    """What a component of a product version is known by."""

    name: str
    version: str
    purl: str = ""
    cpe: str = ""
    reference: str = ""
    document_serial: str = ""


def names_component(product: VexProduct, component: ComponentIdentity) -> bool:
    if product.reference and _bom_link_names(product.reference, component):
        return True
    if product.purl and component.purl:
        return _purl_names(product, component)
    if product.cpe and component.cpe:
        return product.cpe.lower() == component.cpe.lower()
    if product.name and product.name.casefold() == component.name.casefold():
        return _version_names(product, component.version)
    return False


def _bom_link_names(reference: str, component: ComponentIdentity) -> bool:
    if not reference.startswith("urn:cdx:") or not component.document_serial:
        return False
    serial, _, inner = reference[len("urn:cdx:") :].partition("#")
    uuid = serial.split("/", 1)[0]
    return (
        bool(inner)
        and inner == component.reference
        and (component.document_serial.lower().removeprefix("urn:uuid:") == uuid.lower())
    )


def _purl_names(product: VexProduct, component: ComponentIdentity) -> bool:
    try:
        stated = PackageURL.from_string(product.purl or "")
        present = PackageURL.from_string(component.purl)
    except ValueError:
        return False
    if (stated.type, stated.namespace, stated.name) != (
        present.type,
        present.namespace,
        present.name,
    ):
        return False
    if stated.version is not None:
        return stated.version == (present.version or component.version)
    return _version_names(product, present.version or component.version)


def _version_names(product: VexProduct, version: str) -> bool:
    if product.version is not None:
        return product.version == version
    if product.version_range is not None:
        return bool(version) and in_range(product.version_range, version) is True
    # A product without any version speaks of every version.
    return True
