"""Any upload is imported whole or refused with a Refusal, never a server error or half-stored."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medvigil.platform.refusals import Refusal
from medvigil.triage.models import Proposal
from medvigil.vex import services
from medvigil.vex.models import SupplierVex
from tests.core.vex.test_fuzz import json_values, mutations
from tests.vex.conftest import Portfolio
from tests.vex.test_import import supplier_cyclonedx

pytestmark = pytest.mark.django_db

identifiers = st.sampled_from(
    ["CVE-2021-44906", "GHSA-vh95-rmgr-6w4m", "cve-2020-7598", "CVE-2099-0001", "", " "]
)
products = st.one_of(
    st.sampled_from(
        [
            "pkg:npm/minimist@0.0.8",
            "pkg:npm/minimist",
            "pkg:npm/debug@3.2.6?x=1#y",
            "urn:cdx:699b6458-60da-4f52-b1b3-34915dc01eb6/1#pkg:npm/minimist@0.0.8",
            "minimist",
        ]
    ),
    st.text(max_size=30),
)
statuses = st.sampled_from(["not_affected", "affected", "fixed", "under_investigation", "x"])


@st.composite
def openvex_documents(draw: st.DrawFn) -> bytes:
    statements = []
    for _ in range(draw(st.integers(1, 3))):
        statement: dict[str, Any] = {
            "vulnerability": {"name": draw(identifiers), "aliases": [draw(identifiers)]},
            "products": [{"@id": draw(products), "subcomponents": [{"@id": draw(products)}]}],
            "status": draw(statuses),
        }
        for key in ("justification", "impact_statement", "action_statement"):
            if draw(st.booleans()):
                statement[key] = draw(
                    st.sampled_from(["component_not_present", "Never called.", "Update.", ""])
                )
        statements.append(statement)
    return json.dumps(
        {
            "@context": "https://openvex.dev/ns/v0.2.0",
            "@id": "https://example.com/v",
            "author": "x",
            "timestamp": "2026-01-01T00:00:00Z",
            "version": 1,
            "statements": statements,
        }
    ).encode()


uploads = st.one_of(
    openvex_documents(),
    mutations(json.loads(supplier_cyclonedx())).map(str.encode),
    json_values.map(lambda value: json.dumps(value).encode()),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(content=uploads)
def test_an_upload_is_imported_whole_or_refused(portfolio: Portfolio, content: bytes) -> None:
    with transaction.atomic():
        try:
            document = services.import_vex(
                portfolio.application, content, "fuzz.json", portfolio.engineer
            )
        except Refusal:
            assert not SupplierVex.objects.exists()
            assert not Proposal.objects.exists()
        else:
            assert document.proposal_count == Proposal.objects.count()
            assert len(document.outcomes) == document.statement_count
        transaction.set_rollback(True)
