from __future__ import annotations

from django import forms


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Supplier VEX document",
        help_text="CycloneDX VEX, OpenVEX or CSAF 2.0 (JSON).",
    )
