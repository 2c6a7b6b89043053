"""Other parties on a case (supplier, coordinator, hospital, another manufacturer) and their
threads: what the PSIRT writes to them, what they write back, and what is shared with them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from medvigil.disclosure.cases.models import Case, Message


class PartyKind(models.TextChoices):
    SUPPLIER = "supplier", "Supplier"
    COORDINATOR = "coordinator", "Coordinator (CISA, CERT/CC, CSIRT)"
    HOSPITAL = "hospital", "Hospital (healthcare delivery organisation)"
    MANUFACTURER = "manufacturer", "Other manufacturer"


class CaseParty(models.Model):
    """Another party on a case, with its own limited view.

    It reaches the case through an account (`user`) or a secret link whose
    SHA-256 only is kept (`access_token_hash`); what it may see beyond the
    summary and its own thread is opted in per party.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    kind = models.CharField(max_length=20, choices=PartyKind.choices)
    name = models.CharField(max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disclosure_parties",
    )
    access_token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    sees_report = models.BooleanField(
        default=False, help_text="Shown the report's description, steps and impact"
    )
    sees_reporter_contact = models.BooleanField(
        default=False, help_text="Shown the reporter's name and email"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["invited_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(access_token_hash__isnull=False),
                name="case_party_has_a_way_in",
                violation_error_message="A party reaches the case by an account or a link.",
            ),
            models.UniqueConstraint(
                fields=["case", "user"],
                name="case_party_user_once",
                condition=Q(user__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.name} ({self.kind})"


class PartyMessage(models.Model):
    """A message between the PSIRT and one party (never seen by the reporter)."""

    party = models.ForeignKey(CaseParty, on_delete=models.CASCADE, related_name="messages")
    from_party = models.BooleanField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    body_sealed = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.party} {'from' if self.from_party else 'to'} {self.created_at:%Y-%m-%d}"


class SharedMessage(models.Model):
    """A message of the reporter thread that a handler shared with one party."""

    party = models.ForeignKey(CaseParty, on_delete=models.CASCADE, related_name="shared")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="+")
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    shared_at = models.DateTimeField()

    class Meta:
        ordering = ["shared_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["party", "message"], name="shared_message_once")
        ]

    def __str__(self) -> str:
        return f"message {self.message_id} shared with {self.party_id}"
