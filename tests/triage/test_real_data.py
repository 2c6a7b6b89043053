"""Scores from the real feeds: NVD's record of the libwebp overflow and CISA's KEV catalog."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medvigil.platform.refusals import Refusal
from medvigil.sbom import services as sbom_services
from medvigil.triage import scoring, selectors
from medvigil.triage.keys import FindingKey
from medvigil.triage.statements import Statement
from medvigil.vulns import matching
from medvigil.vulns.models import Finding, Vulnerability
from tests import factories

LIBWEBP = "nvd/api-2.0/osv.dev-testdata/nvdcve-2.0/CVE-2023-4863.json"
KEV = "kev/cisagov-kev-data/known_exploited_vulnerabilities.json"
GATEWAY_SBOM = json.dumps(
    {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "components": [
            {
                "type": "library",
                "bom-ref": "libwebp",
                "name": "libwebp",
                "version": "1.3.1",
                "cpe": "cpe:2.3:a:webmproject:libwebp:1.3.1:*:*:*:*:*:*:*",
            }
        ],
    }
).encode()


@pytest.fixture
def libwebp_finding(shared_data: Path) -> Any:
    factories.feed_import(shared_data / LIBWEBP)
    factories.feed_import(shared_data / KEV)
    version = factories.sbom_version(version="4.0")
    document = sbom_services.import_sbom(version, GATEWAY_SBOM, "gateway.cdx.json", "firmware")
    matching.match_document(document)
    return Finding.objects.get(version=version, vulnerability__canonical_id="CVE-2023-4863")


@pytest.mark.django_db
def test_nvd_vector_and_kev_dates_drive_ssvc_and_priority(libwebp_finding: Any) -> None:
    assessment = scoring.ensure_assessment(libwebp_finding)
    assert assessment.cvss3_vector == "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H"
    assert assessment.cvss3_base == 8.8
    assert (assessment.kev_listed, assessment.kev_date_added, assessment.kev_due_date) == (
        True,
        datetime.date(2023, 9, 13),
        datetime.date(2023, 10, 4),
    )
    assert assessment.ssvc_exploitation == "active"  # suggested by the KEV listing
    assert assessment.priority == "high"  # KEV-listed, harm not yet assessed
    person = factories.user(roles=["product-security"])
    scored = scoring.save_scores(
        libwebp_finding,
        person,
        scoring.ScoreInput(
            ssvc_automatable=False,
            ssvc_technical_impact="total",
            ssvc_mission_prevalence="support",
            harm_severity="serious",
            harm_rationale="A crafted image on the gateway display stops alarm forwarding.",
        ),
    )
    assert (scored.ssvc_outcome, scored.ssvc_vector) == ("attend", "E:A/A:N/TI:T/MWI:M/CISA:AT")
    assert scored.priority == "critical"
    assert "known exploited (KEV) with serious or worse patient harm" in scored.priority_reasons
    [statement] = selectors.version_statements(libwebp_finding.version)
    assert statement.component_key == "libwebp@1.3.1"  # CPE only: name@version
    assert statement.scores is not None
    assert statement.scores.kev_listed


STATUSES = st.sampled_from(["under_investigation", "affected", "not_affected", "fixed", "", "x"])
JUSTIFICATIONS = st.sampled_from(
    ["", "component_not_present", "inline_mitigations_already_exist", "because"]
)


@settings(max_examples=200)
@given(STATUSES, JUSTIFICATIONS, st.text(max_size=40), st.text(max_size=40), st.text(max_size=120))
def test_any_statement_is_cleaned_or_refused_naming_fields(
    status: str, justification: str, impact: str, action: str, fixed: str
) -> None:
    refused: set[str] = set()
    try:
        cleaned = Statement(status, justification, impact, action, fixed).cleaned()
    except Refusal as error:
        refused = {field.location[-1] for field in error.errors}
    if refused:
        assert refused <= {
            "status",
            "justification",
            "impact_statement",
            "action_statement",
            "fixed_in_version",
        }
        return
    if cleaned.status == "not_affected":
        assert cleaned.justification
        assert cleaned.impact_statement
    if cleaned.status == "affected":
        assert cleaned.action_statement
    if cleaned.status != "not_affected":
        assert not cleaned.justification


VULNRICHMENT = "cve/cisagov-vulnrichment/2023/47xxx/CVE-2023-47178.json"


@pytest.mark.django_db
def test_cisa_ssvc_decision_points_start_the_ssvc_inputs(shared_data: Path) -> None:
    factories.feed_import(shared_data / VULNRICHMENT, "cve5")
    vulnerability = Vulnerability.objects.get(canonical_id="CVE-2023-47178")
    version = factories.sbom_version(version="2.0")
    key = FindingKey(version, vulnerability, "pkg:generic/portal-plugin@1.0")
    assessment = scoring.ensure_assessment(key)
    # CISA's record: Exploitation poc, Automatable yes, Technical Impact partial.
    assert (
        assessment.ssvc_exploitation,
        assessment.ssvc_automatable,
        assessment.ssvc_technical_impact,
    ) == ("public-poc", True, "partial")
    person = factories.user(roles=["psirt"])
    answers = scoring.ScoreInput(
        ssvc_mission_prevalence="essential", harm_severity="minor", ssvc_automatable=False
    )
    scored = scoring.save_scores(key, person, answers)
    assert scored.ssvc_automatable is False  # a person's answer stands
    assert scored.ssvc_vector == "E:P/A:N/TI:P/MWI:H/CISA:T*"
