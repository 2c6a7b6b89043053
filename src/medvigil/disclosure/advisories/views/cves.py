"""The CVE id pages of handlers: the CVE record of a case, and its JSON download."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from medvigil.core.cve5_writer import CveWriteError
from medvigil.disclosure.advisories import selectors as advisory_selectors
from medvigil.disclosure.advisories import services as advisory_services
from medvigil.disclosure.advisories.forms import CveForm
from medvigil.disclosure.cases.models import Case
from medvigil.disclosure.cases.policies import is_handler
from medvigil.disclosure.intake.portal import base_url
from medvigil.platform.forms import show_refusal
from medvigil.platform.refusals import Refusal


def _require_handler(user: Any) -> None:
    if not is_handler(user):
        raise PermissionDenied("Only PSIRT handlers record CVE ids.")


@login_required
def cve_record(request: HttpRequest, case_id: int) -> HttpResponse:
    """Record a CVE id on a case (GET shows the form and the case's CVE ids)."""
    _require_handler(request.user)
    case = get_object_or_404(Case, pk=case_id)
    form = CveForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                assignment = advisory_services.record_cve(case, request.user, form.data_object())
            except Refusal as refusal:
                # The same form again, with the input kept and each error beside its field.
                show_refusal(form, refusal)
                status = refusal.status
            else:
                messages.success(request, f"{assignment.cve_id} recorded on case {case.number}.")
                return redirect("advisories:cve-record", case.pk)
    context = {"case": case, "form": form, "assignments": case.cve_assignments.all()}
    return render(request, "disclosure/cve_record.html", context, status=status)


@login_required
def cve_download(request: HttpRequest, cve_id: str) -> HttpResponse:
    _require_handler(request.user)
    try:
        content = advisory_selectors.cve_record_bytes(request.user, cve_id, base_url(request))
    except CveWriteError as error:
        return HttpResponse(
            f"The CVE record cannot be made yet: {error}\n",
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(content, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{cve_id}.json"'
    return response
