"""People's statements about what a component is, for components matching cannot place alone.

A `CpeConfirmation` says "this component identity is the CPE product
vendor:product": it is made once per identity (the purl without version, or
the folded name plus supplier) and reused by every version and product that
carries the component. A `ProductMapping` says "this name, model number, CPE
or purl in a CSAF advisory designates this component identity". Both are
withdrawn, never deleted, so the audit trail and the findings they produced
keep their meaning.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class CpeConfirmation(models.Model):
    """A person's confirmation that a component identity is a CPE product."""

    identity = models.CharField(max_length=500, help_text="Component identity (see sbom)")
    supplier = models.CharField(
        max_length=300, blank=True, help_text="Folded supplier, for identities without a purl"
    )
    part = models.CharField(max_length=1, default="a", help_text="CPE part: a, o or h")
    vendor = models.CharField(max_length=200)
    product = models.CharField(max_length=200)
    note = models.TextField()
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField()
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdraw_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["identity", "supplier", "-confirmed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["identity", "supplier"],
                condition=Q(withdrawn_at__isnull=True),
                name="cpe_confirmation_once",
                violation_error_message="This component identity already has a confirmed CPE.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.identity} → {self.cpe}"

    @property
    def cpe(self) -> str:
        """The confirmed product as a CPE 2.3 name with every version."""
        return f"cpe:2.3:{self.part}:{self.vendor}:{self.product}:*:*:*:*:*:*:*:*"


class ProductMapping(models.Model):
    """A CSAF product designation that names a component identity."""

    class Kind(models.TextChoices):
        NAME = "name", "Vendor and product name"
        MODEL = "model", "Model number"
        CPE = "cpe", "CPE"
        PURL = "purl", "purl"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    vendor = models.CharField(max_length=300, blank=True, help_text="Folded CSAF vendor")
    value = models.CharField(max_length=500, help_text="Folded name, model number, CPE or purl")
    identity = models.CharField(max_length=500, help_text="Component identity it designates")
    supplier = models.CharField(max_length=300, blank=True)
    note = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdraw_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["vendor", "value", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "vendor", "value", "identity", "supplier"],
                condition=Q(withdrawn_at__isnull=True),
                name="product_mapping_once",
                violation_error_message="This designation already names this component identity.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.vendor}/{self.value} → {self.identity}"
