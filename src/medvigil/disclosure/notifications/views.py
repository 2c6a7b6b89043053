"""Case pages for regulator notifications: record one, mark one sent.

A refused form renders the case page again with the form as typed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from medvigil.disclosure.cases import selectors
from medvigil.disclosure.cases.page import case_again
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
    # Own id prefix, as on the page: several forms there share field names.
    form = NotificationForm(request.POST, auto_id="notification_%s")
    if not form.is_valid():
        return case_again(request, case, notification_form=form)
    try:
        notifications.record_notification(case, user=request.user, **form.cleaned_data)
    except Refusal as refusal:
        return case_again(request, case, refusal, notification_form=form)
    messages.success(request, "Notification recorded.")
    return redirect("disclosure:case-detail", case_id=case.pk)


@login_required
@require_POST
def notification_sent(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = permissions.get_visible(
        request.user, Notification.objects.all(), pk=notification_id
    )
    case = selectors.case(request.user, notification.case_id)
    form = NotificationSentForm(request.POST, auto_id=f"sent{notification.pk}_%s")
    row = {notification.pk: form}
    if not form.is_valid():
        return case_again(request, case, sent_forms=row)
    try:
        notifications.mark_sent(notification, user=request.user, **form.cleaned_data)
    except Refusal as refusal:
        return case_again(request, case, refusal, sent_forms=row)
    messages.success(request, "Notification recorded as sent.")
    return redirect("disclosure:case-detail", case_id=notification.case_id)
