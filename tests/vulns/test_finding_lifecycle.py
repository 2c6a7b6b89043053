"""Findings are closed with a reason, never deleted; CPE criteria naming every version are
candidates for review, not findings. On real NVD records and the demo SBOMs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.test import Client

from medvigil.audit.models import AuditEvent
from medvigil.cli.findings import finding_entry
from medvigil.platform.roles import Role
from medvigil.sbom import services as sbom_services
from medvigil.sbom.models import SbomDocument
from medvigil.vulns import matching, selectors
from medvigil.vulns.models import Finding
from tests import factories
from tests.conftest import REPOSITORY
from tests.vulns.history import changes_of, findings_changed

pytestmark = pytest.mark.django_db
AIC_SBOM = REPOSITORY / "src/medvigil/sbom/demo_data/aic-app-1.2.0.cdx.json"
LIBWEBP = "nvd/api-2.0/osv.dev-testdata/nvdcve-2.0/CVE-2023-4863.json"
BLEVE = "nvd/api-2.0/dependency-track-testdata/CVE-2022-31022-all-versions-vulnerable.json"


def cpe_sbom(components: dict[str, str]) -> bytes:
    """A CycloneDX SBOM whose components are known by CPE only (no purl)."""
    return json.dumps(
        {
            "bomFormat": "CycloneDX",
            "specVersion": "1.6",
            "version": 1,
            "components": [
                {
                    "type": "library",
                    "bom-ref": name,
                    "name": name,
                    "version": cpe.split(":")[5],
                    "cpe": cpe,
                }
                for name, cpe in components.items()
            ],
        }
    ).encode()


def nvd_cve(shared_data: Path, relative: str) -> dict[str, Any]:
    document = json.loads((shared_data / relative).read_text())
    return (
        document["vulnerabilities"][0]["cve"] if "vulnerabilities" in document else document["cve"]
    )


def nvd_feed(*records: dict[str, Any]) -> bytes:
    return json.dumps(
        {
            "format": "NVD_CVE",
            "version": "2.0",
            "timestamp": "2026-01-01T00:00:00.000",
            "resultsPerPage": len(records),
            "startIndex": 0,
            "totalResults": len(records),
            "vulnerabilities": [{"cve": record} for record in records],
        }
    ).encode()


@pytest.fixture
def cpe_portfolio(shared_data: Path) -> dict[str, Any]:
    libwebp, bleve = nvd_cve(shared_data, LIBWEBP), nvd_cve(shared_data, BLEVE)
    factories.feed_import(nvd_feed(libwebp, bleve), name="nvd.json")
    version = factories.sbom_version(version="4.0")
    sbom = cpe_sbom(
        {
            "libwebp": "cpe:2.3:a:webmproject:libwebp:1.3.1:*:*:*:*:*:*:*",
            "bleve": "cpe:2.3:a:couchbase:bleve:2.3.2:*:*:*:*:*:*:*",
        }
    )
    document = sbom_services.import_sbom(version, sbom, "gateway.cdx.json", "firmware")
    report = matching.match_document(document)
    return {
        "version": version,
        "document": document,
        "report": report,
        "libwebp": libwebp,
        "bleve": bleve,
    }


def states(version: Any) -> dict[tuple[str, str], str]:
    return {
        (row.vulnerability.canonical_id, row.component_name): row.state
        for row in Finding.objects.filter(version=version).select_related("vulnerability")
    }


def rematch(feed: bytes) -> matching.MatchReport:
    result = factories.feed_import(feed, name="nvd-update.json")
    return matching.rematch_keys([tuple(key) for key in result.changed_keys])


def test_a_bounded_cpe_criterion_is_a_finding_and_a_version_less_one_a_candidate(
    cpe_portfolio: dict[str, Any],
) -> None:
    version = cpe_portfolio["version"]
    assert states(version) == {
        ("CVE-2023-4863", "libwebp"): "open",
        ("CVE-2022-31022", "bleve"): "candidate",
    }
    assert (cpe_portfolio["report"].opened, cpe_portfolio["report"].candidates) == (1, 1)
    candidate = Finding.objects.get(state="candidate")
    assert candidate.provenance[0]["rule"] == "cpe_every_version"
    assert candidate.provenance[0]["matched"] == (
        "every version (CPE criterion without version bounds)"
    )
    assert findings_changed("candidate") == [candidate.pk]
    [noted] = changes_of(candidate.pk, "candidate")
    assert (noted["state"], noted["advisories"]) == ([None, "candidate"], ["CVE-2022-31022"])
    # Candidates are not findings: not counted, not listed unless asked for.
    assert selectors.version_finding_summary(version) == {"open": 1, "closed": 0, "candidates": 1}
    listed = selectors.findings_of_version(version, selectors.FindingFilter())
    assert [row.component_name for row in listed] == ["libwebp"]
    asked = selectors.findings_of_version(version, selectors.FindingFilter(state="candidate"))
    assert [row.component_name for row in asked] == ["bleve"]


def test_candidates_are_listed_for_review_on_the_page_and_the_api(
    cpe_portfolio: dict[str, Any],
) -> None:
    version = cpe_portfolio["version"]
    engineer = factories.user(roles=[Role.PRODUCT_SECURITY.value], teams=[version.product.team])
    client = factories.sign_in(Client(raise_request_exception=False), engineer)
    url = f"/api/v1/vulns/versions/{version.pk}/findings"
    default = client.get(url).json()["items"]
    assert [item["vulnerability"] for item in default] == ["CVE-2023-4863"]
    candidates = client.get(url, {"state": "candidate"}).json()["items"]
    assert [(item["vulnerability"], item["state"]) for item in candidates] == [
        ("CVE-2022-31022", "candidate")
    ]
    page = client.get(f"/vulnerabilities/versions/{version.pk}/findings").content.decode()
    assert "1 candidate to review" in page
    listing = client.get(f"/vulnerabilities/versions/{version.pk}/findings?state=candidate")
    assert "CVE-2022-31022" in listing.content.decode()


def test_a_corrected_cpe_record_closes_and_a_bounded_one_promotes_a_candidate(
    cpe_portfolio: dict[str, Any],
) -> None:
    libwebp, bleve = dict(cpe_portfolio["libwebp"]), dict(cpe_portfolio["bleve"])
    # NVD corrects libwebp's bound (1.3.1 fixed) and bounds bleve's criterion (< 2.4.0).
    libwebp["lastModified"] = bleve["lastModified"] = "2026-02-01T00:00:00.000"
    libwebp["configurations"] = json.loads(
        json.dumps(libwebp["configurations"]).replace('"1.3.2"', '"1.3.1"')
    )
    bleve["configurations"][0]["nodes"][0]["cpeMatch"][0]["versionEndExcluding"] = "2.4.0"
    report = rematch(nvd_feed(libwebp, bleve))
    assert (report.examined, report.closed) == (2, 1)
    version = cpe_portfolio["version"]
    assert states(version) == {
        ("CVE-2023-4863", "libwebp"): "closed",
        ("CVE-2022-31022", "bleve"): "open",
    }
    closed = Finding.objects.get(state="closed")
    assert closed.close_reason == (
        "no longer affected: the component's version is outside every current advisory's range"
    )
    bleve = Finding.objects.get(vulnerability__canonical_id="CVE-2022-31022")
    assert findings_changed("state-changed") == [bleve.pk]
    [promoted] = changes_of(bleve.pk, "state-changed")
    assert promoted["state"] == ["candidate", "open"]


def test_a_rejected_cve_closes_its_cpe_finding_and_candidate_as_withdrawn(
    cpe_portfolio: dict[str, Any],
) -> None:
    libwebp, bleve = dict(cpe_portfolio["libwebp"]), dict(cpe_portfolio["bleve"])
    for record in (libwebp, bleve):
        record["vulnStatus"] = "Rejected"
        record["lastModified"] = "2026-03-01T00:00:00.000"
    report = rematch(nvd_feed(libwebp, bleve))
    assert report.closed == 2
    reasons = dict(Finding.objects.values_list("vulnerability__canonical_id", "close_reason"))
    assert reasons == {
        "CVE-2023-4863": "withdrawn: CVE-2023-4863 (withdrawn 2026-03-01)",
        "CVE-2022-31022": "withdrawn: CVE-2022-31022 (withdrawn 2026-03-01)",
    }
    closing = [group for pk in findings_changed("closed") for group in changes_of(pk, "closed")]
    assert sorted((tuple(group["state"]), group["reason"]) for group in closing) == [
        (("candidate", "closed"), reasons["CVE-2022-31022"]),
        (("open", "closed"), reasons["CVE-2023-4863"]),
    ]


def test_deleting_an_sbom_closes_its_findings_and_keeps_them_readable(
    django_capture_on_commit_callbacks: Any,
) -> None:
    factories.feed_import(factories.demo_feed_folder())
    version = factories.sbom_version(version="1.2.0")
    document = factories.sbom_document(version, AIC_SBOM, role="application")
    matching.match_document(document)
    opened = dict(Finding.objects.values_list("pk", "component_name"))
    assert len(opened) == 6
    with django_capture_on_commit_callbacks(execute=True):
        sbom_services.delete_document(document)
    assert not SbomDocument.objects.filter(pk=document.pk).exists()
    rows = list(Finding.objects.order_by("pk"))
    assert dict((row.pk, row.component_name) for row in rows) == opened  # none deleted
    reason = "component removed: SBOM document aic-app-1.2.0.cdx.json deleted"
    assert {(row.state, row.close_reason, row.component_id) for row in rows} == {
        ("closed", reason, None)
    }
    minimist = next(row for row in rows if row.vulnerability.canonical_id == "CVE-2021-44906")
    assert (minimist.component_label, minimist.component_purl) == (
        "minimist 0.0.8",
        "pkg:npm/minimist@0.0.8",
    )
    events = AuditEvent.objects.filter(action="vulns.finding.closed")
    assert events.count() == 6
    assert {event.details["reason"] for event in events} == {reason}
    # Every reader still works without the component.
    entry = finding_entry(selectors.all_findings(state="closed").get(pk=minimist.pk))
    assert entry["component"] == {
        "name": "minimist",
        "version": "0.0.8",
        "purl": "pkg:npm/minimist@0.0.8",
        "cpe": "",
    }
    engineer = factories.user(roles=[Role.PRODUCT_SECURITY.value], teams=[version.product.team])
    client = factories.sign_in(Client(raise_request_exception=False), engineer)
    body = client.get(f"/api/v1/vulns/versions/{version.pk}/findings", {"state": "closed"})
    assert body.status_code == 200
    assert {item["component"]["id"] for item in body.json()["items"]} == {None}
    page = client.get(f"/vulnerabilities/versions/{version.pk}/findings?state=closed")
    assert page.status_code == 200
    assert "minimist 0.0.8" in page.content.decode()
    detail = client.get("/vulnerabilities/CVE-2021-44906/")
    assert detail.status_code == 200


def test_a_failing_close_leaves_the_sbom_and_its_findings_untouched() -> None:
    factories.feed_import(factories.demo_feed_folder())
    version = factories.sbom_version(version="1.2.0")
    document = factories.sbom_document(version, AIC_SBOM, role="application")
    matching.match_document(document)
    with (
        mock.patch(
            "medvigil.vulns.receivers.close_findings_of_document",
            side_effect=RuntimeError("database went away"),
        ),
        pytest.raises(RuntimeError),
    ):
        sbom_services.delete_document(document)
    assert SbomDocument.objects.filter(pk=document.pk).exists()
    assert set(Finding.objects.values_list("state", flat=True)) == {"open"}
    assert not AuditEvent.objects.filter(action="sbom.deleted").exists()
