"""Issuing a report: build it from live data, freeze the snapshot, audit it."""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from medvigil.audit.services import record
from medvigil.portfolio.models import ProductVersion
from medvigil.reports import kinds
from medvigil.reports.document import Report, report_to_json
from medvigil.reports.models import IssuedReport


def issue_report(user: Any, kind: str, version: ProductVersion, report: Report) -> IssuedReport:
    """Store `report` as the next issue of `kind` for `version`; the caller checked permission."""
    with transaction.atomic():
        # Lock the version row so two simultaneous issues cannot take the same number.
        ProductVersion.objects.select_for_update().filter(pk=version.pk).first()
        last = IssuedReport.objects.filter(kind=kind, version=version).aggregate(Max("number"))
        number = (last["number__max"] or 0) + 1
        frozen = dataclasses.replace(report, identifier=f"{report.identifier} issue {number}")
        snapshot = report_to_json(frozen)
        issued = IssuedReport.objects.create(
            kind=kind,
            version=version,
            number=number,
            title=frozen.title[:300],
            identifier=frozen.identifier[:200],
            snapshot=snapshot,
            sha256=hashlib.sha256(snapshot.encode("utf-8")).hexdigest(),
            created_by=user,
            created_at=timezone.now(),
        )
        record("report-issued", issued, details={"kind": kind, "sha256": issued.sha256})
    return issued


def issue(user: Any, kind_slug: str, version: ProductVersion) -> IssuedReport:
    """Build the registered kind from the live data and issue it; KeyError for an unknown kind."""
    registered = kinds.kind(kind_slug)
    return issue_report(user, kind_slug, version, registered.build(version))
