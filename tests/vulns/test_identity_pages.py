"""The component identity page: a refused confirmation, mapping or withdrawal comes back
as the page (422), its form bound with what was typed and the reason beside the field;
each row carries one form at most."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from medvigil.sbom.models import Component
from medvigil.vulns import identity_selectors
from medvigil.vulns.models import CpeConfirmation, ProductMapping
from tests import factories
from tests.vulns.test_embedded_identities import pump

pytestmark = pytest.mark.django_db


def errors_beside(page: str, field_id: str) -> str:
    """The error list rendered with the field whose id is given (Django's as_div)."""
    found = re.search(rf'<div>\s*<label for="{field_id}"[^>]*>.*?</div>', page, re.DOTALL)
    assert found, f"no field {field_id}"
    return found.group(0)


@pytest.fixture
def signed_in(client: Any) -> tuple[Any, Any, Component]:
    version = pump("lvp-300-firmware.spdx.json")
    zlib = Component.objects.filter(document__version=version, name="zlib").get()
    person = factories.user(roles=["product-security"], teams=[version.product.team])
    factories.sign_in(client, person)
    return client, version, zlib


def test_a_refused_confirmation_shows_its_reason_beside_the_field(
    signed_in: tuple[Any, Any, Component],
) -> None:
    client, _, zlib = signed_in
    url = reverse("vulns:identity-confirm", args=[zlib.pk])
    answer = client.post(url, {"part": "a", "vendor": "zlib org", "product": "zlib", "note": "x"})
    assert answer.status_code == 422
    page = answer.content.decode()
    vendor = errors_beside(page, f"confirm{zlib.pk}_vendor")
    assert "The CPE vendor is one word" in vendor
    assert 'value="zlib org"' in vendor  # what was typed stays
    assert not CpeConfirmation.objects.exists()

    empty_note = client.post(url, {"part": "a", "vendor": "zlib", "product": "zlib", "note": ""})
    assert empty_note.status_code == 422
    assert "This field is required" in errors_beside(
        empty_note.content.decode(), f"confirm{zlib.pk}_note"
    )

    done = client.post(url, {"part": "a", "vendor": "zlib", "product": "zlib", "note": "sources"})
    assert done.status_code == 302
    assert CpeConfirmation.objects.get().cpe.startswith("cpe:2.3:a:zlib:zlib:")


def test_mapping_and_withdrawal_refusals_come_back_beside_their_fields(
    signed_in: tuple[Any, Any, Component],
) -> None:
    client, _, zlib = signed_in
    url = reverse("vulns:product-map-chosen")
    values = {"component": zlib.pk, "kind": "name", "vendor": "", "value": "zlib", "note": ""}
    refused = client.post(url, values)
    assert refused.status_code == 422
    assert "This field is required" in errors_beside(refused.content.decode(), "map_note")
    assert not ProductMapping.objects.exists()
    no_vendor = client.post(url, {**values, "note": "the vendor's name for it"})
    assert no_vendor.status_code == 422
    beside = errors_beside(no_vendor.content.decode(), "map_vendor")
    assert "read with its vendor" in beside
    assert "the vendor&#x27;s name for it" in no_vendor.content.decode()  # kept as typed
    mapped = client.post(url, {**values, "vendor": "Baxter", "note": "the vendor's name for it"})
    assert mapped.status_code == 302
    mapping = ProductMapping.objects.get()

    withdraw = reverse("vulns:product-mapping-withdraw", args=[mapping.pk])
    blank = client.post(withdraw, {"reason": "  "})
    assert blank.status_code == 422
    field = f"withdrawm{mapping.pk}_reason"
    assert "This field is required" in errors_beside(blank.content.decode(), field)
    assert client.post(withdraw, {"reason": "wrong product"}).status_code == 302
    again = client.post(withdraw, {"reason": "twice"})
    assert again.status_code == 409
    assert "already withdrawn" in again.content.decode()


def test_each_row_carries_one_form_at_most(signed_in: tuple[Any, Any, Component]) -> None:
    client, _, _ = signed_in
    page = client.get(reverse("vulns:identities")).content.decode()
    rows = re.findall(r"<tr data-identity=.*?</tr>", page, re.DOTALL)
    assert rows
    assert all(row.count("<form") == 1 for row in rows)
    assert page.count('data-form="product-mapping"') == 1


def test_the_proposals_page_after_page_through_the_next_link(
    signed_in: tuple[Any, Any, Component], monkeypatch: Any
) -> None:
    client, _, _ = signed_in
    everything = client.get("/api/v1/vulns/identities").json()
    assert everything["next_after"] == ""
    expected = [item["identity"] for item in everything["proposals"]]
    assert len(expected) == 2
    monkeypatch.setattr(identity_selectors, "LIMIT", 1)
    seen: list[str] = []
    url = reverse("vulns:identities")
    while url:
        page = client.get(url).content.decode()
        identities = re.findall(r'<tr data-identity="([^"]+)"', page)
        assert len(identities) == 1
        seen += identities
        following = re.search(r'<a href="([^"]+)" rel="next">Next proposals</a>', page)
        url = following.group(1).replace("&amp;", "&") if following else ""
    assert seen == expected
    api_seen, after = [], ""
    while True:
        answer = client.get("/api/v1/vulns/identities", {"after": after}).json()
        api_seen += [item["identity"] for item in answer["proposals"]]
        after = answer["next_after"]
        if not after:
            break
    assert api_seen == expected
