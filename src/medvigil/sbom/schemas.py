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


class SearchQuery(Schema):
    q: str = Field(
        description="A component name, purl or CPE, optionally with version constraints: "
        "`openssl`, `openssl<3.0.8`, `openssl >=1.1, <3.0.8`, `pkg:npm/lodash@4.17.20`, "
        "`pkg:npm/lodash <4.17.21`, `cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*` "
        "(docs/components.md)",
        max_length=1000,
    )


class SearchProductOut(Schema):
    id: int
    name: str
    model_number: str


class SearchVersionOut(Schema):
    """The product version that contains the component."""

    id: int
    version: str
    phase: str
    phase_label: str


class SearchDocumentOut(Schema):
    id: int
    filename: str
    role: str


class SearchComponentOut(Schema):
    id: int
    name: str
    version: str
    group: str
    purl: str
    cpe: str
    type: str


class SearchDeploymentOut(Schema):
    organisation: str = Field(description="The customer organisation that owns units")
    units: int


class ComponentHitOut(Schema):
    product: SearchProductOut
    version: SearchVersionOut
    component: SearchComponentOut
    document: SearchDocumentOut
    open_findings: int | None = Field(
        description="Open findings of this component you may see; null when findings "
        "are not tracked in this installation"
    )
    deployed_at: list[SearchDeploymentOut] = Field(
        description="Where the version is deployed, among the deployments you may see "
        "(a customer sees only its own organisation)"
    )


class ComponentSearchOut(Schema):
    query: str = Field(description="The query as read, in its canonical spelling")
    kind: Literal["name", "purl", "cpe"]
    total: int = Field(description="Matching component instances, on every page")
    version_count: int = Field(description="Product versions that contain a match")
    items: list[ComponentHitOut]
    next_cursor: str | None = Field(
        None, description="Pass as `cursor` for the next page; null on the last page"
    )
