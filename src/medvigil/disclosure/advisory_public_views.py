"""Public advisory pages (no account) and the CVE id pages of handlers.

The public page shows the published CSAF document itself (its latest
TLP:WHITE revision), so what people read is what machines read.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from medvigil.core.cve5_writer import CveWriteError, build_cve_record, cve_record_json
from medvigil.disclosure import advisory_selectors, advisory_services
from medvigil.disclosure.advisory_documents import cve_record_input
from medvigil.disclosure.advisory_forms import CveForm
from medvigil.disclosure.advisory_policies import is_author
from medvigil.disclosure.models import Case
from medvigil.disclosure.policies import is_handler
from medvigil.disclosure.portal import base_url


def public_list(request: HttpRequest) -> HttpResponse:
    context = {
        "revisions": advisory_selectors.latest_revisions(),
        "author": request.user.is_authenticated and is_author(request.user),
    }
    return render(request, "disclosure/advisory_public_list.html", context)


def _products(document: dict[str, Any]) -> dict[str, str]:
    names: dict[str, str] = {}

    def walk(branches: list[dict[str, Any]]) -> None:
        for branch in branches:
            if "product" in branch:
                names[branch["product"]["product_id"]] = branch["product"]["name"]
            walk(branch.get("branches", []))

    walk(document.get("product_tree", {}).get("branches", []))
    return names


def public_page(request: HttpRequest, tracking_id: str) -> HttpResponse:
    revision = advisory_selectors.public_revision(tracking_id)
    document = json.loads(bytes(revision.document))
    names = _products(document)
    vulnerabilities = []
    for item in document.get("vulnerabilities", []):
        status = item.get("product_status", {})
        vulnerabilities.append(
            {
                "item": item,
                "affected": [names[pid] for pid in status.get("known_affected", [])],
                "fixed": [names[pid] for pid in status.get("fixed", [])],
                "notes": item.get("notes", []),
                "remediations": item.get("remediations", []),
                "scores": [score["cvss_v3"] for score in item.get("scores", [])],
            }
        )
    context = {
        "revision": revision,
        "document": document["document"],
        "vulnerabilities": vulnerabilities,
        "history": document["document"]["tracking"]["revision_history"],
    }
    return render(request, "disclosure/advisory_public_page.html", context)


def _require_handler(user: Any) -> None:
    if not is_handler(user):
        raise PermissionDenied("Only PSIRT handlers record CVE ids.")


@login_required
def cve_record(request: HttpRequest, case_id: int) -> HttpResponse:
    """Record a CVE id on a case (GET shows the form and the case's CVE ids)."""
    _require_handler(request.user)
    case = get_object_or_404(Case, pk=case_id)
    form = CveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = advisory_services.record_cve(case, request.user, form.data_object())
        except advisory_services.AdvisoryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{assignment.cve_id} recorded on case {case.number}.")
            return redirect("advisories:cve-record", case.pk)
    context = {"case": case, "form": form, "assignments": case.cve_assignments.all()}
    return render(request, "disclosure/cve_record.html", context)


def cve_record_bytes(request: HttpRequest, cve_id: str, user: Any) -> bytes:
    """The CVE JSON 5 record of a recorded CVE id, for submission; CveWriteError if incomplete."""
    assignment = get_object_or_404(advisory_selectors.cve_assignments(user), cve_id=cve_id)
    advisory = assignment.case.advisories.order_by("created_at").first()
    published = advisory.revisions.order_by("number").first() if advisory else None
    updated = advisory.revisions.order_by("number").last() if advisory else None
    locations = advisory_selectors.locations(base_url(request), advisory) if advisory else None
    record = build_cve_record(
        cve_record_input(
            assignment,
            published=published.published_at if published else assignment.recorded_at,
            updated=updated.published_at if updated else assignment.recorded_at,
            advisory_url=locations.page_url if locations else None,
        )
    )
    return cve_record_json(record)


@login_required
def cve_download(request: HttpRequest, cve_id: str) -> HttpResponse:
    _require_handler(request.user)
    try:
        content = cve_record_bytes(request, cve_id, request.user)
    except CveWriteError as error:
        return HttpResponse(
            f"The CVE record cannot be made yet: {error}\n",
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(content, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{cve_id}.json"'
    return response
