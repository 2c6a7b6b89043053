"""Vulnerabilities feeding the risk file: links, and real KEV/EPSS updates flagging risks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from medvigil.audit.models import AuditEvent
from medvigil.platform.workers import run_worker
from medvigil.riskfile import services, vulnerabilities
from medvigil.riskfile.models import SecurityRisk, VulnerabilityLink
from medvigil.sbom import services as sbom_services
from medvigil.vulns import matching
from medvigil.vulns.models import Finding
from tests import factories
from tests.conftest import shared_data_directory
from tests.riskfile.conftest import Place

KEV = shared_data_directory() / "kev/cisagov-kev-data/known_exploited_vulnerabilities.json"
EPSS = shared_data_directory() / "epss/vulnerablecode-testdata/epss/epss_scores-2025-x-x.csv"
# CVE-2025-48384 (Git) entered the KEV catalog on 2025-08-25, the catalog's newest entry; its
# GitHub advisory is GHSA-vwqx-4fm8-6qc9 (named in the KEV entry's notes).
GIT_CVE, GIT_GHSA = "CVE-2025-48384", "GHSA-vwqx-4fm8-6qc9"


def osv_record(identifier: str, alias: str, modified: str, references: list[Any]) -> bytes:
    return json.dumps(
        {
            "id": identifier,
            "modified": modified,
            "aliases": [alias],
            "summary": f"{alias} advisory",
            "references": references,
            "affected": [],
        }
    ).encode()


def kev_without(cve: str, folder: Path) -> Path:
    """The real catalog as it was before `cve` was added (same entries, one fewer)."""
    catalog = json.loads(KEV.read_text(encoding="utf-8"))
    catalog["vulnerabilities"] = [e for e in catalog["vulnerabilities"] if e["cveID"] != cve]
    catalog["count"], catalog["catalogVersion"] = len(catalog["vulnerabilities"]), "2025.08.22"
    path = folder / "known_exploited_vulnerabilities.json"
    path.write_text(json.dumps(catalog), encoding="utf-8")
    return path


def epss_day_before(folder: Path) -> Path:
    """The real daily file with the previous day's date and two scores lower than published."""
    lines = EPSS.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace("2025-12-26", "2025-12-25")
    earlier = {"CVE-1999-0002": "0.00546,0.50012", "CVE-1999-0001": "0.01000,0.77000"}
    lines = [
        f"{line.split(',')[0]},{earlier[line.split(',')[0]]}"
        if line.split(",")[0] in earlier
        else line
        for line in lines
    ]
    path = folder / "epss_scores-2025-12-25.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def assessed_risk(place: Place) -> SecurityRisk:
    threat = place.version.threats.order_by("identifier").first()
    return services.create_risk(
        place.version, {"exploitability": "moderate", "patient_safety": "serious"}, threat=threat
    )


def engineer_client(place: Place) -> Client:
    return factories.sign_in(Client(raise_request_exception=False), place.engineer)


