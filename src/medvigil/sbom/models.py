"""SBOM documents of a product version, their components and dependency edges.

A document keeps the uploaded bytes unchanged in the default storage (with
their SHA-256) beside what `medvigil.core.sbom.parse_sbom` read from them, so
every component can be traced to the exact document. Rows are written only
by `medvigil.sbom.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from medvigil.accounts.models import Organisation
from medvigil.portfolio.models import ProductVersion

# Longest text accepted in an indexed component field (the import refuses longer ones).
MAX_INDEXED_LENGTH = 1000


class DocumentRole(models.TextChoices):
    FIRMWARE = "firmware", "Firmware"
    APPLICATION = "application", "Application"
    OPERATING_SYSTEM = "operating-system", "Operating system"
    THIRD_PARTY = "third-party", "Third-party module"
    HARDWARE = "hardware", "Hardware"
    OTHER = "other", "Other"


class LevelOfSupport(models.TextChoices):
    """The controlled values of `medvigil.core.sbom.model.LevelOfSupport`."""

    ACTIVELY_MAINTAINED = "actively maintained", "Actively maintained"
    NO_LONGER_MAINTAINED = "no longer maintained", "No longer maintained"
    ABANDONED = "abandoned", "Abandoned"
    UNKNOWN = "unknown", "Unknown"


class SbomDocument(models.Model):
    """One uploaded SBOM of a product version (a version may have several)."""

    version = models.ForeignKey(
        ProductVersion, on_delete=models.PROTECT, related_name="sbom_documents"
    )
    role = models.CharField(max_length=30, choices=DocumentRole.choices)
    # Room for supplier intake: the organisation that sent this SBOM, if any.
    supplied_by = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(upload_to="sbom/", max_length=300)
    filename = models.CharField(max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    size = models.PositiveBigIntegerField()
    format = models.CharField(max_length=20)
    spec_version = models.CharField(max_length=10)
    serialisation = models.CharField(max_length=20)
    serial = models.TextField(blank=True)
    name = models.TextField(blank=True)
    authors = models.JSONField(default=list)
    tools = models.JSONField(default=list)
    created = models.DateTimeField(null=True, blank=True, help_text="Timestamp in the document")
    primary_reference = models.TextField(blank=True)
    warnings = models.JSONField(default=list)
    component_count = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["version", "uploaded_at", "id"]
        verbose_name = "SBOM document"
        constraints = [
            models.UniqueConstraint(fields=["version", "sha256"], name="sbom_document_once")
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_role_display()}) of {self.version}"


class Component(models.Model):
    """A component read from one document; `identity` pairs it across documents."""

    document = models.ForeignKey(SbomDocument, on_delete=models.CASCADE, related_name="components")
    position = models.PositiveIntegerField(help_text="Order in the document")
    is_primary = models.BooleanField(
        default=False, help_text="The component the document describes"
    )
    reference = models.TextField(help_text="CycloneDX bom-ref or SPDX SPDXID")
    type = models.CharField(max_length=50, blank=True)
    name = models.TextField()
    version = models.TextField(blank=True)
    group = models.TextField(blank=True)
    supplier = models.TextField(blank=True)
    purl = models.TextField(blank=True, help_text="Canonical purl")
    purl_original = models.TextField(blank=True)
    cpe = models.TextField("CPE", blank=True)
    swid_tag_id = models.TextField("SWID tag id", blank=True)
    identity = models.TextField(help_text="purl without version, else group/name, folded")
    hashes = models.JSONField(default=list)
    licenses = models.JSONField(default=list)
    properties = models.JSONField(default=list)
    warnings = models.JSONField(default=list)
    level_of_support = models.CharField(max_length=30, choices=LevelOfSupport.choices, blank=True)
    end_of_support = models.DateField(null=True, blank=True)
    # Empty when the values come from the document itself.
    support_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    support_set_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["document", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "reference"], name="sbom_component_reference_once"
            )
        ]
        indexes = [
            models.Index(fields=["name"], name="sbom_component_name"),
            models.Index(fields=["purl"], name="sbom_component_purl"),
            models.Index(fields=["identity", "version"], name="sbom_component_identity"),
            # Component search by name, any case (`medvigil.sbom.search`). The CPE
            # index it also uses differs per database: see its migration.
            models.Index(Lower("name"), name="sbom_component_name_folded"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.version}".strip()


class Dependency(models.Model):
    """`source` depends on `target` (or on `target_reference` outside the document)."""

    document = models.ForeignKey(
        SbomDocument, on_delete=models.CASCADE, related_name="dependencies"
    )
    source = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(
        Component, null=True, on_delete=models.CASCADE, related_name="dependents"
    )
    target_reference = models.TextField()

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "dependencies"

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_reference}"
