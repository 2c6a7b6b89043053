"""Forms of the parties, notifications, fix and finding links on a case page."""

from __future__ import annotations

from django import forms

from medvigil.core.deadlines import NOTIFICATION_RULES as RULES
from medvigil.disclosure.models import PartyKind, Recipient


def moment_input() -> forms.DateTimeInput:
    """A browser date-time picker; its value format is the one the picker reads."""
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class InvitePartyForm(forms.Form):
    kind = forms.ChoiceField(choices=PartyKind.choices)
    name = forms.CharField(max_length=200, help_text="Organisation, e.g. CISA or the supplier")
    account = forms.CharField(
        max_length=150,
        required=False,
        label="Account (user name)",
        help_text="An outside account of the fitting role; leave empty to use a link only",
    )
    with_link = forms.BooleanField(required=False, label="Give the party a secret link")
    sees_report = forms.BooleanField(required=False, label="Share the report's text")
    sees_reporter_contact = forms.BooleanField(
        required=False, label="Share the reporter's name and email"
    )


class PartyMessageForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Message")


class ShareMessageForm(forms.Form):
    message_id = forms.IntegerField(min_value=1)


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


class FixForm(forms.Form):
    available_at = forms.DateTimeField(
        widget=moment_input(),
        label="Fix or mitigation available at (UTC)",
    )
    description = forms.CharField(max_length=300, required=False)


class LinkFindingForm(forms.Form):
    finding_id = forms.IntegerField(min_value=1)
    reason = forms.CharField(max_length=300, required=False)