@pytest.mark.django_db(transaction=True)
def test_a_real_kev_addition_flags_the_linked_risk_until_re_evaluated(
    place: Place, tmp_path: Path
) -> None:
    factories.feed_import(osv_record(GIT_GHSA, GIT_CVE, "2025-07-08T00:00:00Z", []), "osv")
    factories.feed_import(kev_without(GIT_CVE, tmp_path), "kev")
    risk = assessed_risk(place)
    client = engineer_client(place)
    url = f"/api/v1/riskfile/versions/{place.version.pk}/vulnerability-links"
    created = client.post(
        url,
        {
            "vulnerability": GIT_GHSA,
            "risk_id": risk.pk,
            "rationale": "The clinician tablet bundles Git for updates.",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["vulnerability"] == GIT_CVE
    assert created.json()["exploitability"]["kev_added"] == ""

    factories.feed_import(KEV, "kev")  # the real catalog of 2025-08-25
    run_worker(batch=True)

    risk.refresh_from_db()
    assert risk.reevaluation_needed
    assert risk.reevaluation_reason == (
        f"{GIT_CVE}: added to the CISA KEV catalog (date added 2025-08-25)."
    )
    flagged = AuditEvent.objects.get(action="risk-flagged-for-reevaluation")
    assert flagged.details["reasons"] == ["added to the CISA KEV catalog (date added 2025-08-25)"]

    # The same catalog again changes nothing: the link remembers what it saw.
    factories.feed_import(KEV, "kev")
    run_worker(batch=True)
    assert AuditEvent.objects.filter(action="risk-flagged-for-reevaluation").count() == 1

    path = f"/api/v1/riskfile/risks/{risk.pk}/reevaluated"
    refused = client.post(path, {"note": " "}, content_type="application/json")
    assert refused.status_code == 422
    cleared = client.post(
        path,
        {"note": "Exploitability raised to high; CTL-1 covers it."},
        content_type="application/json",
    )
    assert cleared.status_code == 200
    assert cleared.json()["reevaluation_needed"] is False
    event = AuditEvent.objects.get(action="risk-reevaluated")
    assert event.details["reason"].startswith(GIT_CVE)


@pytest.mark.django_db(transaction=True)
def test_a_real_epss_update_flags_only_the_jump_above_the_threshold(
    place: Place, tmp_path: Path
) -> None:
    for cve in ("CVE-1999-0001", "CVE-1999-0002"):
        factories.feed_import(osv_record(f"OSV-{cve}", cve, "2025-01-01T00:00:00Z", []), "osv")
    factories.feed_import(epss_day_before(tmp_path), "epss")
    risk = assessed_risk(place)
    threat = place.version.threats.order_by("identifier").last()
    other = services.create_risk(place.version, {"exploitability": "low"}, threat=threat)
    for cve, target in (("CVE-1999-0002", risk), ("CVE-1999-0001", other)):
        vulnerabilities.link_vulnerability(
            place.version,
            rationale="Used by the pump's network stack.",
            risk=target,
            **vulnerabilities_of(place, cve),
        )

    factories.feed_import(EPSS, "epss")  # the real file of 2025-12-26
    run_worker(batch=True)

    risk.refresh_from_db()
    other.refresh_from_db()
    assert risk.reevaluation_reason == (
        "CVE-1999-0002: EPSS probability rose from 0.00546 to 0.10546 (+0.10000; threshold +0.1)."
    )
    assert not other.reevaluation_needed  # 0.01000 -> 0.01151 is below the threshold
    link = VulnerabilityLink.objects.get(risk=risk)
    assert link.exploitability["epss_probability"] == 0.10546


@pytest.mark.django_db
def test_new_exploit_evidence_flags_the_risk_of_a_linked_threat(place: Place) -> None:
    factories.feed_import(osv_record(GIT_GHSA, GIT_CVE, "2025-07-08T00:00:00Z", []), "osv")
    risk = assessed_risk(place)
    targets = vulnerabilities_of(place, GIT_CVE)
    vulnerabilities.link_vulnerability(
        place.version, rationale="Git in the update path.", threat=risk.threat, **targets
    )
    exploit = "https://github.com/example/CVE-2025-48384-poc"
    factories.feed_import(
        osv_record(
            GIT_GHSA, GIT_CVE, "2025-07-20T00:00:00Z", [{"type": "EVIDENCE", "url": exploit}]
        ),
        "osv",
    )
    assert vulnerabilities.recheck_links() == {"checked": 1, "flagged": 1}
    risk.refresh_from_db()
    assert risk.reevaluation_reason == f"{GIT_CVE}: new exploit evidence: {exploit}."


def vulnerabilities_of(place: Place, identifier: str) -> dict[str, Any]:
    from medvigil.riskfile import selectors

    return selectors.link_targets(place.version, identifier)


@pytest.mark.django_db
def test_a_finding_of_the_version_links_and_bad_links_are_refused(place: Place) -> None:
    events = [{"introduced": "0"}, {"fixed": "1.3.0"}]
    advisory = {
        "id": "GHSA-risk-left-pad",
        "modified": "2026-01-01T00:00:00Z",
        "aliases": ["CVE-2099-0002"],
        "affected": [
            {
                "package": {"ecosystem": "npm", "name": "left-pad"},
                "ranges": [{"type": "ECOSYSTEM", "events": events}],
            }
        ],
    }
    factories.feed_import(json.dumps(advisory).encode(), "osv")
    sbom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "components": [
            {
                "type": "library",
                "bom-ref": "lp",
                "name": "left-pad",
                "version": "1.0.0",
                "purl": "pkg:npm/left-pad@1.0.0",
            }
        ],
    }
    sbom_services.import_sbom(place.version, json.dumps(sbom).encode(), "bom.json", "firmware")
    matching.match_version(place.version)
    finding = Finding.objects.get(version=place.version)
    risk = assessed_risk(place)
    client = engineer_client(place)
    url = f"/api/v1/riskfile/versions/{place.version.pk}/vulnerability-links"
    body = {
        "vulnerability": "CVE-2099-0002",
        "finding_id": finding.pk,
        "risk_id": risk.pk,
        "rationale": "left-pad formats the dose on the tablet.",
    }
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["finding_id"] == finding.pk
    again = client.post(url, body, content_type="application/json")
    assert again.status_code == 409
    assert "already linked" in again.json()["detail"]
    for wrong, message in (
        ({"vulnerability": "CVE-2099-9999"}, "No vulnerability"),
        ({"risk_id": None}, "to a threat or a risk"),
        ({"finding_id": 10**9}, "No such finding"),
        ({"rationale": " ", "risk_id": None, "threat_id": risk.threat_id}, "Say how"),
    ):
        refused = client.post(url, {**body, **wrong}, content_type="application/json")
        assert refused.status_code == 422
        assert message in refused.json()["detail"], refused.json()
    assert VulnerabilityLink.objects.count() == 1
    assert AuditEvent.objects.filter(action="vulnerability-linked").count() == 1
    listed = client.get(url).json()
    assert [item["risk"] for item in listed] == [risk.identifier]
    # Another team's engineer and a customer see nothing and change nothing.
    for person in (place.other_engineer, place.customer):
        outsider = factories.sign_in(Client(raise_request_exception=False), person)
        assert outsider.get(url).status_code == 404
        assert outsider.post(url, body, content_type="application/json").status_code == 404


@pytest.mark.django_db
def test_the_vulnerability_page_links_and_clears_a_flag(place: Place) -> None:
    factories.feed_import(osv_record(GIT_GHSA, GIT_CVE, "2025-07-08T00:00:00Z", []), "osv")
    risk = assessed_risk(place)
    client = engineer_client(place)
    page = f"/riskfile/versions/{place.version.pk}/vulnerabilities"
    client.post(
        f"{page}/link",
        {
            "vulnerability": GIT_CVE,
            "target": risk.identifier,
            "rationale": "Git in the update path.",
        },
    )
    link = VulnerabilityLink.objects.get()
    link.exploitability = {}
    link.save()
    factories.feed_import(KEV, "kev")
    vulnerabilities.recheck_links(place.version)
    shown = client.get(page).content.decode()
    assert "added to the CISA KEV catalog (date added 2025-08-25)" in shown
    overview = client.get(f"/riskfile/versions/{place.version.pk}/").content.decode()
    assert "1 security risk(s) to re-evaluate" in overview
    risks_page = client.get(f"/riskfile/versions/{place.version.pk}/risks").content.decode()
    assert f"Re-evaluate: {GIT_CVE}: added to the CISA KEV catalog" in risks_page
    client.post(f"/riskfile/risks/{risk.pk}/reevaluated", {"note": "Raised to high."})
    risk.refresh_from_db()
    assert not risk.reevaluation_needed
    viewer = factories.sign_in(Client(raise_request_exception=False), place.viewer)
    assert viewer.get(page).status_code == 200
    refused = viewer.post(
        f"{page}/link", {"vulnerability": GIT_CVE, "target": risk.identifier, "rationale": "x"}
    )
    assert refused.status_code == 403


@pytest.mark.django_db
def test_any_link_request_is_linked_or_refused_with_a_message(place: Place) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    factories.feed_import(osv_record(GIT_GHSA, GIT_CVE, "2025-07-08T00:00:00Z", []), "osv")
    risk = assessed_risk(place)
    client = engineer_client(place)
    url = f"/api/v1/riskfile/versions/{place.version.pk}/vulnerability-links"
    texts = st.text(max_size=30)
    numbers = st.none() | st.integers(min_value=-(2**31), max_value=2**31) | st.just(risk.pk)

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.one_of(texts, st.just(GIT_CVE), st.just(GIT_GHSA)), texts, numbers, numbers, numbers)
    def request(
        vulnerability: str, rationale: str, risk_id: Any, threat_id: Any, finding_id: Any
    ) -> None:
        before = VulnerabilityLink.objects.count()
        body = {
            "vulnerability": vulnerability,
            "rationale": rationale,
            "risk_id": risk_id,
            "threat_id": threat_id,
            "finding_id": finding_id,
        }
        response = client.post(url, body, content_type="application/json")
        # 400: a body the parser refuses (a NUL character), 409/422: a refused link
        assert response.status_code in (201, 400, 409, 422), response.content
        if response.status_code != 201:
            assert response.json()["detail"]
            assert VulnerabilityLink.objects.count() == before

    request()


