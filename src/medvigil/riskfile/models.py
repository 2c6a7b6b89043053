"""The security risk file of a product version: architecture, threats, risks, controls.

One `ThreatModel` per version holds the validated YAML (canonical form) and
its parsed elements; threats are generated from it (stable ids) or written
by hand; each threat may become a `SecurityRisk`; `Control`s mitigate risks
and carry their verifications and impact reviews; `SafetyRiskEntry` rows are
imported from the ISO 14971 safety risk file and linked both ways to risks.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.db import models

from medvigil.core.risk import EXPLOITABILITY, REGIONS, SEVERITY
from medvigil.core.threats import CONTROL_CATEGORIES, CONTROL_CATEGORY_LABELS, STRIDE
from medvigil.portfolio.models import ProductVersion

USER = settings.AUTH_USER_MODEL


def choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(value, value.replace("_", " ").capitalize()) for value in values]


class ThreatModel(models.Model):
    version = models.OneToOneField(
        ProductVersion, on_delete=models.CASCADE, related_name="threat_model"
    )
    name = models.CharField(max_length=300)
    document = models.TextField(help_text="The validated model in canonical YAML")
    uploaded_sha256 = models.CharField(max_length=64)
    diagram_svg = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT)

    def __str__(self) -> str:
        return f"Threat model of {self.version}"


class ArchitectureElement(models.Model):
    KINDS = ("process", "data_store", "external_entity", "data_flow", "trust_boundary")
    threat_model = models.ForeignKey(ThreatModel, on_delete=models.CASCADE, related_name="elements")
    identifier = models.CharField(max_length=64)
    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=choices(KINDS))
    attributes = models.JSONField(default=dict)
    serves_clinical_function = models.BooleanField(default=False)
    serves_emergency_access = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["threat_model", "identifier"], name="architecture_element_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Threat(models.Model):
    class Origin(models.TextChoices):
        GENERATED = "generated", "Generated"
        MANUAL = "manual", "Written by hand"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        MITIGATED = "mitigated", "Mitigated by controls"
        ACCEPTED = "accepted", "Accepted"
        TRANSFERRED = "transferred", "Transferred (labeling, customer)"
        NOT_APPLICABLE = "not_applicable", "Not applicable"
        RETIRED = "retired", "Retired (its rule no longer fires)"

    version = models.ForeignKey(ProductVersion, on_delete=models.CASCADE, related_name="threats")
    identifier = models.CharField(max_length=40)
    origin = models.CharField(max_length=10, choices=Origin.choices)
    rule_id = models.CharField(max_length=60, blank=True)
    stride = models.CharField(max_length=30, choices=choices(STRIDE))
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    edited_title = models.CharField(max_length=300, blank=True)
    edited_description = models.TextField(blank=True)
    targets = models.JSONField(default=list)
    flows = models.JSONField(default=list)
    capec = models.JSONField(default=list)
    cwe = models.JSONField(default=list)
    suggested_controls = models.JSONField(default=list)
    serves_emergency_access = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    decision = models.TextField(blank=True, help_text="Why this status")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["identifier"]
        constraints = [
            models.UniqueConstraint(fields=["version", "identifier"], name="threat_unique")
        ]

    def __str__(self) -> str:
        return f"{self.identifier} {self.shown_title}"

    @property
    def shown_title(self) -> str:
        return self.edited_title or self.title

    @property
    def shown_description(self) -> str:
        return self.edited_description or self.description


class SecurityRisk(models.Model):
    version = models.ForeignKey(ProductVersion, on_delete=models.CASCADE, related_name="risks")
    threat = models.OneToOneField(
        Threat, null=True, blank=True, on_delete=models.SET_NULL, related_name="risk"
    )
    identifier = models.CharField(max_length=20)
    title = models.CharField(max_length=300)
    exploitability = models.CharField(max_length=12, choices=choices(EXPLOITABILITY))
    cvss_vector = models.CharField(max_length=200, blank=True)
    confidentiality = models.CharField(
        max_length=12, choices=choices(SEVERITY), default="negligible"
    )
    integrity = models.CharField(max_length=12, choices=choices(SEVERITY), default="negligible")
    availability = models.CharField(max_length=12, choices=choices(SEVERITY), default="negligible")
    privacy = models.CharField(max_length=12, choices=choices(SEVERITY), default="negligible")
    patient_safety = models.CharField(
        max_length=12, choices=choices(SEVERITY), default="negligible"
    )
    residual_exploitability = models.CharField(
        max_length=12, choices=choices(EXPLOITABILITY), blank=True
    )
    residual_severity = models.CharField(max_length=12, choices=choices(SEVERITY), blank=True)
    severity = models.CharField(max_length=12, choices=choices(SEVERITY))
    region = models.CharField(max_length=12, choices=choices(REGIONS))
    residual_region = models.CharField(max_length=12, choices=choices(REGIONS))
    needs_review = models.BooleanField(default=False)
    review_reason = models.TextField(blank=True)
    reevaluation_needed = models.BooleanField(
        default=False, help_text="A linked vulnerability became more exploitable"
    )
    reevaluation_reason = models.TextField(blank=True)
    # Declared before SafetyRiskEntry, so named by string: the type checker cannot follow
    # it, nor its reverse `SafetyRiskEntry.security_risks`.
    safety_entries = models.ManyToManyField(  # type: ignore[var-annotated]
        "SafetyRiskEntry", blank=True, related_name="security_risks"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["identifier"]
        constraints = [
            models.UniqueConstraint(fields=["version", "identifier"], name="risk_unique")
        ]

    def __str__(self) -> str:
        return f"{self.identifier} {self.title}"


class Control(models.Model):
    class Implementation(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        IMPLEMENTED = "implemented", "Implemented"
        NOT_IMPLEMENTED = "not_implemented", "Not implemented"

    version = models.ForeignKey(ProductVersion, on_delete=models.CASCADE, related_name="controls")
    identifier = models.CharField(max_length=20)
    name = models.CharField(max_length=300)
    category = models.CharField(
        max_length=40, choices=[(key, CONTROL_CATEGORY_LABELS[key]) for key in CONTROL_CATEGORIES]
    )
    requirement = models.TextField()
    implementation = models.CharField(
        max_length=20, choices=Implementation.choices, default=Implementation.PLANNED
    )
    elements = models.JSONField(default=list, help_text="Architecture element ids it touches")
    risks = models.ManyToManyField(SecurityRisk, blank=True, related_name="controls")

    class Meta:
        ordering = ["identifier"]
        constraints = [
            models.UniqueConstraint(fields=["version", "identifier"], name="control_unique")
        ]

    def __str__(self) -> str:
        return f"{self.identifier} {self.name}"


class Verification(models.Model):
    class Result(models.TextChoices):
        PASSED = "passed", "Passed"
        FAILED = "failed", "Failed"
        NOT_RUN = "not_run", "Not run yet"

    control = models.ForeignKey(Control, on_delete=models.CASCADE, related_name="verifications")
    test_reference = models.CharField(max_length=300)
    result = models.CharField(max_length=10, choices=Result.choices)
    evidence = models.FileField(upload_to="riskfile/evidence/%Y/", blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    performed_on = models.DateField()
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["-performed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.test_reference}: {self.result}"


class ControlImpactReview(models.Model):
    """A recorded review that a control leaves a clinical function available."""

    control = models.ForeignKey(Control, on_delete=models.CASCADE, related_name="impact_reviews")
    element = models.CharField(max_length=64)
    function_stays_available = models.BooleanField()
    rationale = models.TextField(help_text="How the function stays available, e.g. break-glass")
    reviewed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT)
    reviewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["control", "element"], name="impact_review_unique")
        ]

    def __str__(self) -> str:
        return f"Impact review of {self.control} on {self.element}"


class BenefitRiskRecord(models.Model):
    """ISO 14971 7.4 / TIR57 6.5 benefit-risk analysis of one residual risk; signed."""

    risk = models.OneToOneField(SecurityRisk, on_delete=models.CASCADE, related_name="benefit_risk")
    benefits = models.TextField()
    conclusion = models.TextField()
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Benefit-risk analysis of {self.risk}"

    def signed_content(self) -> bytes:
        return json.dumps(
            {
                "risk": self.risk.identifier,
                "residual_region": self.risk.residual_region,
                "benefits": self.benefits,
                "conclusion": self.conclusion,
            },
            sort_keys=True,
        ).encode()


class SafetyRiskEntry(models.Model):
    """A row of the ISO 14971 safety risk file, imported from CSV with its own id."""

    version = models.ForeignKey(
        ProductVersion, on_delete=models.CASCADE, related_name="safety_entries"
    )
    identifier = models.CharField(max_length=60)
    hazard = models.TextField()
    hazardous_situation = models.TextField()
    harm = models.TextField()
    severity = models.CharField(max_length=12, choices=choices(SEVERITY), blank=True)
    needs_review = models.BooleanField(default=False)
    review_reason = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["identifier"]
        constraints = [
            models.UniqueConstraint(fields=["version", "identifier"], name="safety_entry_unique")
        ]

    def __str__(self) -> str:
        return f"{self.identifier} {self.hazard}"


class VulnerabilityLink(models.Model):
    """A vulnerability (or one finding of it) that bears on a threat or a risk of the version.

    `exploitability` is the state last seen (KEV, EPSS, exploit references);
    after each feed import it is compared with the current one, and a change
    for the worse flags the risk for re-evaluation.
    """

    version = models.ForeignKey(
        ProductVersion, on_delete=models.CASCADE, related_name="vulnerability_links"
    )
    vulnerability = models.ForeignKey(
        "vulns.Vulnerability", on_delete=models.PROTECT, related_name="+"
    )
    finding = models.ForeignKey(
        "vulns.Finding", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    threat = models.ForeignKey(
        Threat, null=True, blank=True, on_delete=models.CASCADE, related_name="vulnerability_links"
    )
    risk = models.ForeignKey(
        SecurityRisk,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="vulnerability_links",
    )
    rationale = models.TextField()
    exploitability = models.JSONField(default=dict)
    last_reasons = models.JSONField(default=list, help_text="Reasons of the last change found")
    checked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(threat__isnull=False) | models.Q(risk__isnull=False),
                name="vulnerability_link_has_target",
                violation_error_message="A vulnerability is linked to a threat or a risk.",
            )
        ]

    def __str__(self) -> str:
        target = self.risk or self.threat
        return f"{self.vulnerability_id} linked to {target}"

    @property
    def flagged_risk(self) -> SecurityRisk | None:
        """The risk a change flags: the linked risk, or the linked threat's risk."""
        if self.risk is not None:
            return self.risk
        return getattr(self.threat, "risk", None) if self.threat is not None else None
