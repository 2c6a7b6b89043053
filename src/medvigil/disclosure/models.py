"""Disclosure cases, their messages, attachments and history.

What a reporter wrote (title, description, steps, impact, messages) is kept
only as Fernet tokens (`medvigil.disclosure.encryption`); attachments are
encrypted files under MEDIA_ROOT/disclosure/. The follow-up token is kept as
its SHA-256 only.
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


class Attachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=120)
    content_type = models.CharField(max_length=80)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the plaintext")
    stored_name = models.CharField(max_length=64, unique=True)
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.filename


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


class SubmissionRecord(models.Model):
    """One accepted submission from an address (a keyed hash), for the rate limit."""

    address_hash = models.CharField(max_length=64)
    occurred_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["address_hash", "occurred_at"], name="submission_rate")]

    def __str__(self) -> str:
        return f"{self.address_hash[:8]} {self.occurred_at}"


# Reporter keys, other parties, notifications, fixes and finding links -------------------


class ReporterKey(models.Model):
    """The OpenPGP public key a reporter gave: replies to them are encrypted to it."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="reporter_key")
    fingerprint = models.CharField(max_length=64)
    armoured = models.TextField()
    added_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.case}: {self.fingerprint}"


class EncryptedReply(models.Model):
    """A reply to the reporter as they receive it: ASCII-armoured, encrypted to their key."""

    message = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="encrypted")
    fingerprint = models.CharField(max_length=64)
    armoured = models.TextField()

    def __str__(self) -> str:
        return f"reply {self.message_id} to {self.fingerprint}"


class PartyKind(models.TextChoices):
    SUPPLIER = "supplier", "Supplier"
    COORDINATOR = "coordinator", "Coordinator (CISA, CERT/CC, CSIRT)"
    HOSPITAL = "hospital", "Hospital (healthcare delivery organisation)"
    MANUFACTURER = "manufacturer", "Other manufacturer"


class CaseParty(models.Model):
    """Another party on a case, with its own limited view.

    It reaches the case through an account (`user`) or a secret link whose
    SHA-256 only is kept (`access_token_hash`); what it may see beyond the
    summary and its own thread is opted in per party.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    kind = models.CharField(max_length=20, choices=PartyKind.choices)
    name = models.CharField(max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disclosure_parties",
    )
    access_token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    sees_report = models.BooleanField(
        default=False, help_text="Shown the report's description, steps and impact"
    )
    sees_reporter_contact = models.BooleanField(
        default=False, help_text="Shown the reporter's name and email"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["invited_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(access_token_hash__isnull=False),
                name="case_party_has_a_way_in",
                violation_error_message="A party reaches the case by an account or a link.",
            ),
            models.UniqueConstraint(
                fields=["case", "user"],
                name="case_party_user_once",
                condition=Q(user__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.name} ({self.kind})"


class PartyMessage(models.Model):
    """A message between the PSIRT and one party (never seen by the reporter)."""

    party = models.ForeignKey(CaseParty, on_delete=models.CASCADE, related_name="messages")
    from_party = models.BooleanField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    body_sealed = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.party} {'from' if self.from_party else 'to'} {self.created_at:%Y-%m-%d}"


class SharedMessage(models.Model):
    """A message of the reporter thread that a handler shared with one party."""

    party = models.ForeignKey(CaseParty, on_delete=models.CASCADE, related_name="shared")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="+")
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    shared_at = models.DateTimeField()

    class Meta:
        ordering = ["shared_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["party", "message"], name="shared_message_once")
        ]

    def __str__(self) -> str:
        return f"message {self.message_id} shared with {self.party_id}"


class Recipient(models.TextChoices):
    FDA = "fda", "FDA"
    CISA = "cisa", "CISA"
    CERT_CC = "cert-cc", "CERT/CC"
    BSI = "bsi", "BSI"
    ENISA = "enisa", "ENISA single reporting platform / CSIRT (EU CRA)"
    NATIONAL_AUTHORITY = "national-authority", "National competent authority"
    OTHER = "other", "Other"


class Notification(models.Model):
    """A notification to a regulator or coordinator: who, under which rule, when, what.

    `started_at` is the moment the rule counts from (awareness, or a fix being
    available); `due_at` follows from the rule (medvigil.core.reporting_deadlines).
    What was sent is kept encrypted like the report.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notifications")
    recipient = models.CharField(max_length=30, choices=Recipient.choices)
    recipient_name = models.CharField(max_length=200, blank=True)
    rule = models.CharField(max_length=30)
    started_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    content_sealed = models.TextField(blank=True)
    reference = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return f"{self.case}: {self.recipient} {self.rule}"


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


# CVE ids, advisories and their deliveries are defined in advisory_models.
from medvigil.disclosure.advisory_models import (  # noqa: E402, F401
    Advisory,
    AdvisoryDelivery,
    AdvisoryRevision,
    AdvisoryWebhook,
    CveAssignment,
)
