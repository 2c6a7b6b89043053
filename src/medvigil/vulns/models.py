"""Vulnerability intelligence (advisories, alias groups, KEV, EPSS, feeds) and findings.

Advisories are public reference data read by `medvigil.core.advisories`; a
row keeps the record as published (`raw`) beside the engine's reading of it
(`record`, what the matcher is given). Findings tie one vulnerability (an
alias group) to one SBOM component of one product version. Rows are written
only by `medvigil.vulns.services` and `medvigil.vulns.matching`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from medvigil.portfolio.models import ProductVersion
from medvigil.sbom.models import Component

# Defined apart so this module stays readable; imported here so Django registers them.
from medvigil.vulns.identity_models import CpeConfirmation as CpeConfirmation
from medvigil.vulns.identity_models import ProductMapping as ProductMapping
from medvigil.vulns.tally_models import FindingTally as FindingTally

# The triage queue's sort key of a finding with no remediation due date: after every real one.
NO_DUE = datetime(9999, 12, 31, tzinfo=UTC)
# The rank of a finding not scored yet: after critical, high, medium and low.
UNSCORED_RANK = 4


class Source(models.TextChoices):
    OSV = "osv", "OSV"
    NVD = "nvd", "NVD"
    CVE5 = "cve5", "CVE JSON 5"
    CSAF = "csaf", "CSAF 2.0"


class Severity(models.TextChoices):
    CRITICAL = "critical", "Critical"
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"
    NONE = "none", "None"
    UNKNOWN = "unknown", "Unknown"


class Vulnerability(models.Model):
    """One vulnerability: the alias group of its advisories (CVE ↔ GHSA ↔ PYSEC …).

    A group that is merged into another, or renamed when a CVE id arrives,
    keeps its row with `merged_into` set, so findings that named it stay traceable.
    """

    canonical_id = models.CharField(max_length=200, unique=True)
    members = models.JSONField(default=list, help_text="Every id of the group, sorted")
    summary = models.TextField(blank=True)
    severity = models.CharField(max_length=10, choices=Severity.choices, default="unknown")
    score = models.FloatField(null=True, blank=True, help_text="Highest CVSS base score")
    published = models.DateTimeField(null=True, blank=True)
    modified = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Any id of the group in the KEV catalog: kept by the KEV import and the alias grouping
    # (`vulns.kev_flags`), so a KEV filter is a column, not a subquery through the aliases.
    kev_listed = models.BooleanField(default=False)

    class Meta:
        ordering = ["canonical_id"]
        verbose_name_plural = "vulnerabilities"
        indexes = [
            models.Index(fields=["id"], condition=Q(kev_listed=True), name="vulnerability_kev")
        ]

    def __str__(self) -> str:
        return self.canonical_id


class VulnerabilityAlias(models.Model):
    """Every id a vulnerability is known by (lookup by id or alias)."""

    identifier = models.CharField(max_length=200, unique=True)
    vulnerability = models.ForeignKey(
        Vulnerability, on_delete=models.CASCADE, related_name="aliases"
    )

    def __str__(self) -> str:
        return f"{self.identifier} → {self.vulnerability_id}"


class Advisory(models.Model):
    """One published record of one source; (identifier, source) is unique."""

    identifier = models.CharField(max_length=200)
    source = models.CharField(max_length=10, choices=Source.choices)
    document_name = models.TextField(help_text="File the record was read from")
    modified = models.DateTimeField()
    published = models.DateTimeField(null=True, blank=True)
    withdrawn = models.DateTimeField(null=True, blank=True)
    aliases = models.JSONField(default=list)
    summary = models.TextField(blank=True)
    details = models.TextField(blank=True)
    severities = models.JSONField(default=list)
    cwe_ids = models.JSONField(default=list)
    references = models.JSONField(default=list)
    raw = models.JSONField(help_text="The record as published")
    record = models.JSONField(help_text="The engine's reading, given to the matcher")
    content_hash = models.CharField(max_length=64)
    vulnerability = models.ForeignKey(
        Vulnerability, null=True, on_delete=models.SET_NULL, related_name="advisories"
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["identifier", "source"]
        verbose_name_plural = "advisories"
        constraints = [
            models.UniqueConstraint(fields=["identifier", "source"], name="advisory_once")
        ]

    def __str__(self) -> str:
        return f"{self.identifier} ({self.source})"


class MatchKeyKind(models.TextChoices):
    PACKAGE = "package", "Package (ecosystem, normalised name)"
    CPE = "cpe", "CPE (vendor, product)"
    PRODUCT = "product", "Product named by vendor and name (via a product mapping)"
    NONE = "none", "No identity"


class AffectedEntry(models.Model):
    """An advisory's affected package or CPE product, normalised for lookup."""

    advisory = models.ForeignKey(Advisory, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=10, choices=MatchKeyKind.choices)
    namespace = models.CharField(max_length=200, help_text="OSV ecosystem, or CPE vendor")
    name = models.CharField(max_length=500, help_text="Normalised package name, or CPE product")

    class Meta:
        verbose_name_plural = "affected entries"
        constraints = [
            models.UniqueConstraint(
                fields=["advisory", "kind", "namespace", "name"], name="affected_entry_once"
            )
        ]
        indexes = [models.Index(fields=["kind", "namespace", "name"], name="affected_entry_key")]

    def __str__(self) -> str:
        return f"{self.kind} {self.namespace}/{self.name}"


