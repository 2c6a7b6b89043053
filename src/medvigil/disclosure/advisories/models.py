"""CVE ids of cases, security advisories with their published revisions, and customer deliveries.

An advisory is written from a case while it is a draft; review and approval
are electronic signatures over `signed_content()`, so any later edit
invalidates them. Publishing freezes the CSAF document of that revision
byte for byte, with its hashes and its OpenPGP signature, in an
`AdvisoryRevision`; the provider directory serves only those bytes.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.db import models

from medvigil.accounts.models import Organisation
from medvigil.disclosure.cases.models import Case
from medvigil.portfolio.models import ProductVersion


class CveAssigner(models.TextChoices):
    OWN_CNA = "own-cna", "Our own CNA"
    COORDINATOR = "coordinator", "A coordinator (CISA, CERT/CC, MITRE…)"


class CveAssignment(models.Model):
    """A CVE id given to the vulnerability of a case, and what the CVE record says about it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="cve_assignments")
    cve_id = models.CharField(max_length=30, unique=True)
    assigner = models.CharField(max_length=20, choices=CveAssigner.choices)
    assigner_name = models.CharField(max_length=100, help_text="CNA short name, e.g. CISA")
    assigner_org_id = models.CharField(
        max_length=36, blank=True, help_text="The CNA's organization UUID in CVE Services"
    )
    title = models.CharField(max_length=256)
    description = models.TextField()
    cwe_id = models.CharField(max_length=12, blank=True)
    cvss_vector = models.CharField(max_length=200, blank=True)
    reserved_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["cve_id"]

    def __str__(self) -> str:
        return self.cve_id


class AdvisoryState(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEWED = "reviewed", "Reviewed"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"


class TlpLabel(models.TextChoices):
    WHITE = "WHITE", "TLP:WHITE (public)"
    GREEN = "GREEN", "TLP:GREEN"
    AMBER = "AMBER", "TLP:AMBER"
    RED = "RED", "TLP:RED"


class Advisory(models.Model):
    """A security advisory about a case; its CSAF document is built from these fields."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="advisories")
    tracking_id = models.CharField(max_length=60, unique=True)
    state = models.CharField(
        max_length=20, choices=AdvisoryState.choices, default=AdvisoryState.DRAFT
    )
    tlp = models.CharField(max_length=5, choices=TlpLabel.choices, default=TlpLabel.WHITE)
    title = models.CharField(max_length=200)
    summary = models.TextField(help_text="What could happen, in words for hospitals")
    details = models.TextField(blank=True, help_text="Technical description of the weakness")
    fix_details = models.TextField(blank=True, help_text="What the fixed versions change")
    mitigation = models.TextField(blank=True, help_text="What users can do before updating")
    workaround = models.TextField(blank=True)
    acknowledgments = models.CharField(
        max_length=300, blank=True, help_text="Names credited, separated by commas"
    )
    fixed_versions = models.ManyToManyField(ProductVersion, blank=True, related_name="+")
    revision_summary = models.CharField(
        max_length=300, default="Initial publication", help_text="What this revision changes"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.tracking_id

    def signed_content(self) -> bytes:
        """The fields a reviewer and an approver vouch for (any change invalidates them)."""
        content = {
            "tracking_id": self.tracking_id,
            "tlp": self.tlp,
            "title": self.title,
            "summary": self.summary,
            "details": self.details,
            "fix_details": self.fix_details,
            "mitigation": self.mitigation,
            "workaround": self.workaround,
            "acknowledgments": self.acknowledgments,
            "revision_summary": self.revision_summary,
            "revision": self.revisions.count() + 1 if self.pk else 1,
            "fixed_versions": sorted(self.fixed_versions.values_list("pk", flat=True))
            if self.pk
            else [],
            "affected_versions": sorted(
                self.case.affected_versions.values_list("version_id", flat=True)
            ),
            "findings": sorted(self.case.finding_links.values_list("finding_id", flat=True)),
            "cves": [
                [cve.cve_id, cve.cwe_id, cve.cvss_vector, cve.title, cve.description]
                for cve in self.case.cve_assignments.order_by("cve_id")
            ],
        }
        return json.dumps(content, sort_keys=True, ensure_ascii=False).encode()


class AdvisoryRevision(models.Model):
    """One published revision: the exact CSAF bytes served, with hashes and signature."""

    advisory = models.ForeignKey(Advisory, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    summary = models.CharField(max_length=300)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    tlp = models.CharField(max_length=5, choices=TlpLabel.choices)
    year = models.PositiveIntegerField(help_text="Year of the initial release (directory folder)")
    filename = models.CharField(max_length=120)
    document = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    sha512 = models.CharField(max_length=128)
    signature = models.TextField(blank=True, help_text="Detached ASCII-armoured OpenPGP signature")
    approvals = models.CharField(max_length=500, help_text="Who reviewed and approved it")
    page_url = models.URLField(max_length=500)
    document_url = models.URLField(max_length=500)

    class Meta:
        ordering = ["advisory_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["advisory", "number"], name="advisory_revision_once")
        ]

    def __str__(self) -> str:
        return f"{self.advisory} revision {self.number}"


class AdvisoryWebhook(models.Model):
    """Where a customer organisation wants advisories posted (signed with HMAC-SHA256)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="advisory_webhook"
    )
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=128)
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.organisation}: {self.url}"


class DeliveryChannel(models.TextChoices):
    EMAIL = "email", "Email"
    WEBHOOK = "webhook", "Webhook"


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed (will be retried)"
    GAVE_UP = "gave-up", "Failed after every retry"


class AdvisoryDelivery(models.Model):
    """One notice of a published revision to one customer organisation by one channel."""

    revision = models.ForeignKey(
        AdvisoryRevision, on_delete=models.PROTECT, related_name="deliveries"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10, choices=DeliveryChannel.choices)
    target = models.CharField(max_length=500)
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "organisation", "channel", "target"],
                name="advisory_delivery_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.revision} to {self.organisation} by {self.channel}: {self.state}"
