"""Triage decisions, proposals, scores and remediation plans of findings.

Everything here is keyed by product version + component identity (purl
without qualifiers, else name@version) + vulnerability group, never by a
CVE id alone nor only by a finding row: an SBOM can be replaced and its
components re-created while the decisions about them stay. A record may
also point at the finding it was made on (`finding`, kept as a convenience
and cleared if that finding row goes).

Decisions are never edited: each change is a new row, so the rows of a key
are its history. Rows are written only by `medvigil.triage.services`.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.db import models
from django.db.models import Q

from medvigil.portfolio.models import ProductVersion
from medvigil.vulns.models import Finding, Vulnerability


class Status(models.TextChoices):
    UNDER_INVESTIGATION = "under_investigation", "Under investigation"
    AFFECTED = "affected", "Affected"
    NOT_AFFECTED = "not_affected", "Not affected"
    FIXED = "fixed", "Fixed"


class Justification(models.TextChoices):
    COMPONENT_NOT_PRESENT = "component_not_present", "Component not present"
    VULNERABLE_CODE_NOT_PRESENT = "vulnerable_code_not_present", "Vulnerable code not present"
    VULNERABLE_CODE_NOT_IN_EXECUTE_PATH = (
        "vulnerable_code_not_in_execute_path",
        "Vulnerable code not in execute path",
    )
    VULNERABLE_CODE_CANNOT_BE_CONTROLLED_BY_ADVERSARY = (
        "vulnerable_code_cannot_be_controlled_by_adversary",
        "Vulnerable code cannot be controlled by adversary",
    )
    INLINE_MITIGATIONS_ALREADY_EXIST = (
        "inline_mitigations_already_exist",
        "Inline mitigations already exist",
    )


class KeyedRecord(models.Model):
    """The identity every triage record shares."""

    version = models.ForeignKey(ProductVersion, on_delete=models.PROTECT, related_name="+")
    vulnerability = models.ForeignKey(Vulnerability, on_delete=models.PROTECT, related_name="+")
    component_key = models.TextField(help_text="purl without qualifiers, else name@version")
    component_name = models.TextField(blank=True)
    component_version = models.TextField(blank=True)
    component_purl = models.TextField(blank=True)
    finding = models.ForeignKey(
        Finding, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True


class Decision(KeyedRecord):
    """One statement on a finding: its VEX status with justification and statements."""

    status = models.CharField(max_length=40, choices=Status.choices)
    justification = models.CharField(max_length=60, choices=Justification.choices, blank=True)
    impact_statement = models.TextField(blank=True)
    action_statement = models.TextField(blank=True)
    fixed_in_version = models.CharField(max_length=100, blank=True)
    note = models.TextField(blank=True, help_text="Why, in the decider's words")
    requires_approval = models.BooleanField(
        default=False, help_text="Made on a released version: effective once signed 'approved'"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposal = models.ForeignKey(
        "Proposal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["version", "vulnerability", "component_key"], name="triage_decision_key"
            ),
            models.Index(fields=["vulnerability", "component_key"], name="triage_decision_same"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="not_affected")
                | (~Q(justification="") & ~Q(impact_statement="")),
                name="triage_not_affected_is_justified",
                violation_error_message="Not affected needs a justification and an impact.",
            ),
            models.CheckConstraint(
                condition=~Q(status="affected") | ~Q(action_statement=""),
                name="triage_affected_has_action",
                violation_error_message="Affected needs an action statement.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vulnerability} in {self.component_key} ({self.get_status_display()})"

    @property
    def pending_approval(self) -> bool:
        return self.requires_approval and self.approved_at is None

    def signed_content(self) -> bytes:
        """What an approval vouches for: the key and everything the statement says."""
        return json.dumps(
            {
                "version": self.version_id,
                "vulnerability": self.vulnerability_id,
                "component": self.component_key,
                "status": self.status,
                "justification": self.justification,
                "impact_statement": self.impact_statement,
                "action_statement": self.action_statement,
                "fixed_in_version": self.fixed_in_version,
                "decision": self.pk,
            },
            sort_keys=True,
            ensure_ascii=False,
        ).encode()


class Proposal(KeyedRecord):
    """A decision offered to a person, who confirms it, changes it, or dismisses it."""

    class Source(models.TextChoices):
        EARLIER_DECISION = "earlier_decision", "Earlier decision"
        SUPPLIER_VEX = "supplier_vex", "Supplier VEX"

    class State(models.TextChoices):
        OPEN = "open", "Open"
        CONFIRMED = "confirmed", "Confirmed"
        CHANGED = "changed", "Changed before confirming"
        DISMISSED = "dismissed", "Dismissed"

    status = models.CharField(max_length=40, choices=Status.choices)
    justification = models.CharField(max_length=60, choices=Justification.choices, blank=True)
    impact_statement = models.TextField(blank=True)
    action_statement = models.TextField(blank=True)
    fixed_in_version = models.CharField(max_length=100, blank=True)
    source = models.CharField(max_length=20, choices=Source.choices)
    source_label = models.TextField(help_text="Where it comes from, in words")
    source_document_ref = models.TextField(blank=True, help_text="Document, statement or record")
    source_decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["version", "vulnerability", "component_key"], name="triage_proposal_key"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_source_display()}: {self.get_status_display()} ({self.get_state_display()})"
        )


class Environment(models.Model):
    """A product version's CVSS environmental metrics (how it is deployed and used)."""

    version = models.OneToOneField(ProductVersion, on_delete=models.CASCADE, related_name="+")
    cvss3_metrics = models.CharField("CVSS 3.1 environmental metrics", max_length=200, blank=True)
    cvss4_metrics = models.CharField("CVSS 4.0 environmental metrics", max_length=200, blank=True)
    rationale = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"Environment of {self.version_id}"