class ComponentMatchKey(models.Model):
    """A component's identity as the matcher keys it; `kind` none when it has none."""

    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=MatchKeyKind.choices)
    namespace = models.CharField(max_length=200, blank=True)
    name = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["component", "kind", "namespace", "name"], name="component_key_once"
            )
        ]
        indexes = [models.Index(fields=["kind", "namespace", "name"], name="component_key")]

    def __str__(self) -> str:
        return f"{self.component_id}: {self.kind} {self.namespace}/{self.name}"


class KevEntry(models.Model):
    """A CVE in CISA's Known Exploited Vulnerabilities catalog."""

    cve_id = models.CharField("CVE id", max_length=30, unique=True)
    vendor = models.TextField(blank=True)
    product = models.TextField(blank=True)
    name = models.TextField(blank=True)
    date_added = models.DateField()
    due_date = models.DateField(null=True, blank=True)
    required_action = models.TextField(blank=True)
    short_description = models.TextField(blank=True)
    known_ransomware_campaign_use = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    cwe_ids = models.JSONField(default=list)
    catalog_version = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["-date_added", "cve_id"]
        verbose_name = "KEV entry"
        verbose_name_plural = "KEV entries"

    def __str__(self) -> str:
        return self.cve_id


class EpssScore(models.Model):
    """The latest FIRST EPSS score of a CVE, with the model and date it came from."""

    cve_id = models.CharField("CVE id", max_length=30, unique=True)
    probability = models.FloatField()
    percentile = models.FloatField()
    model_version = models.CharField(max_length=50, blank=True)
    score_date = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cve_id"]
        verbose_name = "EPSS score"

    def __str__(self) -> str:
        return f"{self.cve_id}: {self.probability}"


class FeedKind(models.TextChoices):
    AUTO = "auto", "Recognise each file"
    OSV = "osv", "OSV (JSON, YAML, all.zip)"
    NVD = "nvd", "NVD CVE API 2.0 / 1.1 feed"
    CVE5 = "cve5", "CVE JSON 5"
    KEV = "kev", "CISA KEV"
    EPSS = "epss", "FIRST EPSS"
    CSAF = "csaf", "CSAF 2.0"


