"""Forms of the vulnerability pages; they only check shapes, the services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from medvigil.vulns.models import FeedKind, Finding, ProductMapping, Severity


class SearchForm(forms.Form):
    q = forms.CharField(required=False, label="Id, alias or words", max_length=200)


class FindingFilterForm(forms.Form):
    state = forms.ChoiceField(
        choices=[("", "Any state"), *Finding.State.choices], required=False, initial="open"
    )
    severity = forms.ChoiceField(choices=[("", "Any severity"), *Severity.choices], required=False)
    kev = forms.ChoiceField(
        choices=[("", "KEV or not"), ("yes", "Listed in KEV"), ("no", "Not in KEV")],
        required=False,
        label="KEV",
    )
    search = forms.CharField(required=False, label="Vulnerability or component", max_length=200)


class FeedImportForm(forms.Form):
    file = forms.FileField(label="Feed file", help_text="OSV, NVD, CVE 5, KEV, EPSS, CSAF or a zip")
    kind = forms.ChoiceField(choices=FeedKind.choices, initial=FeedKind.AUTO)


class CandidateReviewForm(forms.Form):
    """The reviewer's note on one candidate row; the pressed button says the decision."""

    note = forms.CharField(
        label="Why",
        max_length=500,
        required=False,  # the service says why a note is needed, beside this field
        widget=forms.TextInput(attrs={"required": True}),
    )


class ConfirmCpeForm(forms.Form):
    part = forms.ChoiceField(
        choices=[("a", "a"), ("o", "o"), ("h", "h")], initial="a", label="Part"
    )
    vendor = forms.CharField(max_length=200, label="Vendor")
    product = forms.CharField(max_length=200, label="Product")
    note = forms.CharField(max_length=2000, label="Why")


class ProductMappingForm(forms.Form):
    component = forms.TypedChoiceField(coerce=int, label="Component identity", choices=[])
    kind = forms.ChoiceField(choices=ProductMapping.Kind.choices, label="Designation")
    vendor = forms.CharField(max_length=200, required=False, label="Vendor")
    value = forms.CharField(max_length=500, label="As published")
    note = forms.CharField(max_length=2000, label="Why")

    def __init__(self, *args: Any, components: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["component"].choices = components  # type: ignore[attr-defined]


class WithdrawForm(forms.Form):
    reason = forms.CharField(max_length=2000, label="Reason")
