"""A fixed version the advisory service refuses is shown beside the versions field.

The service names the field `fixed_version_ids` (the API's name), the form
`fixed_versions`: before, the refusal showed above the form, far from the
choice it is about. Two handlers at once give it: one confirms a version
affected while the other saves an advisory naming that version as fixed.
"""

from __future__ import annotations

import pytest

from medvigil.disclosure.advisories import services as advisory_services
from medvigil.disclosure.advisories.forms import AdvisoryForm
from medvigil.disclosure.advisories.models import Advisory
from medvigil.disclosure.cases import services
from medvigil.platform.forms import show_refusal
from medvigil.platform.refusals import Refusal
from medvigil.portfolio.models import ProductVersion
from tests.disclosure.advisory_helpers import people_and_case

pytestmark = pytest.mark.django_db


def test_a_refused_fixed_version_is_shown_beside_its_field() -> None:
    world = people_and_case()
    typed = {
        "title": "LVP-300 infusion pump: unauthenticated firmware update",
        "summary": "An attacker on the clinical network could install modified firmware.",
        "fixed_versions": [str(world.fixed.pk)],
        "tlp": "WHITE",
        "revision_summary": "Initial publication",
    }
    choices = ProductVersion.objects.filter(product=world.fixed.product).exclude(
        pk=world.affected.pk
    )
    form = AdvisoryForm(typed, versions=choices)
    assert form.is_valid(), form.errors
    # Meanwhile another handler finds the "fixed" version affected too.
    services.confirm_affected(world.case, user=world.reviewer, version=world.fixed, reason="same")
    with pytest.raises(Refusal) as refused:
        advisory_services.create_advisory(world.case, world.author, form.data_object())

    show_refusal(form, refused.value)

    assert form.errors["fixed_versions"] == ["A version cannot be both affected and fixed."]
    assert form.non_field_errors() == []
    assert form.data["title"] == typed["title"]  # what was typed is kept
    assert not Advisory.objects.exists()