class FeedSource(models.Model):
    """A feed that the workers download every `interval_hours`: where from, how it went.

    `maximum_age_hours` is twice the interval unless set otherwise; `enabled`
    is false for a recommended source nobody has switched on yet.
    """

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=10, choices=FeedKind.choices, default=FeedKind.AUTO)
    url = models.URLField(max_length=1000)
    enabled = models.BooleanField(default=True)
    maximum_age_hours = models.PositiveIntegerField(
        default=48, help_text="`medvigil check` fails when the last import is older"
    )
    interval_hours = models.PositiveIntegerField(
        default=24, help_text="The workers synchronise it this often"
    )
    scope = models.CharField(
        max_length=100, blank=True, help_text="CSAF: only documents whose file name starts so"
    )
    # Progress between runs: NVD years imported, CSAF documents seen, failures in a row.
    state = models.JSONField(default=dict, blank=True)
    etag = models.CharField("ETag", max_length=500, blank=True)
    last_modified = models.CharField("Last-Modified", max_length=100, blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_imported_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(max_length=20, blank=True)
    last_counts = models.JSONField(default=dict)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FeedImport(models.Model):
    """One import of a feed file, folder or archive (the log)."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        PARTIAL = "partial", "Succeeded with rejected files"
        FAILED = "failed", "Failed"
        # Its process died (killed, machine lost): what it committed is kept and re-matched.
        INTERRUPTED = "interrupted", "Interrupted"

    source = models.ForeignKey(
        FeedSource, null=True, blank=True, on_delete=models.SET_NULL, related_name="imports"
    )
    kind = models.CharField(max_length=10, choices=FeedKind.choices)
    origin = models.TextField(help_text="Path, upload name or URL")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RUNNING)
    hostname = models.CharField(max_length=255, blank=True, help_text="Machine running it")
    process_id = models.PositiveIntegerField(null=True, blank=True, help_text="Its process")
    progress_at = models.DateTimeField(
        null=True, blank=True, help_text="When its last batch was committed"
    )
    counts = models.JSONField(default=dict)
    errors = models.JSONField(default=list, help_text="[{file, reason}] of rejected files")
    changed_keys = models.JSONField(
        default=list,
        help_text="[kind, namespace, name] of changed advisories, for re-matching; "
        "saved with each batch",
    )
    # Not stored: the id of the re-match task `import_feed` queued, for a caller to run it now.
    rematch_task_id: str | None = None

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.origin} ({self.status})"


class Finding(models.Model):
    """A vulnerability found in one SBOM component of one product version.

    Never deleted: a finding that no longer matches is closed with the
    reason, and opened again if it matches later. `provenance` holds one
    entry per matching advisory: rule, matched range, fixed versions, confidence.

    A *candidate* is a match that needs a person's review before it counts:
    a CPE criterion naming every version of a product (no version, no
    bounds). Candidates are kept apart from open findings and their counts.

    The component's name, version, purl and CPE are copied onto the finding,
    so it still reads well once its SBOM document is removed (the component
    link is then empty and the finding closed with that reason).
    """

    class State(models.TextChoices):
        OPEN = "open", "Open"
        CANDIDATE = "candidate", "Candidate (needs review)"
        CLOSED = "closed", "Closed"

    vulnerability = models.ForeignKey(
        Vulnerability, on_delete=models.PROTECT, related_name="findings"
    )
    component = models.ForeignKey(
        Component, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    component_name = models.TextField(blank=True)
    component_version = models.TextField(blank=True)
    component_purl = models.TextField(blank=True)
    component_cpe = models.TextField(blank=True)
    version = models.ForeignKey(ProductVersion, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    close_reason = models.TextField(blank=True)
    provenance = models.JSONField(default=list)
    method = models.CharField(max_length=10, help_text="purl or cpe")
    confidence = models.CharField(max_length=10)
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    # A person's review of a candidate: re-matching keeps a confirmed one open and a
    # dismissed one closed, until an advisory with version bounds names the component.
    review = models.CharField(
        max_length=10, blank=True, choices=[("confirmed", "Confirmed"), ("dismissed", "Dismissed")]
    )
    review_note = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # The statement in force, copied here by `medvigil.triage.standing` whenever a decision,
    # approval, score or plan of the finding's key changes, so the triage queue is one query.
    triage_status = models.CharField(max_length=40, default="under_investigation")
    triage_pending = models.BooleanField(default=False)
    triage_priority = models.CharField(max_length=20, default="unscored")
    triage_rank = models.PositiveSmallIntegerField(default=UNSCORED_RANK)
    triage_ssvc = models.CharField(max_length=20, blank=True, default="")
    triage_kev = models.BooleanField(default=False)
    triage_due = models.DateTimeField(default=NO_DUE, help_text="Remediation due; NO_DUE if none")

    class Meta:
        ordering = ["vulnerability__canonical_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vulnerability", "component", "version"], name="finding_once"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["open", "candidate"]) | ~Q(close_reason=""),
                name="finding_closed_has_reason",
                violation_error_message="A closed finding says why it was closed.",
            ),
        ]
        indexes = [
            models.Index(fields=["version", "state"], name="finding_version_state"),
            models.Index(
                fields=["triage_due", "triage_rank", "id"],
                condition=Q(state="open"),
                name="finding_queue_order",
            ),
            models.Index(
                fields=["version", "id"], condition=Q(state="open"), name="finding_version_open"
            ),
            # Where are we exposed (`vulns.exposure`): a probe per version for one vulnerability.
            models.Index(
                fields=["vulnerability", "version", "state"], name="finding_vulnerability_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vulnerability_id} in {self.component_label} ({self.state})"

    @property
    def component_label(self) -> str:
        """Name and version of the component, as it was when found."""
        return f"{self.component_name} {self.component_version}".strip()

    @property
    def component_identifier(self) -> str:
        return self.component_purl or self.component_cpe


class ScheduledWork(models.Model):
    """When a piece of scheduled work was last queued; one row per kind of work.

    Workers read and move `last_queued_at` with a compare-and-set UPDATE, so
    of several workers that find the work due, exactly one queues it.
    """

    name = models.CharField(max_length=100, unique=True)
    last_queued_at = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True, help_text="Last task queued")

    class Meta:
        verbose_name_plural = "scheduled work"

    def __str__(self) -> str:
        return self.name
