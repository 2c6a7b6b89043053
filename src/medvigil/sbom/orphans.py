"""Stored SBOM files that no document references, left by an import killed mid-way.

An import writes the file first and then commits the document that names
it; a failing import deletes the file, but a killed one cannot. Workers sweep
such files with their heartbeat (at most once per `SWEEP_INTERVAL`), leaving
alone any file younger than `GRACE`, which may belong to an import still
running.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from django.core.files.storage import default_storage
from django.utils import timezone

from medvigil.sbom.models import SbomDocument

FOLDER = "sbom"
GRACE = timedelta(hours=1)
SWEEP_INTERVAL_SECONDS = 3600.0
last_sweep: list[float] = []  # monotonic time of this process's last sweep


def stored_files(folder: str = FOLDER) -> list[str]:
    if not default_storage.exists(folder):
        return []
    folders, files = default_storage.listdir(folder)
    found = [f"{folder}/{name}" for name in files]
    for child in folders:
        found.extend(stored_files(f"{folder}/{child}"))
    return found


def sweep_orphaned_files(grace: timedelta = GRACE, now: datetime | None = None) -> list[str]:
    """Delete stored SBOM files that no document references; returns their names."""
    threshold = (now or timezone.now()) - grace
    referenced = set(SbomDocument.objects.values_list("file", flat=True))
    removed = []
    for name in stored_files():
        if name in referenced or default_storage.get_modified_time(name) > threshold:
            continue
        default_storage.delete(name)
        removed.append(name)
    return removed


def sweep_when_due() -> list[str]:
    """The periodic form: one sweep an hour per worker process."""
    moment = time.monotonic()
    if last_sweep and moment - last_sweep[-1] < SWEEP_INTERVAL_SECONDS:
        return []
    last_sweep[:] = [moment]
    return sweep_orphaned_files()
