"""The SBOM model every reader produces, whatever the format it came from.

A reader turns one CycloneDX or SPDX document into an `SbomDocument`. Fields
are plain, immutable values (tuples, strings, dates) so a document can be
cached, compared and pickled across worker processes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

SbomFormat = Literal["CycloneDX", "SPDX"]
Serialisation = Literal["json", "xml", "tag-value", "yaml"]
LevelOfSupport = Literal["actively maintained", "no longer maintained", "abandoned", "unknown"]


class SbomFormatError(ValueError):
    """The document cannot be read: the message names the file and the field."""

    def __init__(self, filename: str, message: str) -> None:
        super().__init__(f"{filename}: {message}")
        self.filename = filename
        self.detail = message


@dataclass(frozen=True, slots=True)
class Component:
    """One component (CycloneDX component, SPDX package).

    `reference` is the CycloneDX ``bom-ref`` or the SPDX ``SPDXID``; a
    CycloneDX component without a ``bom-ref`` gets its position in the
    document (``components[3].components[0]``) so it can still be named.
    `purl` is the canonical form (see `medvigil.core.sbom.purl`) or None when
    absent or invalid; `purl_original` is the text as written. Hash
    algorithms are spelled as CycloneDX does (``SHA-256``) and values are
    lowercase.
    """

    reference: str
    name: str
    type: str | None = None
    version: str | None = None
    group: str | None = None
    supplier: str | None = None
    purl: str | None = None
    purl_original: str | None = None
    cpe: str | None = None
    swid_tag_id: str | None = None
    hashes: tuple[tuple[str, str], ...] = ()
    licenses: tuple[str, ...] = ()
    properties: tuple[tuple[str, str], ...] = ()
    level_of_support: LevelOfSupport | None = None
    end_of_support: date | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SbomDocument:
    """A parsed SBOM.

    `components` is flat: nested CycloneDX components follow their parent.
    The CycloneDX ``metadata.component`` (the product the BOM describes) is
    `primary_component`, not one of `components`; in SPDX the described
    package is both. `dependencies` maps a reference to the references it
    depends on. `warnings` lists what was read despite a deviation (schema
    errors, invalid purls, dangling references), never silently dropped.
    """

    format: SbomFormat
    spec_version: str
    serialisation: Serialisation
    serial: str | None = None
    name: str | None = None
    authors: tuple[str, ...] = ()
    tools: tuple[str, ...] = ()
    created: datetime | None = None
    components: tuple[Component, ...] = ()
    dependencies: tuple[tuple[str, tuple[str, ...]], ...] = ()
    primary_component_ref: str | None = None
    primary_component: Component | None = None
    warnings: tuple[str, ...] = ()
