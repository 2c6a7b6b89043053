from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """The last sign of life of each task worker process, for `medvigil check`."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    process_id = models.PositiveIntegerField()
    queues = models.CharField(max_length=255)
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "web_workerheartbeat"  # created by the web app before the platform had its own
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.process_id})"


class RateRecord(models.Model):
    """One attempt at a limited write by one subject (an address, an e-mail, a case).

    The subject is stored only as a keyed hash. A record with `refused` set marks
    that the subject was refused in the window, so a refusal is told once per window.
    """

    scope = models.CharField(max_length=40)
    subject_hash = models.CharField(max_length=64)
    occurred_at = models.DateTimeField()
    refused = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["scope", "subject_hash", "occurred_at"], name="rate_subject"),
            models.Index(fields=["scope", "occurred_at"], name="rate_scope_age"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.subject_hash[:8]} {self.occurred_at}"
