"""An issued report: the frozen snapshot of a report built from live data, which people sign."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from medvigil.portfolio.models import ProductVersion
from medvigil.reports.document import Report, report_from_json


class IssuedReport(models.Model):
    """Never edited: a newer state of the data is a new issue with the next number."""

    kind = models.CharField(max_length=50)
    version = models.ForeignKey(ProductVersion, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    identifier = models.CharField(max_length=200)
    snapshot = models.TextField(help_text="Canonical JSON of the report")
    sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["version", "kind", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version", "number"], name="report_issue_once")
        ]

    def __str__(self) -> str:
        return self.identifier

    def signed_content(self) -> bytes:
        return self.snapshot.encode("utf-8")

    def document(self) -> Report:
        return report_from_json(self.snapshot)