class Assessment(KeyedRecord):
    """The scores of one finding, each with its inputs and rationale (changes are audited)."""

    class ControlStatus(models.TextChoices):
        CONTROLLED = "controlled", "Controlled"
        UNCONTROLLED = "uncontrolled", "Uncontrolled"

    learned_at = models.DateTimeField(help_text="When the manufacturer learned of it")
    cvss3_vector = models.CharField(max_length=200, blank=True)
    cvss3_base = models.FloatField(null=True, blank=True)
    cvss3_environmental = models.FloatField(null=True, blank=True)
    cvss4_vector = models.CharField(max_length=300, blank=True)
    cvss4_base = models.FloatField(null=True, blank=True)
    cvss4_environmental = models.FloatField(null=True, blank=True)
    rubric_answers = models.JSONField(default=dict, blank=True)
    rubric_vector = models.CharField(max_length=200, blank=True)
    rubric_extended_vector = models.TextField(blank=True)
    rubric_score = models.FloatField(null=True, blank=True)
    rubric_version = models.CharField(max_length=20, blank=True)
    rubric_rationale = models.TextField(blank=True)
    epss_probability = models.FloatField(null=True, blank=True)
    epss_percentile = models.FloatField(null=True, blank=True)
    epss_date = models.DateTimeField(null=True, blank=True)
    kev_listed = models.BooleanField(default=False)
    kev_date_added = models.DateField(null=True, blank=True)
    kev_due_date = models.DateField(null=True, blank=True)
    kev_ransomware = models.BooleanField(default=False)
    exploit_maturity = models.CharField(max_length=30, default="unreported")
    ssvc_exploitation = models.CharField(max_length=20, blank=True)
    ssvc_automatable = models.BooleanField(null=True, blank=True)
    ssvc_technical_impact = models.CharField(max_length=20, blank=True)
    ssvc_mission_prevalence = models.CharField(max_length=20, blank=True)
    ssvc_outcome = models.CharField(max_length=20, blank=True)
    ssvc_vector = models.CharField(max_length=60, blank=True)
    harm_severity = models.CharField(max_length=20, blank=True)
    harm_rationale = models.TextField(blank=True)
    patients_exposed = models.PositiveIntegerField(null=True, blank=True)
    control_status = models.CharField(max_length=20, choices=ControlStatus.choices, blank=True)
    control_rationale = models.TextField(blank=True)
    control_decided_at = models.DateTimeField(null=True, blank=True)
    control_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    priority = models.CharField(max_length=20, default="low")
    priority_reasons = models.JSONField(default=list, blank=True)
    priority_rule = models.CharField(max_length=40, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "vulnerability", "component_key"], name="triage_assessment_once"
            ),
            models.CheckConstraint(
                condition=Q(control_status="") | ~Q(control_rationale=""),
                name="triage_control_status_has_rationale",
                violation_error_message="Say why the risk is controlled or uncontrolled.",
            ),
        ]

    def __str__(self) -> str:
        return f"Scores of {self.vulnerability_id} in {self.component_key}"


class RemediationPlan(KeyedRecord):
    """How a finding is remediated, and the clocks it runs against."""

    fix_in_version = models.CharField(max_length=100, blank=True)
    compensating_controls = models.TextField(blank=True, help_text="What customers can do now")
    customer_communication = models.TextField(blank=True)
    communicated_at = models.DateTimeField(null=True, blank=True)
    remediated_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True, help_text="From the priority policy")
    communicate_due_at = models.DateTimeField(null=True, blank=True, help_text="FDA: 30 days")
    remediate_due_at = models.DateTimeField(null=True, blank=True, help_text="FDA: 60 days")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "vulnerability", "component_key"], name="triage_plan_once"
            )
        ]
        indexes = [models.Index(fields=["due_at"], name="triage_plan_due")]

    def __str__(self) -> str:
        return f"Plan for {self.vulnerability_id} in {self.component_key}"


class DueNotification(models.Model):
    """A notice that a clock is soon due or overdue, per channel; sent once, retried on failure."""

    class Threshold(models.TextChoices):
        SOON_DUE = "soon_due", "Soon due"
        OVERDUE = "overdue", "Overdue"

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        WEBHOOK = "webhook", "Webhook"

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (will be retried)"

    plan = models.ForeignKey(RemediationPlan, on_delete=models.CASCADE, related_name="notices")
    clock = models.CharField(max_length=60)
    due_at = models.DateTimeField()
    threshold = models.CharField(max_length=10, choices=Threshold.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    payload = models.JSONField(default=dict)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "clock", "due_at", "threshold", "channel"],
                name="triage_notice_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_threshold_display()} {self.clock} by {self.channel} ({self.state})"
