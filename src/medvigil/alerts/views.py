"""Alerts pages: the inbox, subscriptions and webhooks, and the deliveries log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from medvigil.alerts import selectors, services
from medvigil.alerts.forms import SubscriptionForm, WebhookForm, initial_of
from medvigil.alerts.models import Delivery
from medvigil.platform import permissions
from medvigil.platform.forms import show_refusal
from medvigil.platform.refusals import Refusal

PAGE_SIZE = 100


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        chosen = [int(value) for value in request.POST.getlist("alert") if value.isdigit()]
        marked = services.mark_read(request.user, chosen or None)
        messages.success(request, f"{marked} alert(s) marked read.")
        return redirect("alerts:inbox")
    unread_only = request.GET.get("unread") == "1"
    rows = selectors.inbox(request.user, unread_only=unread_only)[:PAGE_SIZE]
    return render(
        request,
        "alerts/inbox.html",
        {
            "alerts": rows,
            "unread_only": unread_only,
            "unread": selectors.unread_count(request.user),
        },
    )


@login_required
def subscription_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "alerts/subscriptions.html",
        {
            "subscriptions": selectors.subscriptions(request.user),
            "webhooks": selectors.webhooks(request.user),
            "administrator": permissions.is_administrator(request.user),
        },
    )


@login_required
def subscription_create(request: HttpRequest) -> HttpResponse:
    form = SubscriptionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_subscription(
                request.user, form.data_for_service(), form.cleaned_data.get("team")
            )
        except Refusal as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, "Subscribed.")
            return redirect("alerts:subscription-list")
    return render(request, "alerts/subscription_form.html", {"form": form, "subscription": None})


@login_required
def subscription_edit(request: HttpRequest, subscription_id: int) -> HttpResponse:
    subscription = selectors.subscription(request.user, subscription_id)
    permissions.require(request.user, "change", subscription)
    form = SubscriptionForm(
        request.POST or None,
        user=request.user,
        editing=subscription,
        initial=initial_of(subscription),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_subscription(request.user, subscription, form.data_for_service())
        except Refusal as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, "Subscription saved.")
            return redirect("alerts:subscription-list")
    return render(
        request, "alerts/subscription_form.html", {"form": form, "subscription": subscription}
    )


@login_required
@require_POST
def subscription_delete(request: HttpRequest, subscription_id: int) -> HttpResponse:
    subscription = selectors.subscription(request.user, subscription_id)
    permissions.require(request.user, "delete", subscription)
    services.delete_subscription(request.user, subscription)
    messages.success(request, "Unsubscribed.")
    return redirect("alerts:subscription-list")


@login_required
def webhook_create(request: HttpRequest) -> HttpResponse:
    form = WebhookForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            webhook, secret = services.create_webhook(
                request.user, values["name"], values["url"], values["flavour"], values.get("team")
            )
        except Refusal as refusal:
            show_refusal(form, refusal)
        else:
            return render(
                request, "alerts/webhook_secret.html", {"webhook": webhook, "secret": secret}
            )
    return render(request, "alerts/webhook_form.html", {"form": form})


@login_required
@require_POST
def webhook_delete(request: HttpRequest, webhook_id: int) -> HttpResponse:
    webhook = selectors.webhook(request.user, webhook_id)
    permissions.require(request.user, "delete", webhook)
    services.delete_webhook(request.user, webhook)
    messages.success(request, "Webhook removed.")
    return redirect("alerts:subscription-list")


@login_required
def delivery_list(request: HttpRequest) -> HttpResponse:
    if not permissions.is_administrator(request.user):
        raise PermissionDenied("Only administrators see the deliveries log.")
    state = request.GET.get("state", "")
    state = state if state in Delivery.State.values else ""
    return render(
        request,
        "alerts/deliveries.html",
        {
            "deliveries": selectors.deliveries(request.user, state=state)[:PAGE_SIZE],
            "state": state,
            "states": Delivery.State.choices,
        },
    )
