"""The dashboard's finding counts per product version, kept instead of counted per request."""

from __future__ import annotations

from django.db import models

from medvigil.portfolio.models import ProductVersion


class FindingTally(models.Model):
    """Open findings of one version, and those of them listed in KEV, as last counted.

    Recounted by the workers (`medvigil.vulns.tallies`); the dashboard adds up
    the tallies of the versions its viewer may see, a row per version.
    """

    version = models.OneToOneField(
        ProductVersion, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    open = models.PositiveIntegerField(default=0)
    kev = models.PositiveIntegerField(default=0)
    counted_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"version {self.version_id}: {self.open} open, {self.kev} in KEV"
