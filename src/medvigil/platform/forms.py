"""Pages show a refusal where it belongs: each error beside its field, the input kept.

A view validates its form, calls the service, and on a `Refusal` calls
`show_refusal(form, refusal)` and renders the same form again: the bound form
still holds what the person typed, and Django renders field errors next to
their fields and the others at the top. A form whose field has another name
in the service's data (a choice of versions the service reads as their ids)
says so in `service_fields` (the service's name to the form's).
"""

from __future__ import annotations

from django import forms

from medvigil.platform.refusals import Refusal


def show_refusal(form: forms.BaseForm, refusal: Refusal) -> None:
    if not hasattr(form, "cleaned_data"):
        form.is_valid()  # add_error needs a cleaned form
    beside_fields = set()
    renamed = getattr(form, "service_fields", {})
    for error in refusal.errors:
        field = error.location[-1] if error.location else None
        field = renamed.get(field, field)
        form.add_error(field if field in form.fields else None, error.message)
        beside_fields.add(error.message)
    if refusal.message not in beside_fields:
        form.add_error(None, refusal.message)
