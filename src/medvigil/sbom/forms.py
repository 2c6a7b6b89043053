"""Forms of the SBOM pages; they only check shapes, the services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from medvigil.sbom.models import DocumentRole, LevelOfSupport


class UploadForm(forms.Form):
    file = forms.FileField(label="SBOM file", help_text="CycloneDX (JSON, XML) or SPDX 2.2/2.3")
    role = forms.ChoiceField(choices=DocumentRole.choices, initial=DocumentRole.FIRMWARE)


class SupportForm(forms.Form):
    level_of_support = forms.ChoiceField(
        choices=[("", "Not set"), *LevelOfSupport.choices], required=False
    )
    end_of_support = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data: Any = None, *, component: Any) -> None:
        """One per component row: its own ids, and its current values to start from."""
        initial = {
            "level_of_support": component.level_of_support,
            "end_of_support": component.end_of_support,
        }
        super().__init__(data, initial=initial, auto_id=f"support{component.pk}_%s")
        self.component_id = component.pk


class ComponentSearchForm(forms.Form):
    search = forms.CharField(required=False, label="Search name, purl, group or CPE")
    type = forms.CharField(required=False)
    supplier = forms.CharField(required=False)
    role = forms.ChoiceField(choices=[("", "Any SBOM"), *DocumentRole.choices], required=False)
    missing_support = forms.BooleanField(required=False, label="Only missing support fields")


class WhereForm(forms.Form):
    """The portfolio-wide component search; the query language is read by the search."""

    q = forms.CharField(
        label="Component",
        max_length=1000,
        help_text="A name, purl or CPE, with version constraints: openssl<3.0.8, "
        "pkg:npm/lodash@4.17.20, cpe:2.3:a:openssl:openssl:*",
    )
