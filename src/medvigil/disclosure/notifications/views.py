"""Case pages for regulator notifications, the fix moment, finding links and the metrics."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from medvigil.disclosure.cases import selectors
from medvigil.disclosure.notifications import services as notifications
from medvigil.disclosure.notifications.forms import NotificationForm, NotificationSentForm
from medvigil.disclosure.notifications.models import Notification
from medvigil.platform import permissions
from medvigil.platform.refusals import Refusal


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
    except Refusal as error:
        messages.error(request, error.message)
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
        except Refusal as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Notification recorded as sent.")
    return redirect("disclosure:case-detail", case_id=notification.case_id)
