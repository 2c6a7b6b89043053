"""Disclosure cases: their messages, history, affected versions, fix and finding links.

What a reporter wrote (title, description, steps, impact, messages) is kept
only as Fernet tokens (`medvigil.disclosure.intake.encryption`); attachments
live in `intake.models`. The follow-up token is kept as its SHA-256 only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from medvigil.portfolio.models import Product, ProductVersion


class CaseState(models.TextChoices):
    RECEIVED = "received", "Received"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    TRIAGED = "triaged", "Triaged"
    REMEDIATION = "remediation", "Remediation"
    DISCLOSED = "disclosed", "Disclosed"
    CLOSED = "closed", "Closed"


class TriageOutcome(models.TextChoices):
    VALID = "valid", "Valid vulnerability"
    DUPLICATE = "duplicate", "Duplicate"
    NOT_A_VULNERABILITY = "not-a-vulnerability", "Not a vulnerability"
    OUT_OF_SCOPE = "out-of-scope", "Out of scope"


class Case(models.Model):
    number = models.CharField(max_length=20, unique=True)
    state = models.CharField(max_length=20, choices=CaseState.choices, default=CaseState.RECEIVED)
    outcome = models.CharField(max_length=30, choices=TriageOutcome.choices, blank=True)
    received_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    triaged_at = models.DateTimeField(null=True, blank=True)
    remediation_at = models.DateTimeField(null=True, blank=True)
    disclosed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    last_reporter_update_at = models.DateTimeField(null=True, blank=True)
    reporter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disclosure_cases",
    )
    reporter_name = models.CharField(max_length=200, blank=True)
    reporter_email = models.EmailField(blank=True)
    credit_name = models.CharField(
        max_length=200, blank=True, help_text="How the reporter wants to be credited, if at all"
    )
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    product_text = models.CharField(max_length=200, blank=True)
    version_text = models.CharField(max_length=100, blank=True)
    title_sealed = models.TextField()
    description_sealed = models.TextField()
    steps_sealed = models.TextField(blank=True)
    impact_sealed = models.TextField(blank=True)
    cvss_vector = models.CharField(max_length=200, blank=True)
    cvss_score = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    arrived_encrypted = models.BooleanField(
        default=False, help_text="Sent as an OpenPGP message and decrypted on receipt"
    )
    follow_up_token_hash = models.CharField(max_length=64, unique=True)
    embargo_until = models.DateTimeField(null=True, blank=True)
    embargo_time_zone = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["received", "acknowledged"]) | ~Q(outcome=""),
                name="case_triaged_has_outcome",
                violation_error_message="A triaged case has an outcome.",
            ),
            models.CheckConstraint(
                condition=Q(embargo_until__isnull=True) | ~Q(embargo_time_zone=""),
                name="case_embargo_has_time_zone",
                violation_error_message="An embargo date carries its time zone.",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class CaseTransition(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=20, choices=CaseState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=CaseState.choices)
    outcome = models.CharField(max_length=30, choices=TriageOutcome.choices, blank=True)
    note = models.TextField(blank=True)
    occurred_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.case}: {self.from_state or 'start'} → {self.to_state}"


class MessageKind(models.TextChoices):
    FROM_REPORTER = "from-reporter", "From the reporter"
    TO_REPORTER = "to-reporter", "To the reporter"
    INTERNAL = "internal", "Internal note"


class Message(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=20, choices=MessageKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    body_sealed = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.kind} {self.created_at:%Y-%m-%d}"


class AffectedVersion(models.Model):
    """A product version a person confirmed as affected by the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="affected_versions")
    version = models.ForeignKey(ProductVersion, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField()

    class Meta:
        ordering = ["confirmed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="affected_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.version_id}"


# Reporter keys, other parties, notifications, fixes and finding links -------------------


class FixAvailability(models.Model):
    """When a fix or mitigation became available (ends time to fix, starts the CRA final report)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="fix")
    available_at = models.DateTimeField()
    description = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.case}: fix {self.available_at:%Y-%m-%d}"


class FindingLink(models.Model):
    """A finding (vulnerability in a version's component) a person linked to the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="finding_links")
    finding = models.ForeignKey("vulns.Finding", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300, blank=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField()

    class Meta:
        ordering = ["linked_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "finding"], name="finding_link_once")
        ]

    def __str__(self) -> str:
        return f"{self.case}: finding {self.finding_id}"
