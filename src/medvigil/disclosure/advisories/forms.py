"""Forms of the advisory pages: they read and check input; advisory_services writes."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms

from medvigil.disclosure.advisories.models import CveAssigner, TlpLabel
from medvigil.disclosure.advisories.services import AdvisoryData, CveData
from medvigil.portfolio.models import ProductVersion


class AdvisoryForm(forms.Form):
    # The service refuses `fixed_version_ids`: shown beside the versions chosen here.
    service_fields: ClassVar[dict[str, str]] = {"fixed_version_ids": "fixed_versions"}

    title = forms.CharField(max_length=200)
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), help_text="What could happen, for hospitals"
    )
    details = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    fixed_versions = forms.ModelMultipleChoiceField(
        queryset=ProductVersion.objects.none(), required=False
    )
    fix_details = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    mitigation = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    workaround = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    acknowledgments = forms.CharField(max_length=300, required=False)
    tlp = forms.ChoiceField(choices=TlpLabel.choices, initial=TlpLabel.WHITE, label="TLP")
    revision_summary = forms.CharField(max_length=300, initial="Initial publication")

    def __init__(self, *args: Any, versions: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if versions is not None:
            self.fields["fixed_versions"].queryset = versions  # type: ignore[attr-defined]

    def data_object(self) -> AdvisoryData:
        values = self.cleaned_data
        return AdvisoryData(
            title=values["title"],
            summary=values["summary"],
            details=values["details"],
            fix_details=values["fix_details"],
            mitigation=values["mitigation"],
            workaround=values["workaround"],
            acknowledgments=values["acknowledgments"],
            tlp=values["tlp"],
            revision_summary=values["revision_summary"],
            fixed_version_ids=tuple(version.pk for version in values["fixed_versions"]),
        )


class SignatureForm(forms.Form):
    password = forms.CharField(widget=forms.PasswordInput, help_text="Your password, again")
    otp_code = forms.CharField(
        max_length=10, required=False, label="Authenticator code (if you enrolled one)"
    )


class PublishForm(forms.Form):
    """No input: it carries a refused publication's reason back to its button."""


class CveForm(forms.Form):
    cve_id = forms.CharField(max_length=30, label="CVE id")
    assigner = forms.ChoiceField(choices=CveAssigner.choices)
    assigner_name = forms.CharField(max_length=32, label="Assigning CNA short name")
    assigner_org_id = forms.CharField(max_length=36, required=False, label="CNA organization UUID")
    title = forms.CharField(max_length=256)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    cwe_id = forms.CharField(max_length=12, required=False, label="CWE id")
    cvss_vector = forms.CharField(max_length=200, required=False, label="CVSS v3.1 vector")
    reserved_at = forms.DateTimeField(required=False)

    def data_object(self) -> CveData:
        values = self.cleaned_data
        return CveData(
            cve_id=values["cve_id"].strip(),
            assigner=values["assigner"],
            assigner_name=values["assigner_name"],
            assigner_org_id=values["assigner_org_id"].strip(),
            title=values["title"],
            description=values["description"],
            cwe_id=values["cwe_id"].strip().upper(),
            cvss_vector=values["cvss_vector"].strip(),
            reserved_at=values["reserved_at"],
        )
