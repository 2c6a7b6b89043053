"""The version's VEX in three formats, from real decisions, each passing its validator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from django.test import Client
from django.utils import timezone

from medvigil.core.sbom.cyclonedx_schema import json_schema_warnings
from medvigil.core.vex import read_vex
from medvigil.platform.refusals import Refusal
from medvigil.triage import services as triage_services
from medvigil.triage.statements import Statement
from medvigil.vex.selectors import export_version
from tests import factories
from tests.csaf_validator import validate_csaf
from tests.vex.conftest import Portfolio, decide_every_state

pytestmark = pytest.mark.django_db


def exports(portfolio: Portfolio) -> dict[str, dict[str, Any]]:
    now = timezone.now()
    return {
        name: json.loads(export_version(portfolio.application, name, now))
        for name in ("cyclonedx", "openvex", "csaf")
    }


def test_every_format_validates_and_states_each_decision(
    portfolio: Portfolio, shared_data: Path
) -> None:
    chosen = decide_every_state(portfolio)
    # A decision waiting for its approval signature is not yet what the manufacturer states.
    pending = portfolio.findings(portfolio.application)[3]
    triage_services.decide(
        pending,
        portfolio.engineer,
        Statement("not_affected", "component_not_present", "Removed from the build."),
    )
    documents = exports(portfolio)

    assert json_schema_warnings(documents["cyclonedx"], "1.6") == ()
    schema = json.loads((shared_data / "schemas/openvex/openvex_json_schema.json").read_text())
    jsonschema.validate(documents["openvex"], schema)
    report = validate_csaf({"csaf": documents["csaf"]})["csaf"]
    assert report["valid"], report
    assert report["errors"] == []

    findings = portfolio.findings(portfolio.application)
    expected = {
        (finding.vulnerability.canonical_id, finding.component.purl): status
        for status, finding in chosen.items()
    }
    states = {
        "not_affected": "not_affected",
        "exploitable": "affected",
        "resolved": "fixed",
        "in_triage": "under_investigation",
    }
    cyclonedx_said = {
        (item["id"], item["affects"][0]["ref"]): states[item["analysis"]["state"]]
        for item in documents["cyclonedx"]["vulnerabilities"]
    }
    openvex_said = {
        (item["vulnerability"]["name"], item["products"][0]["subcomponents"][0]["@id"]): item[
            "status"
        ]
        for item in documents["openvex"]["statements"]
    }
    for said in (cyclonedx_said, openvex_said):
        assert len(said) == len(findings)
        for key, status in said.items():
            assert status == expected.get(key, "under_investigation"), key
    # CSAF speaks of the device version, one entry per CVE, the worst status first.
    csaf_said = {
        item.vulnerability: item.status
        for item in read_vex(json.dumps(documents["csaf"]), source="csaf").statements
    }
    assert csaf_said == {
        "CVE-2017-16137": "affected",  # debug 3.2.6 affected, debug 4.1.1 not affected
        "CVE-2020-7598": "fixed",
        "CVE-2021-44906": "under_investigation",
        "CVE-2022-3517": "under_investigation",
        "CVE-2025-5889": "under_investigation",
    }

    cyclonedx = {
        (item["id"], item["affects"][0]["ref"]): item
        for item in documents["cyclonedx"]["vulnerabilities"]
    }
    not_affected = chosen["not_affected"]
    entry = cyclonedx[(not_affected.vulnerability.canonical_id, "pkg:npm/debug@4.1.1")]
    assert entry["analysis"]["justification"] == "code_not_reachable"
    assert entry["analysis"]["detail"].startswith("The parser is only reached")
    assert documents["cyclonedx"]["metadata"]["component"]["name"] == "Infusion Centre"
    assert documents["csaf"]["document"]["category"] == "csaf_vex"
    assert documents["csaf"]["document"]["tracking"]["id"] == "VEX-AIC-1-1.2.0"
    # One revision per decision: three approved and one pending.
    assert documents["csaf"]["document"]["tracking"]["version"] == "4"


def test_identifiers_are_stable_and_the_version_number_grows(portfolio: Portfolio) -> None:
    before = exports(portfolio)
    decide_every_state(portfolio)
    after = exports(portfolio)
    assert before["cyclonedx"]["serialNumber"] == after["cyclonedx"]["serialNumber"]
    assert before["openvex"]["@id"] == after["openvex"]["@id"]
    assert after["cyclonedx"]["version"] == before["cyclonedx"]["version"] + 3
    assert after["openvex"]["version"] == before["openvex"]["version"] + 3
    statuses = {item["status"] for item in before["openvex"]["statements"]}
    assert statuses == {"under_investigation"}


def test_a_version_without_findings_says_so_in_cyclonedx_only(portfolio: Portfolio) -> None:
    empty = factories.version(portfolio.application.product, label="3.0.0", phase="design")
    document = json.loads(export_version(empty, "cyclonedx", timezone.now()))
    assert document["vulnerabilities"] == []
    assert json_schema_warnings(document, "1.6") == ()
    for format_name in ("openvex", "csaf"):
        with pytest.raises(Refusal, match="needs at least one statement"):
            export_version(empty, format_name, timezone.now())
    client = factories.sign_in(Client(), portfolio.engineer)
    refused = client.get(f"/api/v1/vex/versions/{empty.pk}/export", {"format": "csaf"})
    assert refused.status_code == 409
    assert "no open finding" in refused.json()["detail"]
