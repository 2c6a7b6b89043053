"""Forms of the alerts pages; they only shape input, the services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from medvigil.accounts.models import Team
from medvigil.alerts import selectors
from medvigil.alerts.models import EventKind, Mode, Subscription, Webhook
from medvigil.alerts.services import SubscriptionData
from medvigil.platform import permissions
from medvigil.portfolio.models import Product, ProductVersion

LEVELS = [("", "Any"), ("critical", "Critical"), ("high", "High"), ("medium", "Medium")]
LEVELS += [("low", "Low")]


class SubscriptionForm(forms.Form):
    name = forms.CharField(max_length=100)
    kinds = forms.MultipleChoiceField(
        choices=EventKind.choices, widget=forms.CheckboxSelectMultiple, label="Events"
    )
    minimum_severity = forms.ChoiceField(choices=LEVELS, required=False)
    minimum_priority = forms.ChoiceField(choices=LEVELS, required=False)
    epss_threshold = forms.FloatField(
        required=False, min_value=0.0, max_value=1.0, label="EPSS threshold (0 to 1)"
    )
    product = forms.ModelChoiceField(Product.objects.none(), required=False)
    version = forms.ModelChoiceField(ProductVersion.objects.none(), required=False)
    product_team = forms.ModelChoiceField(
        Team.objects.all(), required=False, label="Only products of team"
    )
    email = forms.BooleanField(required=False, label="Also by email")
    webhook = forms.ModelChoiceField(Webhook.objects.none(), required=False)
    mode = forms.ChoiceField(choices=Mode.choices)
    active = forms.BooleanField(required=False, initial=True)
    team = forms.ModelChoiceField(
        Team.objects.all(), required=False, label="For a team (administrators)"
    )

    def __init__(self, *args: Any, user: Any, editing: Subscription | None = None, **kw: Any):
        super().__init__(*args, **kw)
        choices = {
            "product": permissions.visible(user, Product.objects.all()),
            "version": permissions.visible(user, ProductVersion.objects.select_related("product")),
            "webhook": selectors.webhooks(user),
        }
        for name, rows in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)  # declared above
            field.queryset = rows
        if editing is not None or not permissions.is_administrator(user):
            del self.fields["team"]

    def data_for_service(self) -> SubscriptionData:
        values = self.cleaned_data
        return SubscriptionData(
            name=values["name"],
            kinds=list(values["kinds"]),
            minimum_severity=values["minimum_severity"] or "",
            minimum_priority=values["minimum_priority"] or "",
            epss_threshold=values["epss_threshold"],
            product_id=values["product"].pk if values["product"] else None,
            version_id=values["version"].pk if values["version"] else None,
            product_team_id=values["product_team"].pk if values["product_team"] else None,
            email=values["email"],
            webhook_id=values["webhook"].pk if values["webhook"] else None,
            mode=values["mode"],
            active=values["active"],
        )


def initial_of(subscription: Subscription) -> dict[str, Any]:
    return {
        "name": subscription.name,
        "kinds": subscription.kinds,
        "minimum_severity": subscription.minimum_severity,
        "minimum_priority": subscription.minimum_priority,
        "epss_threshold": subscription.epss_threshold,
        "product": subscription.product_id,
        "version": subscription.version_id,
        "product_team": subscription.product_team_id,
        "email": subscription.email,
        "webhook": subscription.webhook_id,
        "mode": subscription.mode,
        "active": subscription.active,
    }


class WebhookForm(forms.Form):
    name = forms.CharField(max_length=100)
    url = forms.CharField(max_length=1000, label="Address (https://…)")
    flavour = forms.ChoiceField(choices=Webhook.Flavour.choices, label="Kind")
    team = forms.ModelChoiceField(
        Team.objects.all(), required=False, label="For a team (administrators)"
    )

    def __init__(self, *args: Any, user: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        if not permissions.is_administrator(user):
            del self.fields["team"]
