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
