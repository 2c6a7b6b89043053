"""Listen to the vulnerability app: a finished feed import re-checks the linked vulnerabilities.

The vulnerability app saves its `FeedImport` with a final status when an
import ends (KEV, EPSS or advisories); that save is the signal, so the
vulnerability app never needs to know about the risk file. The task is
queued in the transaction of that save, so a rolled-back outcome queues
nothing and a committed one always carries its re-check.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from medvigil.riskfile.models import VulnerabilityLink
from medvigil.riskfile.tasks import recheck_links_task
from medvigil.vulns.models import FeedImport

FINISHED = (FeedImport.Status.SUCCEEDED, FeedImport.Status.PARTIAL)


@receiver(post_save, sender=FeedImport, dispatch_uid="riskfile.recheck-after-feed-import")
def recheck_after_import(sender: Any, instance: FeedImport, **_: Any) -> None:
    if instance.status in FINISHED and VulnerabilityLink.objects.exists():
        # In the import's transaction: the outcome is never committed without its re-check.
        recheck_links_task.enqueue()
