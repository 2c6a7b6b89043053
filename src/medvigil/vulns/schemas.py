"""The shapes of the vulnerability API: what comes in, what goes out."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

SeverityName = Literal["critical", "high", "medium", "low", "none", "unknown"]
StateName = Literal["open", "candidate", "closed"]
FeedKindName = Literal["auto", "osv", "nvd", "cve5", "kev", "epss", "csaf"]


class VulnerabilityOut(Schema):
    id: str = Field(description="Canonical id of the alias group (the CVE id when it has one)")
    aliases: list[str] = Field(description="Every id of the group, the canonical one included")
    summary: str
    severity: SeverityName
    score: float | None = Field(None, description="Highest CVSS base score of its advisories")
    published: datetime.datetime | None
    modified: datetime.datetime | None
    kev: bool = Field(description="Listed in CISA's Known Exploited Vulnerabilities catalog")


class VulnerabilityQuery(Schema):
    q: str = Field("", description="An id or alias (prefix), or words of the summary")


class FeedAdvisoryOut(Schema):
    id: str
    source: str
    document_name: str
    modified: datetime.datetime
    published: datetime.datetime | None
    withdrawn: datetime.datetime | None
    aliases: list[str]
    summary: str
    severities: list[dict[str, Any]]
    cwe_ids: list[str]
    references: list[dict[str, Any]]


class KevOut(Schema):
    cve_id: str
    vendor: str
    product: str
    date_added: datetime.date
    due_date: datetime.date | None
    required_action: str
    known_ransomware_campaign_use: bool


class EpssOut(Schema):
    cve_id: str
    probability: float
    percentile: float
    model_version: str
    score_date: datetime.datetime | None


class ExposureOut(Schema):
    product_id: int
    product: str
    version_id: int
    version: str
    open_findings: int
    closed_findings: int
    components: list[str] = Field(
        description="Components with an open finding (the first ten by name)"
    )
    component_count: int = Field(description="Components with an open finding, all of them")


class VulnerabilityDetailOut(VulnerabilityOut):
    advisories: list[FeedAdvisoryOut]
    kev_entries: list[KevOut]
    epss: list[EpssOut]
    exposure: list[ExposureOut] = Field(
        description="The first page of the versions you may see that have (or had) a finding "
        "of this vulnerability, by product and version; the rest from its exposure list"
    )
    exposed_versions: int = Field(description="How many versions `exposure` pages through")
    exposure_next_cursor: str | None = Field(
        None, description="Pass as `cursor` to the exposure list for the next page"
    )


class ComponentBrief(Schema):
    id: int | None = Field(description="Empty once the component's SBOM document is removed")
    name: str
    version: str
    purl: str
    cpe: str


class ProvenanceOut(Schema):
    advisory: str
    source: str
    method: str
    rule: str
    matched: str = Field(description="The range or rule that matched")
    fixed: list[str]
    confidence: str
    explanation: str


class FindingOut(Schema):
    id: int
    vulnerability: str
    aliases: list[str]
    summary: str
    severity: SeverityName
    score: float | None
    kev: bool
    state: StateName
    close_reason: str
    product_id: int
    product: str
    version_id: int
    version: str
    component: ComponentBrief
    method: str
    confidence: str
    provenance: list[ProvenanceOut]
    first_seen: datetime.datetime
    last_seen: datetime.datetime
    closed_at: datetime.datetime | None
    review: str = Field("", description="confirmed or dismissed once a candidate was reviewed")
    review_note: str = ""


class CandidateReviewIn(Schema):
    decision: Literal["confirm", "dismiss"]
    note: str = Field(description="Why: the component is (or is not) that product and version")


class FindingQuery(Schema):
    state: StateName | None = None
    severity: SeverityName | None = None
    kev: bool | None = Field(None, description="Only findings listed (true) or not (false) in KEV")


class FeedSourceOut(Schema):
    name: str
    kind: str
    url: str
    enabled: bool
    interval_hours: int
    maximum_age_hours: int
    scope: str
    last_checked_at: datetime.datetime | None
    last_imported_at: datetime.datetime | None
    age_hours: float | None
    stale: bool
    last_status: str
    last_counts: dict[str, int]
    last_error: str


class ConfiguredSourceOut(Schema):
    name: str
    kind: str
    url: str
    enabled: bool
    interval_hours: int
    maximum_age_hours: int
    scope: str


class FeedSourceIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    url: str = Field(min_length=1, max_length=1000, description="http(s) address")
    kind: FeedKindName = "auto"
    interval_hours: int = Field(24, ge=1, le=24 * 365, description="Synchronised this often")
    maximum_age_hours: int | None = Field(
        None, ge=1, description="`medvigil check` fails past it; twice the interval by default"
    )
    scope: str = Field("", max_length=100, description="CSAF: documents whose name starts so")
    enabled: bool = True


class RecommendedSourceOut(Schema):
    name: str
    kind: str
    url: str
    format: str
    interval_hours: int
    description: str
    scope: str
    configured: bool
    enabled: bool


class FeedImportOut(Schema):
    id: int
    kind: str
    origin: str
    status: str
    started_at: datetime.datetime
    finished_at: datetime.datetime | None
    counts: dict[str, int]
    errors: list[dict[str, str]]


class FeedsOut(Schema):
    sources: list[FeedSourceOut]
    imports: list[FeedImportOut]
    advisories: int
    vulnerabilities: int
    kev: int
    epss: int


class QueuedOut(Schema):
    task_id: str
    detail: str
