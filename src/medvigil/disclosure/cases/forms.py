"""Forms of the portal and of case handling: they read and check input; services write."""

from __future__ import annotations

from django import forms

from medvigil.disclosure.cases.models import CaseState, MessageKind, TriageOutcome


class HandlerMessageForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[
            (MessageKind.TO_REPORTER, "Reply to the reporter"),
            (MessageKind.INTERNAL, "Internal note"),
        ]
    )
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}))


class ReporterMessageForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label="Your message")


class TransitionForm(forms.Form):
    target = forms.ChoiceField(choices=CaseState.choices, label="Move to")
    outcome = forms.ChoiceField(
        choices=[("", "—"), *TriageOutcome.choices], required=False, label="Triage outcome"
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class EmbargoForm(forms.Form):
    until = forms.DateTimeField(
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        label="Embargo until (local time)",
    )
    time_zone = forms.CharField(max_length=64, initial="UTC")


class ConfirmAffectedForm(forms.Form):
    version_id = forms.IntegerField(min_value=1)
    reason = forms.CharField(max_length=300, required=False)


def moment_input() -> forms.DateTimeInput:
    """A browser date-time picker; its value format is the one the picker reads."""
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class FixForm(forms.Form):
    available_at = forms.DateTimeField(
        widget=moment_input(),
        label="Fix or mitigation available at (UTC)",
    )
    description = forms.CharField(max_length=300, required=False)


class LinkFindingForm(forms.Form):
    finding_id = forms.IntegerField(min_value=1)
    reason = forms.CharField(max_length=300, required=False)
