"""Case handling pages (handlers) and a researcher's own cases.

An invisible case answers 404; a visible one a user may not act on answers
403. Forms post to their own URL and redirect back to the case; a refused
form renders the case page again with the form as typed (`case_again`).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from medvigil.disclosure.cases import findings_links, metrics, selectors, services
from medvigil.disclosure.cases.forms import (
    ConfirmAffectedForm,
    EmbargoForm,
    FixForm,
    HandlerMessageForm,
    LinkFindingForm,
    ReporterMessageForm,
    TransitionForm,
)
from medvigil.disclosure.cases.models import CaseState, MessageKind
from medvigil.disclosure.cases.page import case_again, case_page
from medvigil.disclosure.intake import attachments
from medvigil.platform import permissions
from medvigil.platform.refusals import Refusal
from medvigil.portfolio.selectors import version_for


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    state = state if state in CaseState.values else ""
    now = timezone.now()
    rows = [
        {"case": case, "title": selectors.title(case), "overdue": selectors.is_overdue(case, now)}
        for case in selectors.cases(request.user, state=state)[:500]
    ]
    context = {
        "rows": rows,
        "state": state,
        "states": CaseState.choices,
        "handler": selectors.sees_internal(request.user),
    }
    return render(request, "disclosure/case_list.html", context)


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    return case_page(request, selectors.case(request.user, case_id))


@login_required
@require_POST
def case_move(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case(request.user, case_id)
    permissions.require(request.user, "handle", case)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return case_again(request, case, transition_form=form)
    try:
        services.transition(
            case,
            user=request.user,
            target=form.cleaned_data["target"],
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
        )
    except Refusal as refusal:
        return case_again(request, case, refusal, transition_form=form)
    messages.success(request, f"{case.number} is now {form.cleaned_data['target']}.")
    return redirect("disclosure:case-detail", case_id=case.pk)


@login_required
@require_POST
def case_message(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case(request.user, case_id)
    permissions.require(request.user, "message", case)
    handler = selectors.sees_internal(request.user)
    form = HandlerMessageForm(request.POST) if handler else ReporterMessageForm(request.POST)
    if not form.is_valid():
        return case_again(request, case, message_form=form)
    kind = form.cleaned_data["kind"] if handler else MessageKind.FROM_REPORTER
    try:
        services.post_message(case, user=request.user, kind=kind, body=form.cleaned_data["body"])
    except Refusal as refusal:
        return case_again(request, case, refusal, message_form=form)
    return redirect("disclosure:case-detail", case_id=case.pk)


@login_required
@require_POST
def case_embargo(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case(request.user, case_id)
    permissions.require(request.user, "handle", case)
    form = EmbargoForm(request.POST)
    if not form.is_valid():
        return case_again(request, case, embargo_form=form)
    try:
        services.set_embargo(
            case,
            user=request.user,
            until=form.cleaned_data["until"],
            time_zone=form.cleaned_data["time_zone"],
        )
    except Refusal as refusal:
        return case_again(request, case, refusal, embargo_form=form)
    return redirect("disclosure:case-detail", case_id=case.pk)


@login_required
@require_POST
def case_affected(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case(request.user, case_id)
    permissions.require(request.user, "handle", case)
    form = ConfirmAffectedForm(request.POST)
    if form.is_valid():
        version = version_for(request.user, form.cleaned_data["version_id"])
        services.confirm_affected(
            case, user=request.user, version=version, reason=form.cleaned_data["reason"]
        )
        messages.success(request, f"Confirmed {version} as affected.")
    else:
        messages.error(request, "Choose a version.")
    return redirect("disclosure:case-detail", case_id=case.pk)


@login_required
def attachment_download(request: HttpRequest, attachment_id: int) -> HttpResponse:
    """Always a download, with the type found by content and a sanitised name."""
    found = selectors.attachment(request.user, attachment_id)
    response = HttpResponse(attachments.read(found.stored_name), content_type=found.content_type)
    response["Content-Disposition"] = f'attachment; filename="{found.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def fix_record(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case(request.user, case_id)
    permissions.require(request.user, "handle", case)
    # Own id prefix, as on the page: several forms there share field names.
    form = FixForm(request.POST, auto_id="fix_%s")
    if not form.is_valid():
        return case_again(request, case, fix_form=form)
    try:
        services.record_fix(case, user=request.user, **form.cleaned_data)
    except Refusal as refusal:
        return case_again(request, case, refusal, fix_form=form)
    messages.success(request, "Fix availability recorded.")
    return redirect("disclosure:case-detail", case_id=case.pk)


@login_required
@require_POST
def finding_link(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case(request.user, case_id)
    permissions.require(request.user, "handle", case)
    form = LinkFindingForm(request.POST)
    if form.is_valid():
        finding = permissions.get_visible(
            request.user,
            findings_links.visible_findings(request.user),
            pk=form.cleaned_data["finding_id"],
        )
        findings_links.link(
            case, user=request.user, finding=finding, reason=form.cleaned_data["reason"]
        )
        messages.success(request, f"Linked {finding.vulnerability.canonical_id}.")
    else:
        messages.error(request, "Choose a finding.")
    return redirect("disclosure:case-detail", case_id=case.pk)


@login_required
def metrics_page(request: HttpRequest) -> HttpResponse:
    if not selectors.sees_internal(request.user):
        raise PermissionDenied("The program's metrics are for handlers.")
    counted = metrics.figures(request.user)
    context = {"figures": counted, "rows": metrics.rows(counted)}
    return render(request, "disclosure/metrics.html", context)
