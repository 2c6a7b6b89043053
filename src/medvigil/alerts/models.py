"""Subscriptions, the events they match, inbox alerts and the deliveries by email and webhook.

Exactly once: an `AlertEvent` is unique by its `key` (what happened, to
what, at which threshold), an inbox `Alert` by (event, recipient) and a
`Delivery` by (event, channel, target). Workers insert with conflicts
ignored, so retries and concurrent workers never duplicate anything.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from medvigil.accounts.models import Team
from medvigil.portfolio.models import Product, ProductVersion


class EventKind(models.TextChoices):
    FINDING_NEW = "finding-new", "New finding"
    FINDING_KEV = "finding-kev", "Finding's vulnerability in CISA KEV"
    EPSS_CROSSED = "epss-crossed", "EPSS score crossed a threshold"
    ADVISORY_CHANGED = "advisory-changed", "Advisory changed or withdrawn under an open finding"
    CLOCK_DUE = "clock-due", "Remediation clock due soon or overdue"
    DISCLOSURE_REPORT = "disclosure-report", "New disclosure report"
    SUPPLIER_DOCUMENT = "supplier-document", "Supplier document arrived"


class Mode(models.TextChoices):
    IMMEDIATE = "immediate", "Immediately"
    DIGEST = "digest", "Daily digest"


class Webhook(models.Model):
    """Where alerts are posted: a person's or a team's; the signing secret is stored encrypted."""

    class Flavour(models.TextChoices):
        GENERIC = "generic", "JSON (signed)"
        SLACK = "slack", "Slack incoming webhook"
        TEAMS = "teams", "Microsoft Teams incoming webhook"

    name = models.CharField(max_length=100)
    url = models.URLField(max_length=1000)
    flavour = models.CharField(max_length=10, choices=Flavour.choices, default=Flavour.GENERIC)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alert_webhooks",
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.CASCADE, related_name="alert_webhooks"
    )
    secret_sealed = models.TextField(help_text="The HMAC secret, Fernet-encrypted")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(owner__isnull=True, team__isnull=False)
                | models.Q(owner__isnull=False, team__isnull=True),
                name="alerts_webhook_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Subscription(models.Model):
    """What someone (a person, or a team set up by an administrator) wants to be told about."""

    name = models.CharField(max_length=100)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alert_subscriptions",
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.CASCADE, related_name="alert_subscriptions"
    )
    kinds = models.JSONField(default=list, help_text="Event kinds (EventKind values)")
    minimum_severity = models.CharField(max_length=10, blank=True)
    minimum_priority = models.CharField(max_length=10, blank=True)
    epss_threshold = models.FloatField(null=True, blank=True)
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    version = models.ForeignKey(
        ProductVersion, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    product_team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Only events about this team's products",
    )
    email = models.BooleanField(default=False)
    webhook = models.ForeignKey(
        Webhook, null=True, blank=True, on_delete=models.SET_NULL, related_name="subscriptions"
    )
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.IMMEDIATE)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(owner__isnull=True, team__isnull=False)
                | models.Q(owner__isnull=False, team__isnull=True),
                name="alerts_subscription_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.name


class AlertEvent(models.Model):
    """Something a subscription may match; `key` makes it happen once whoever notices it."""

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    occurred_at = models.DateTimeField()
    title = models.CharField(max_length=300)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=100)
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    version = models.ForeignKey(
        ProductVersion, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    severity = models.CharField(max_length=10, blank=True)
    priority = models.CharField(max_length=10, blank=True)
    threshold = models.FloatField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)
    audit_sequence = models.PositiveBigIntegerField(null=True, blank=True)
    fanned_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["fanned_out_at"], name="alerts_event_pending")]

    def __str__(self) -> str:
        return self.title


class Alert(models.Model):
    """One event in one person's inbox."""

    event = models.ForeignKey(AlertEvent, on_delete=models.CASCADE, related_name="alerts")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts"
    )
    subscription = models.ForeignKey(
        Subscription, null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts"
    )
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "recipient"], name="alerts_alert_once")
        ]
        # The navigation's unread count is one count over this index.
        indexes = [models.Index(fields=["recipient", "read_at"], name="alerts_unread")]

    def __str__(self) -> str:
        return f"{self.event} for {self.recipient_id}"


class Delivery(models.Model):
    """One event sent (or to be sent) once to one address or webhook; every attempt counted."""

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        WEBHOOK = "webhook", "Webhook"

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        HELD = "held", "Held for the digest"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (will retry)"
        GAVE_UP = "gave-up", "Gave up"

    event = models.ForeignKey(AlertEvent, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(
        Subscription, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    target = models.CharField(max_length=50, help_text="user:<id> or webhook:<id>")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    webhook = models.ForeignKey(
        Webhook, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.IMMEDIATE)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True, help_text="The claiming worker's token")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["event", "channel", "target"], name="alerts_delivery_once"
            )
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="alerts_delivery_due")]

    def __str__(self) -> str:
        return f"{self.channel} {self.target}: {self.event}"


class Cursor(models.Model):
    """How far a reader has gone (the audit sequence, or a time); moved by compare-and-set."""

    name = models.CharField(max_length=50, unique=True)
    position = models.PositiveBigIntegerField(default=0)
    moved_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} at {self.position}"
