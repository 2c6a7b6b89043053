"""The re-check of linked vulnerabilities is queued in the transaction of the feed import's outcome.

Before, it was queued after the commit (`on_commit`): a process killed between
the two recorded the import as finished and never re-checked the risks linked
to what it changed. Now a rolled-back outcome queues nothing and a committed
one always carries its re-check.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from medvigil.riskfile import vulnerabilities
from medvigil.vulns.models import FeedImport
from tests import factories
from tests.riskfile.conftest import Place
from tests.riskfile.test_vulnerabilities import (
    GIT_CVE,
    GIT_GHSA,
    assessed_risk,
    osv_record,
    vulnerabilities_of,
)

RECHECK = "medvigil.riskfile.tasks.recheck_links_task"


class Undone(Exception):
    """Raised to roll a transaction back, as any failure after the write would."""


def undone(newer: bytes) -> None:
    """Import in a transaction, check the re-check is queued there, then roll it all back."""
    with transaction.atomic():
        factories.feed_import(newer, "osv")
        assert rechecks() == 1
        raise Undone


def rechecks() -> int:
    return DBTaskResult.objects.filter(task_path=RECHECK).count()


@pytest.mark.django_db
def test_a_feed_import_queues_its_re_check_with_its_outcome_or_not_at_all(place: Place) -> None:
    factories.feed_import(osv_record(GIT_GHSA, GIT_CVE, "2025-07-08T00:00:00Z", []), "osv")
    risk = assessed_risk(place)
    vulnerabilities.link_vulnerability(
        place.version,
        rationale="Git in the update path.",
        threat=risk.threat,
        **vulnerabilities_of(place, GIT_CVE),
    )
    DBTaskResult.objects.all().delete()
    newer = osv_record(GIT_GHSA, GIT_CVE, "2025-07-20T00:00:00Z", [])
    imports = FeedImport.objects.count()
    with pytest.raises(Undone):  # queued in the transaction that records the outcome
        undone(newer)
    assert FeedImport.objects.count() == imports
    assert rechecks() == 0

    factories.feed_import(newer, "osv")
    assert rechecks() == 1
