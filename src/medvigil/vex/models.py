"""Supplier VEX documents imported for a product version, kept byte for byte.

The statements are not stored as rows: each one that matched a finding
became a triage proposal pointing back at this document, and `outcomes`
records, per statement, what was made of it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from medvigil.portfolio.models import ProductVersion


class SupplierVex(models.Model):
    class Format(models.TextChoices):
        CYCLONEDX = "cyclonedx", "CycloneDX VEX"
        OPENVEX = "openvex", "OpenVEX"
        CSAF = "csaf", "CSAF VEX"

    version = models.ForeignKey(ProductVersion, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveIntegerField()
    content = models.BinaryField(help_text="The document as uploaded")
    format = models.CharField(max_length=20, choices=Format.choices)
    identifier = models.TextField(blank=True, help_text="Serial number, @id or tracking id")
    author = models.TextField(blank=True)
    issued_at = models.DateTimeField(null=True, blank=True, help_text="Timestamp in the document")
    statement_count = models.PositiveIntegerField()
    proposal_count = models.PositiveIntegerField()
    outcomes = models.JSONField(default=list, help_text="Per statement: what it said and became")
    skipped = models.JSONField(default=list, help_text="Entries that carried no statement")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = "supplier VEX document"
        constraints = [
            models.UniqueConstraint(fields=["version", "sha256"], name="vex_document_once")
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_format_display()})"
