"""Page forms: they read and check input; services do the writing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from medvigil.accounts.models import Organisation, Team
from medvigil.portfolio import lifecycle
from medvigil.portfolio.models import LifecyclePhase, Product, ProductVersion
from medvigil.portfolio.services import ClinicalFunctionData


class DateInput(forms.DateInput):
    input_type = "date"


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = [
            "name",
            "model_number",
            "team",
            "udi_di",
            "us_class",
            "eu_class",
            "intended_use",
            "is_cyber_device",
            "cyber_device_reason",
        ]
        labels = {
            "is_cyber_device": "Cyber device (FD&C Act section 524B)",
            "cyber_device_reason": "Why it is (or is not) a cyber device",
            "us_class": "US class",
            "eu_class": "EU class",
        }
        widgets = {
            "intended_use": forms.Textarea(attrs={"rows": 3}),
            "cyber_device_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *arguments: Any, teams: QuerySet[Team], **keywords: Any) -> None:
        super().__init__(*arguments, **keywords)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        """The cleaned fields as the service takes them (the team travels apart)."""
        cleaned = dict(self.cleaned_data)
        team = cleaned.pop("team")
        return {**cleaned, "team_id": team.pk}


class ClinicalFunctionForm(forms.Form):
    name = forms.CharField(max_length=200, required=False)
    description = forms.CharField(required=False, widget=forms.TextInput)
    essential_performance = forms.BooleanField(required=False, label="Essential performance")
    emergency_access = forms.BooleanField(required=False, label="Emergency access")


ClinicalFunctionFormSet = forms.formset_factory(ClinicalFunctionForm, extra=2, can_delete=True)


def clinical_functions_of(formset: Any) -> list[ClinicalFunctionData]:
    """The rows that name a function and are not marked for deletion."""
    functions = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE") or not data.get("name", "").strip():
            continue
        functions.append(
            ClinicalFunctionData(
                name=data["name"].strip(),
                description=data.get("description", ""),
                essential_performance=bool(data.get("essential_performance")),
                emergency_access=bool(data.get("emergency_access")),
            )
        )
    return functions


VERSION_FIELDS = [
    "version",
    "release_date",
    "end_of_support_date",
    "end_of_life_date",
    "updatable_in_field",
    "update_method",
    "notes",
]


class VersionForm(forms.ModelForm):
    class Meta:
        model = ProductVersion
        fields = VERSION_FIELDS
        widgets = {
            "release_date": DateInput(),
            "end_of_support_date": DateInput(),
            "end_of_life_date": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def values(self) -> dict[str, Any]:
        return {field: self.cleaned_data[field] for field in VERSION_FIELDS}


class NewVersionForm(VersionForm):
    phase = forms.ChoiceField(
        choices=LifecyclePhase.choices,
        initial=LifecyclePhase.DESIGN,
        help_text="Phase the version is in now (a release that already shipped starts later)",
    )
    effective_date = forms.DateField(
        widget=DateInput(), help_text="When it entered that phase", required=False
    )
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TransitionForm(forms.Form):
    to_phase = forms.ChoiceField(label="Move to phase")
    effective_date = forms.DateField(widget=DateInput(), label="Effective date")
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Why")

    def __init__(self, *arguments: Any, version: ProductVersion, **keywords: Any) -> None:
        super().__init__(*arguments, **keywords)
        choices = [
            (phase, lifecycle.label(phase)) for phase in lifecycle.next_phases(version.phase)
        ]
        self.fields["to_phase"].choices = choices  # type: ignore[attr-defined]
        self.fields["effective_date"].initial = timezone.now().date()


class InstalledBaseForm(forms.Form):
    count = forms.IntegerField(min_value=0, label="Units in use")
    note = forms.CharField(required=False, max_length=500)


class DeploymentForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label="Customer organisation"
    )
    units = forms.IntegerField(min_value=1)
    since = forms.DateField(widget=DateInput(), required=False)

    def __init__(self, *arguments: Any, customers: QuerySet[Organisation], **keywords: Any) -> None:
        super().__init__(*arguments, **keywords)
        self.fields["organisation"].queryset = customers  # type: ignore[attr-defined]
