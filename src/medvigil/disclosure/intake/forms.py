"""Forms of the researcher portal: they read and check input; intake.services writes."""

from __future__ import annotations

from typing import Any

from django import forms

from medvigil.disclosure.intake.attachments import limits_text
from medvigil.portfolio.models import Product


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class ReportForm(forms.Form):
    title = forms.CharField(max_length=300, label="Summary")
    product = forms.ModelChoiceField(
        queryset=Product.objects.none(), required=False, empty_label="Not in the list / not sure"
    )
    product_text = forms.CharField(max_length=200, required=False, label="Product (if not listed)")
    version_text = forms.CharField(max_length=100, required=False, label="Version")
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What is wrong. You may paste an OpenPGP message encrypted to our key.",
    )
    steps = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), required=False, label="Steps to reproduce"
    )
    impact = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    cvss_vector = forms.CharField(
        max_length=200,
        required=False,
        label="Suggested CVSS vector",
        help_text="CVSS:3.1/... or CVSS:4.0/..., if you have one",
    )
    reporter_name = forms.CharField(max_length=200, required=False, label="Your name (optional)")
    reporter_email = forms.EmailField(required=False, label="Your email (optional)")
    credit_name = forms.CharField(
        max_length=200, required=False, label="Credit me as (optional; empty = no public credit)"
    )
    reporter_public_key = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label="Your OpenPGP public key (optional)",
        help_text="ASCII-armoured; our replies to you are then encrypted to it.",
    )
    attachments = MultipleFileField(required=False)
    # Honeypot: hidden from people by the stylesheet; a bot that fills it is refused.
    website = forms.CharField(required=False, label="Leave this field empty")

    def __init__(self, *arguments: Any, products: Any, **keywords: Any) -> None:
        super().__init__(*arguments, **keywords)
        self.fields["product"].queryset = products  # type: ignore[attr-defined]
        self.fields["attachments"].help_text = limits_text()


class FollowUpMessageForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label="Your message")


class ReporterKeyForm(forms.Form):
    reporter_public_key = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Your OpenPGP public key",
        help_text="ASCII-armoured; later replies are encrypted to it.",
    )
