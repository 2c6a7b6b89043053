"""What the intake keeps beside a case: attachments and reporter keys.

Attachments are encrypted files under MEDIA_ROOT/disclosure/; replies encrypted
to a reporter's own OpenPGP key are kept as sent.
"""

from __future__ import annotations

from django.db import models

from medvigil.disclosure.cases.models import Case, Message


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
