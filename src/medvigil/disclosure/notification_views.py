"""Case pages for regulator notifications, the fix moment, finding links and the metrics."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from medvigil.disclosure import findings_links, metrics, notifications, selectors
from medvigil.disclosure.case_forms import (
    FixForm,
    LinkFindingForm,
    NotificationForm,
    NotificationSentForm,
)
from medvigil.disclosure.models import Notification
from medvigil.disclosure.services import DisclosureError
from medvigil.platform import permissions


@login_required
@require_POST
def notification_record(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case(request.user, case_id)
    permissions.require(request.user, "handle", case)
    form = NotificationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the recipient, the rule and the moment it counts from.")
        return redirect("disclosure:case-detail", case_id=case.pk)
    try:
        notifications.record_notification(case, user=request.user, **form.cleaned_data)
    except DisclosureError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, "Notification recorded.")
    return redirect("disclosure:case-detail", case_id=case.pk)


@login_required
@require_POST
def notification_sent(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = permissions.get_visible(
        request.user, Notification.objects.all(), pk=notification_id
    )
    form = NotificationSentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the moment it was sent.")
    else:
        try:
            notifications.mark_sent(notification, user=request.user, **form.cleaned_data)
        except DisclosureError as error:
            messages.error(request, error.detail)
        else:
            messages.success(request, "Notification recorded as sent.")
    return redirect("disclosure:case-detail", case_id=notification.case_id)


@login_required
@require_POST
def fix_record(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case(request.user, case_id)
    permissions.require(request.user, "handle", case)
    form = FixForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the moment the fix became available.")
    else:
        try:
            notifications.record_fix(case, user=request.user, **form.cleaned_data)
        except DisclosureError as error:
            messages.error(request, error.detail)
        else:
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
