"""Forms of the regulator and coordinator notifications on a case page."""

from __future__ import annotations

from django import forms

from medvigil.core.deadlines import NOTIFICATION_RULES as RULES
from medvigil.disclosure.cases.forms import moment_input
from medvigil.disclosure.notifications.models import Recipient


class NotificationForm(forms.Form):
    recipient = forms.ChoiceField(choices=Recipient.choices)
    recipient_name = forms.CharField(
        max_length=200, required=False, label="Recipient (name, e.g. the national CSIRT)"
    )
    rule = forms.ChoiceField(choices=[(rule.key, rule.label) for rule in RULES])
    started_at = forms.DateTimeField(
        widget=moment_input(),
        label="Counted from (UTC): awareness, or the fix being available",
    )
    sent_at = forms.DateTimeField(
        required=False,
        widget=moment_input(),
        label="Sent at (UTC; empty if not sent yet)",
    )
    reference = forms.CharField(max_length=200, required=False, label="Their reference")
    content = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="What was sent"
    )


class NotificationSentForm(forms.Form):
    sent_at = forms.DateTimeField(widget=moment_input(), label="Sent at (UTC)")
    reference = forms.CharField(max_length=200, required=False, label="Their reference")
