"""Forms of the risk file pages; they only check shapes, the services decide.

A refused write shows its form again as typed (`refused`), and a form shown
on each row of a list is each row's own (`row_forms`).
"""

from __future__ import annotations

from typing import Any

from django import forms

from medvigil.core.risk import EXPLOITABILITY, SEVERITY
from medvigil.core.threats import CONTROL_CATEGORIES, CONTROL_CATEGORY_LABELS
from medvigil.platform.forms import show_refusal
from medvigil.platform.refusals import FieldError, Refusal
from medvigil.riskfile.models import Control, Threat, Verification

LEVELS = [(level, level.replace("_", " ")) for level in EXPLOITABILITY]
SEVERITIES = [(level, level) for level in SEVERITY]
OPTIONAL_LEVELS = [("", "unchanged"), *LEVELS]
OPTIONAL_SEVERITIES = [("", "unchanged"), *SEVERITIES]


class ModelUploadForm(forms.Form):
    file = forms.FileField(label="Threat model (YAML)", help_text="Format: docs/riskfile.md")


class DecisionForm(forms.Form):
    status = forms.ChoiceField(choices=Threat.Status.choices)
    decision = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RiskForm(forms.Form):
    threat = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(required=False, max_length=300)
    exploitability = forms.ChoiceField(choices=LEVELS, required=False)
    cvss_vector = forms.CharField(required=False, label="or CVSS v3 vector")
    confidentiality = forms.ChoiceField(choices=SEVERITIES)
    integrity = forms.ChoiceField(choices=SEVERITIES)
    availability = forms.ChoiceField(choices=SEVERITIES)
    privacy = forms.ChoiceField(choices=SEVERITIES)
    patient_safety = forms.ChoiceField(choices=SEVERITIES)
    residual_exploitability = forms.ChoiceField(choices=OPTIONAL_LEVELS, required=False)
    residual_severity = forms.ChoiceField(choices=OPTIONAL_SEVERITIES, required=False)


class BenefitRiskForm(forms.Form):
    benefits = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    conclusion = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    password = forms.CharField(widget=forms.PasswordInput, label="Your password (signature)")
    otp_code = forms.CharField(required=False, label="Authenticator code")


class ApprovalForm(forms.Form):
    password = forms.CharField(widget=forms.PasswordInput, label="Your password (signature)")
    otp_code = forms.CharField(required=False, label="Authenticator code")


class ControlForm(forms.Form):
    name = forms.CharField(max_length=300)
    category = forms.ChoiceField(
        choices=[(k, CONTROL_CATEGORY_LABELS[k]) for k in CONTROL_CATEGORIES]
    )
    requirement = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    implementation = forms.ChoiceField(choices=Control.Implementation.choices)
    elements = forms.CharField(required=False, help_text="Element ids, separated by commas")
    risks = forms.CharField(required=False, help_text="Risk ids (SR-1, …), separated by commas")


class VerificationForm(forms.Form):
    test_reference = forms.CharField(max_length=300)
    result = forms.ChoiceField(choices=Verification.Result.choices)
    performed_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    evidence = forms.FileField(required=False)


class ImpactReviewForm(forms.Form):
    element = forms.CharField(max_length=64)
    function_stays_available = forms.BooleanField(required=False)
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


class SafetyImportForm(forms.Form):
    file = forms.FileField(
        label="Safety risk file (CSV)",
        help_text="Columns id, hazard, hazardous_situation, harm[, severity]",
    )


class LinkForm(forms.Form):
    entries = forms.CharField(required=False, help_text="Safety entry ids, separated by commas")


class ReviewForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


class VulnerabilityLinkForm(forms.Form):
    vulnerability = forms.CharField(max_length=200, help_text="CVE, GHSA or another alias")
    target = forms.CharField(max_length=40, help_text="A threat id (TH-…, MT-…) or risk id (SR-…)")
    finding = forms.IntegerField(required=False, help_text="Optional: the finding's number")
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


def refused(form: Any, write: Any) -> int | None:
    """Validate `form` and call `write(cleaned_data)`; None once written, else the status.

    On a refusal its errors go beside the form's fields, so the page shows the
    form again as typed.
    """
    if not form.is_valid():
        return 422
    try:
        write(form.cleaned_data)
    except Refusal as refusal:
        show_refusal(form, with_paths(form, refusal))
        return refusal.status
    return None


def with_paths(form: Any, refusal: Refusal) -> Refusal:
    """Errors about a part of an uploaded document (not a form field) keep their path."""
    errors = [
        error
        if not error.location or error.location[-1] in form.fields
        else FieldError((), f"{'.'.join(error.location)}: {error.message}")
        for error in refusal.errors
    ]
    return Refusal(refusal.message, refusal.kind, errors)


def row_forms(rows: list[Any], name: str, blank: Any, typed: Any = None, row: Any = None) -> None:
    """Give each row its own form `name` (ids unique per row); the refused row keeps `typed`."""
    for item in rows:
        mine = isinstance(typed, blank) and type(item) is type(row) and item.pk == row.pk
        if mine:
            setattr(item, name, typed)
        else:
            setattr(item, name, blank(auto_id=f"{name}{item.pk}_%s"))
