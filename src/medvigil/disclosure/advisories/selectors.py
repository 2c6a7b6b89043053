"""Reads of advisories and CVE ids for pages, the API and the CSAF provider directory."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from medvigil.core import csaf
from medvigil.core.cve5_writer import build_cve_record, cve_record_json
from medvigil.disclosure.advisories.documents import cve_record_input
from medvigil.disclosure.advisories.models import (
    Advisory,
    AdvisoryRevision,
    CveAssignment,
    TlpLabel,
)
from medvigil.disclosure.advisories.policies import authorable_cases
from medvigil.disclosure.advisories.services import Locations
from medvigil.disclosure.cases.models import Case
from medvigil.platform import permissions


def advisories(user: Any) -> QuerySet[Advisory]:
    rows = Advisory.objects.select_related("case", "created_by")
    return permissions.visible(user, rows)


def advisory(user: Any, advisory_id: int) -> Advisory:
    return permissions.get_visible(user, advisories(user), pk=advisory_id)


def cases_to_write_about(user: Any) -> QuerySet[Case]:
    """Cases with a confirmed affected version that `user` may write an advisory about."""
    rows = Case.objects.filter(affected_versions__isnull=False).distinct()
    return authorable_cases(user, rows)


def case_to_write_about(user: Any, case_id: int) -> Case:
    """The case of a new advisory, or Http404 when the user may not write about it."""
    return get_object_or_404(authorable_cases(user, Case.objects.all()), pk=case_id)


def cve_assignments(user: Any) -> QuerySet[CveAssignment]:
    return permissions.visible(user, CveAssignment.objects.select_related("case"))


def latest_revisions() -> list[AdvisoryRevision]:
    """The newest revision of every advisory published as TLP:WHITE (public)."""
    newest: dict[int, AdvisoryRevision] = {}
    rows = (
        AdvisoryRevision.objects.filter(tlp=TlpLabel.WHITE)
        .select_related("advisory")
        .defer("document", "signature")  # loaded only for the one file asked for
    )
    for revision in rows.order_by("advisory_id", "number"):
        newest[revision.advisory_id] = revision
    return sorted(newest.values(), key=lambda item: item.published_at, reverse=True)


def public_revision(tracking_id: str) -> AdvisoryRevision:
    for revision in latest_revisions():
        if revision.advisory.tracking_id == tracking_id:
            return revision
    raise Http404("No published advisory with this id.")


def directory_revision(year: int, filename: str) -> AdvisoryRevision:
    for revision in latest_revisions():
        if revision.year == year and revision.filename == filename:
            return revision
    raise Http404("No such document in the directory.")


def first_release(revision: AdvisoryRevision) -> Any:
    first = revision.advisory.revisions.order_by("number").first()
    return first.published_at if first else revision.published_at


def directory_entries() -> tuple[csaf.DirectoryEntry, ...]:
    return tuple(
        csaf.DirectoryEntry(
            tracking_id=revision.advisory.tracking_id,
            title=revision.advisory.title,
            year=revision.year,
            filename=revision.filename,
            initial_release=first_release(revision),
            current_release=revision.published_at,
        )
        for revision in latest_revisions()
    )


def revision_history(advisory: Advisory) -> QuerySet[AdvisoryRevision]:
    return advisory.revisions.order_by("number")


def locations(base_url: str, advisory: Advisory) -> Locations:
    """Where the advisory's next revision will be published (page and CSAF document)."""
    first = advisory.revisions.order_by("number").first()
    year = first.year if first else timezone.now().year
    filename = csaf.document_filename(advisory.tracking_id)
    return Locations(
        base_url=base_url,
        page_url=base_url + reverse("advisories:public-page", args=[advisory.tracking_id]),
        document_url=base_url + reverse("csaf:document", args=[year, filename]),
    )


def cve_record_bytes(user: Any, cve_id: str, base_url: str) -> bytes:
    """The CVE JSON 5 record of a recorded CVE id, for submission; CveWriteError if incomplete."""
    assignment = get_object_or_404(cve_assignments(user), cve_id=cve_id)
    advisory = assignment.case.advisories.order_by("created_at").first()
    published = advisory.revisions.order_by("number").first() if advisory else None
    updated = advisory.revisions.order_by("number").last() if advisory else None
    where = locations(base_url, advisory) if advisory else None
    record = build_cve_record(
        cve_record_input(
            assignment,
            published=published.published_at if published else assignment.recorded_at,
            updated=updated.published_at if updated else assignment.recorded_at,
            advisory_url=where.page_url if where else None,
        )
    )
    return cve_record_json(record)
