"""Input holding a NUL character is refused before it reaches the database.

PostgreSQL cannot store NUL in text or JSON; found by fuzzing the advisory and
VEX APIs on PostgreSQL. The refusal is the same on every database.
"""

from __future__ import annotations

import pytest
from django.test import Client

from medvigil.core.text import nul_path
from medvigil.core.vex import read_vex
from medvigil.core.vex.model import VexFormatError
from medvigil.portfolio.models import Product
from tests import factories


def test_the_path_of_the_first_nul_is_named() -> None:
    assert nul_path({"a": ["ok", {"b": "x\x00y"}]}) == "$.a[1].b"
    assert nul_path({"key\x00": 1}, "body") == "body"
    assert nul_path({"a": ["ok", 3, None, {"b": "fine"}]}) is None


@pytest.mark.django_db
def test_an_api_body_or_query_with_nul_is_a_problem_and_stores_nothing() -> None:
    team = factories.team()
    client = factories.sign_in(Client(), factories.user(roles={"product-security"}, teams=[team]))
    created = client.post(
        "/api/v1/portfolio/products",
        {"name": "Pump\x00", "model_number": "P-1", "team_id": team.pk},
        content_type="application/json",
    )
    assert created.status_code == 400
    assert created["Content-Type"] == "application/problem+json"
    # The parser's refusal names the field, though django-ninja wraps it in a 400 of its own.
    assert created.json()["detail"] == "body.name contains a NUL character, which cannot be stored."
    assert created.json()["errors"][0]["location"] == ["body", "name"]
    assert not Product.objects.exists()
    searched = client.get("/api/v1/portfolio/products", {"search": "a\x00"})
    assert searched.status_code == 400
    assert "query.search contains a NUL character" in searched.json()["detail"]


def test_a_vex_document_with_nul_is_refused_naming_the_field() -> None:
    document = (
        b'{"@context": "https://openvex.dev/ns/v0.2.0", "@id": "x", '
        b'"author": "a\\u0000", "timestamp": "2026-01-01T00:00:00Z", '
        b'"version": 1, "statements": []}'
    )
    with pytest.raises(VexFormatError, match=r"\$\.author contains a NUL character"):
        read_vex(document, source="supplier.json")
