"""Notifications to regulators and coordinators recorded on a case, with their deadlines."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from medvigil.disclosure.cases.models import Case


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
    available); `due_at` follows from the rule (medvigil.core.deadlines).
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
