"""Forms of the parties, notifications, fix and finding links on a case page."""

from __future__ import annotations

from django import forms

from medvigil.disclosure.parties.models import PartyKind


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
