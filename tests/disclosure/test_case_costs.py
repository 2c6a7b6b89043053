"""The case page's suggestions cost what the case holds, not what the portfolio holds.

The case names a component ("minimist"); the portfolio grows from one version
with the companion app's real SBOM to four: the page's SQL statements stay the
same, and every version holding the component is suggested.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from medvigil.disclosure.cases.suggestions import candidate_identities, candidate_names
from tests import factories
from tests.conftest import REPOSITORY
from tests.disclosure.conftest import signed_in, submitted

pytestmark = pytest.mark.django_db
AIC_SBOM = REPOSITORY / "src/medvigil/sbom/demo_data/aic-app-1.2.0.cdx.json"


def add_versions(product: Any, count: int) -> None:
    for _ in range(count):
        version = factories.version(product, phase="deployed")
        factories.sbom_document(version, AIC_SBOM, role="application")


def test_case_page_statements_do_not_grow_with_components(psirt: Any) -> None:
    product = factories.product(owner=psirt.teams.get(), name="Companion app")
    add_versions(product, 1)
    case = submitted(
        description="The app bundles minimist 0.0.8 (pkg:npm/minimist@0.0.8): prototype pollution."
    ).case
    client = signed_in(psirt)
    page = f"/disclosure/cases/{case.pk}/"
    client.get(page)
    with CaptureQueriesContext(connection) as before:
        assert client.get(page).status_code == 200

    add_versions(product, 3)
    with CaptureQueriesContext(connection) as after:
        response = client.get(page)
    assert response.status_code == 200
    assert len(after) == len(before)
    listed = client.get(f"/api/v1/disclosure/cases/{case.pk}/suggestions").json()
    assert len(listed) == 4
    assert all(item["reasons"] == ["names component pkg:npm/minimist"] for item in listed)


def test_candidates_are_whole_words_and_purl_identities() -> None:
    text = "crash in log4j-core and Microsoft Visual C++ (pkg:maven/org.Apache/log4j-core@2.0)."
    names = candidate_names(text.lower())
    assert {"log4j-core", "microsoft visual c++", "crash"} <= names
    assert "log4j" not in names  # not a whole word: "-core" follows
    assert "rash" not in names
    assert candidate_identities(text) == {"pkg:maven/org.Apache/log4j-core"}