@pytest.mark.django_db
def test_a_link_made_by_mistake_is_removed_and_the_removal_audited(place: Place) -> None:
    factories.feed_import(osv_record(GIT_GHSA, GIT_CVE, "2025-07-08T00:00:00Z", []), "osv")
    risk = assessed_risk(place)
    targets = vulnerabilities_of(place, GIT_CVE)
    first = vulnerabilities.link_vulnerability(
        place.version, rationale="Wrong risk.", risk=risk, **targets
    )
    client = engineer_client(place)
    viewer = factories.sign_in(Client(raise_request_exception=False), place.viewer)
    assert viewer.delete(f"/api/v1/riskfile/vulnerability-links/{first.pk}").status_code == 403
    assert client.delete(f"/api/v1/riskfile/vulnerability-links/{first.pk}").status_code == 204
    second = vulnerabilities.link_vulnerability(
        place.version, rationale="Wrong again.", threat=risk.threat, **targets
    )
    client.post(f"/riskfile/vulnerability-links/{second.pk}/remove")
    assert not VulnerabilityLink.objects.exists()
    removed = AuditEvent.objects.filter(action="vulnerability-unlinked").order_by("sequence")
    assert [event.details["rationale"] for event in removed] == ["Wrong risk.", "Wrong again."]


VULNRICHMENT = shared_data_directory() / "cve/cisagov-vulnrichment/2023/47xxx/CVE-2023-47178.json"


@pytest.mark.django_db(transaction=True)
def test_cisa_ssvc_exploitation_rising_to_poc_flags_the_risk(place: Place, tmp_path: Path) -> None:
    record = json.loads(VULNRICHMENT.read_text(encoding="utf-8"))
    earlier = json.loads(
        json.dumps(record).replace('"Exploitation": "poc"', '"Exploitation": "none"')
    )
    earlier["cveMetadata"]["dateUpdated"] = "2024-06-01T00:00:00.000Z"
    path = tmp_path / "CVE-2023-47178.json"
    path.write_text(json.dumps(earlier), encoding="utf-8")
    factories.feed_import(path, "cve5")
    risk = assessed_risk(place)
    targets = vulnerabilities_of(place, "CVE-2023-47178")
    link = vulnerabilities.link_vulnerability(
        place.version, rationale="Plugin in the portal.", risk=risk, **targets
    )
    assert link.exploitability["ssvc_exploitation"] == "none"
    factories.feed_import(VULNRICHMENT, "cve5")  # CISA's record of 2024-08-02: poc
    run_worker(batch=True)
    risk.refresh_from_db()
    assert risk.reevaluation_reason == (
        "CVE-2023-47178: CISA SSVC exploitation is now poc (was none)."
    )
