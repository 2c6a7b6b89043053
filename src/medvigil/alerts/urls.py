"""Alerts pages, mounted at /alerts/."""

from django.urls import path

from medvigil.alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("subscriptions/", views.subscription_list, name="subscription-list"),
    path("subscriptions/new", views.subscription_create, name="subscription-create"),
    path(
        "subscriptions/<int:subscription_id>/edit",
        views.subscription_edit,
        name="subscription-edit",
    ),
    path(
        "subscriptions/<int:subscription_id>/delete",
        views.subscription_delete,
        name="subscription-delete",
    ),
    path("webhooks/new", views.webhook_create, name="webhook-create"),
    path("webhooks/<int:webhook_id>/delete", views.webhook_delete, name="webhook-delete"),
    path("deliveries/", views.delivery_list, name="deliveries"),
]
