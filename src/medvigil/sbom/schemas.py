"""Shapes of the SBOM API (django-ninja schemas)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

LevelName = Literal["actively maintained", "no longer maintained", "abandoned", "unknown", ""]
ExportFormat = Literal["cyclonedx-json", "cyclonedx-xml", "spdx-json"]


class DocumentOut(Schema):
    id: int
    version_id: int
    role: str
    filename: str
    sha256: str
    size: int
    format: str
    spec_version: str
    serialisation: str
    serial: str
    name: str
    authors: list[str]
    tools: list[str]
    created: datetime | None
    component_count: int
    warnings: list[str]
    uploaded_by: str | None
    uploaded_at: datetime


class ElementOut(Schema):
    element: str
    present: int
    total: int
    percentage: float
    missing: list[str] = Field(description="References of the components without the element")


class QualityOut(Schema):
    components: int
    has_author: bool
    has_timestamp: bool
    meets_ntia_minimum: bool
    meets_fda_extras: bool
    elements: list[ElementOut]


class DocumentDetailOut(DocumentOut):
    quality: QualityOut


class SourceOut(Schema):
    document_id: int
    role: str
    filename: str


class ComponentOut(Schema):
    id: int
    reference: str
    type: str
    name: str
    version: str
    group: str
    supplier: str
    purl: str
    purl_original: str
    cpe: str
    hashes: list[list[str]]
    licenses: list[str]
    properties: list[list[str]]
    level_of_support: str
    end_of_support: date | None
    support_set_by: str | None = Field(description="Empty when the values come from the SBOM")
    support_set_at: datetime | None
    found_in: list[SourceOut] = Field(description="Every SBOM of the version listing it")


class ComponentQuery(Schema):
    search: str = Field("", description="Part of the name, purl, group or CPE")
    name: str = ""
    purl: str = Field("", description="purl prefix, e.g. pkg:npm/lodash")
    type: str = ""
    supplier: str = ""
    role: str = Field("", description="Only components of SBOMs with this role")
    missing_support: bool = Field(False, description="Only those without level or end of support")


class SupportIn(Schema):
    level_of_support: LevelName = ""
    end_of_support: date | None = None


class ComponentBriefOut(Schema):
    name: str
    version: str | None
    purl: str | None


class ChangeOut(Schema):
    identity: str
    before: ComponentBriefOut
    after: ComponentBriefOut
    changed_fields: list[str]


class DiffOut(Schema):
    before_version_id: int
    after_version_id: int
    added: list[ComponentBriefOut]
    removed: list[ComponentBriefOut]
    changed: list[ChangeOut]
    unchanged: int
