from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One append-only entry of the audit trail, chained to the one before it.

    `hash` is SHA-256 over `previous_hash` and the canonical JSON of the
    event (see `medvigil.audit.chain`). The database refuses UPDATE and
    DELETE on this table (triggers created by migration 0002).
    """

    sequence = models.PositiveBigIntegerField(unique=True)
    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    actor_label = models.CharField(max_length=255)
    token_id = models.PositiveBigIntegerField(null=True, blank=True)
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100, db_index=True)
    object_id = models.CharField(max_length=100, db_index=True, blank=True)
    object_label = models.CharField(max_length=255, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    details = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    client_address = models.CharField(max_length=64, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-sequence"]
        indexes = [models.Index(fields=["object_type", "object_id", "sequence"])]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type}:{self.object_id}"


class Signature(models.Model):
    """An electronic signature: who signed which record, meaning what, over which content.

    The signed record is named like an audit event's object (`object_type`
    "app_label.model_name", `object_id` its primary key), so any model can be
    signed. `content_hash` is the SHA-256 of the record's `signed_content()`
    at signing time: when the record changes, the hash no longer matches and
    the signature shows as invalidated. Signatures are never deleted.
    """

    class Meaning(models.TextChoices):
        AUTHORED = "authored", "Authored"
        REVIEWED = "reviewed", "Reviewed"
        APPROVED = "approved", "Approved"
        RELEASED = "released", "Released"

    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=100)
    object_label = models.CharField(max_length=255, blank=True)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signatures"
    )
    signer_username = models.CharField(max_length=150)
    printed_name = models.CharField(max_length=200)
    meaning = models.CharField(max_length=20, choices=Meaning.choices)
    reason = models.CharField(max_length=500, blank=True)
    signed_at = models.DateTimeField()
    content_hash = models.CharField(max_length=64)
    audit_event = models.OneToOneField(
        AuditEvent, on_delete=models.PROTECT, related_name="signature"
    )

    class Meta:
        ordering = ["signed_at", "id"]
        indexes = [models.Index(fields=["object_type", "object_id", "signed_at"])]

    def __str__(self) -> str:
        meaning = self.get_meaning_display()
        return f"{meaning} by {self.printed_name} on {self.object_type}:{self.object_id}"


class AuditEventLink(models.Model):
    """One more object an event is about, beside its own (`object_type`, `object_id`).

    A batch event (matching opens and closes many findings at once) names
    every object it changed in its hash-chained `details`; these rows index
    them, so each object's history finds the batch. They are derived from
    the chained details and written in the same transaction as the event.
    """

    event = models.ForeignKey(AuditEvent, on_delete=models.PROTECT, related_name="links")
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=100)

    class Meta:
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_link_object")]

    def __str__(self) -> str:
        return f"#{self.event_id} also {self.object_type}:{self.object_id}"
