"""The vulnerability API and pages as different users: who sees which findings."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from medvigil.audit.models import AuditEvent
from medvigil.platform.roles import Role
from medvigil.portfolio import services as portfolio_services
from medvigil.vulns import matching
from medvigil.vulns.models import Advisory, FeedImport
from tests import factories
from tests.conftest import REPOSITORY

pytestmark = pytest.mark.django_db
AIC_SBOM = REPOSITORY / "src/medvigil/sbom/demo_data/aic-app-1.2.0.cdx.json"
AIC_NEXT = REPOSITORY / "src/medvigil/sbom/demo_data/aic-app-1.3.0.cdx.json"


@pytest.fixture
def portfolio() -> dict[str, Any]:
    """Two versions with real SBOMs and findings; a hospital has deployed only 1.2.0."""
    factories.feed_import(factories.demo_feed_folder())
    team = factories.team("Apps")
    product = factories.product(owner=team, name="Companion app", model_number="AIC-APP")
    deployed = factories.version(product, label="1.2.0", phase="deployed")
    other = factories.version(product, label="1.3.0", phase="deployed")
    factories.sbom_document(deployed, AIC_SBOM, role="application")
    factories.sbom_document(other, AIC_NEXT, role="application")
    matching.rematch_all()
    hospital = factories.organisation("customer", "St Elsewhere")
    portfolio_services.set_installed_base(deployed, user=None, count=5)
    portfolio_services.record_deployment(deployed, user=None, organisation=hospital, units=2)
    people = {
        "engineer": factories.user(roles=[Role.PRODUCT_SECURITY.value], teams=[team]),
        "viewer": factories.user(roles=[Role.VIEWER.value], teams=[team]),
        "outsider": factories.user(roles=[Role.PRODUCT_SECURITY.value], teams=[factories.team()]),
        "customer": factories.user(roles=[Role.CUSTOMER.value], organisation=hospital),
        "supplier": factories.user(
            roles=[Role.SUPPLIER.value], organisation=factories.organisation("supplier")
        ),
        "administrator": factories.user(administrator=True),
    }
    return {"deployed": deployed, "other": other, "people": people}


def client_for(person: Any) -> Client:
    return factories.sign_in(Client(raise_request_exception=False), person)


def test_findings_of_a_version_with_filters(portfolio: dict[str, Any]) -> None:
    client = client_for(portfolio["people"]["engineer"])
    url = f"/api/v1/vulns/versions/{portfolio['deployed'].pk}/findings"
    body = client.get(url).json()
    assert {(item["vulnerability"], item["component"]["name"]) for item in body["items"]} == {
        ("CVE-2017-16137", "debug"),
        ("CVE-2020-7598", "minimist"),
        ("CVE-2021-44906", "minimist"),
        ("CVE-2022-3517", "minimatch"),
        ("CVE-2025-5889", "brace-expansion"),
    }
    assert len(body["items"]) == 6  # debug twice: 3.2.6 and 4.1.1
    entry = next(item for item in body["items"] if item["vulnerability"] == "CVE-2021-44906")
    assert (entry["product"], entry["version"], entry["severity"]) == (
        "Companion app",
        "1.2.0",
        "critical",
    )
    assert entry["aliases"] == ["CVE-2021-44906", "GHSA-xvch-5gv4-984h"]
    assert entry["provenance"][0]["fixed"] == ["0.2.4"]
    critical = client.get(url, {"severity": "critical"}).json()["items"]
    assert [item["vulnerability"] for item in critical] == ["CVE-2021-44906"]
    assert client.get(url, {"kev": "true"}).json()["items"] == []
    assert len(client.get(url, {"state": "open", "kev": "false"}).json()["items"]) == 6


def test_a_customer_sees_findings_of_its_deployed_versions_only(
    portfolio: dict[str, Any],
) -> None:
    customer = client_for(portfolio["people"]["customer"])
    deployed, other = portfolio["deployed"], portfolio["other"]
    assert customer.get(f"/api/v1/vulns/versions/{deployed.pk}/findings").status_code == 200
    assert customer.get(f"/api/v1/vulns/versions/{other.pk}/findings").status_code == 404
    detail = customer.get("/api/v1/vulns/vulnerabilities/GHSA-xvch-5gv4-984h").json()
    assert detail["id"] == "CVE-2021-44906"
    assert [(entry["version"], entry["open_findings"]) for entry in detail["exposure"]] == [
        ("1.2.0", 1)
    ]
    inside = client_for(portfolio["people"]["engineer"])
    detail = inside.get("/api/v1/vulns/vulnerabilities/CVE-2021-44906").json()
    assert [(entry["version"], entry["components"]) for entry in detail["exposure"]] == [
        ("1.2.0", ["minimist 0.0.8"]),
        ("1.3.0", ["minimist 0.0.8"]),
    ]
    assert [advisory["id"] for advisory in detail["advisories"]] == ["GHSA-xvch-5gv4-984h"]
    outsider = client_for(portfolio["people"]["outsider"])
    assert outsider.get("/api/v1/vulns/vulnerabilities/CVE-2021-44906").json()["exposure"] == []
    assert outsider.get(f"/api/v1/vulns/versions/{deployed.pk}/findings").status_code == 404
    supplier = client_for(portfolio["people"]["supplier"])
    assert supplier.get("/api/v1/vulns/vulnerabilities").status_code == 403


def test_search_by_id_alias_or_words(portfolio: dict[str, Any]) -> None:
    client = client_for(portfolio["people"]["viewer"])
    by_alias = client.get("/api/v1/vulns/vulnerabilities", {"q": "GHSA-f8q6"}).json()["items"]
    assert [item["id"] for item in by_alias] == ["CVE-2022-3517"]
    by_words = client.get("/api/v1/vulns/vulnerabilities", {"q": "minimist"}).json()["items"]
    assert [item["id"] for item in by_words] == ["CVE-2020-7598", "CVE-2021-44906"]
    missing = client.get("/api/v1/vulns/vulnerabilities/CVE-1999-99999")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"


def test_only_editors_trigger_matching_and_only_administrators_import(
    portfolio: dict[str, Any],
) -> None:
    version = portfolio["deployed"]
    viewer = client_for(portfolio["people"]["viewer"])
    engineer = client_for(portfolio["people"]["engineer"])
    assert viewer.post(f"/api/v1/vulns/versions/{version.pk}/rematch").status_code == 403
    assert engineer.post(f"/api/v1/vulns/versions/{version.pk}/rematch").status_code == 202
    queued = DBTaskResult.objects.filter(task_path="medvigil.vulns.tasks.match_version_task")
    assert queued.count() == 1
    upload = SimpleUploadedFile(
        "minimist.json",
        (factories.demo_feed_folder() / "osv" / "GHSA-xvch-5gv4-984h.json").read_bytes(),
    )
    refused = engineer.post("/api/v1/vulns/feeds/imports", {"file": upload})
    assert refused.status_code == 403
    upload.seek(0)
    administrator = client_for(portfolio["people"]["administrator"])
    # Found by the property-based API run: the refused upload left an import and its event.
    imports, events = FeedImport.objects.count(), AuditEvent.objects.count()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as folder:
        folder.writestr("empty/", b"")
    unreadable = SimpleUploadedFile("empty.zip", archive.getvalue())
    nothing = administrator.post("/api/v1/vulns/feeds/imports", {"file": unreadable})
    assert nothing.status_code == 422, nothing.content
    assert (FeedImport.objects.count(), AuditEvent.objects.count()) == (imports, events)
    accepted = administrator.post("/api/v1/vulns/feeds/imports", {"file": upload, "kind": "osv"})
    assert accepted.status_code == 201
    assert accepted.json()["counts"]["advisories unchanged"] == 1
    assert FeedImport.objects.filter(origin="minimist.json").exists()
    feeds = engineer.get("/api/v1/vulns/feeds").json()
    assert (feeds["advisories"], feeds["kev"], feeds["epss"]) == (Advisory.objects.count(), 50, 27)
    customer = client_for(portfolio["people"]["customer"])
    assert customer.get("/api/v1/vulns/feeds").status_code == 403


def test_pages_show_search_exposure_findings_and_feeds(portfolio: dict[str, Any]) -> None:
    deployed = portfolio["deployed"]
    engineer = client_for(portfolio["people"]["engineer"])
    search = engineer.get(reverse("vulns:search"), {"q": "minimatch"})
    assert 'data-vulnerability="CVE-2022-3517"' in search.content.decode()
    detail = engineer.get(reverse("vulns:detail", args=["CVE-2021-44906"])).content.decode()
    assert 'data-exposed="Companion app 1.2.0"' in detail
    assert 'data-exposed="Companion app 1.3.0"' in detail
    assert 'data-advisory="GHSA-xvch-5gv4-984h"' in detail
    findings = engineer.get(reverse("vulns:version-findings", args=[deployed.pk]))
    page = findings.content.decode()
    assert page.count("data-finding=") == 6
    assert "Match again" in page
    rows = engineer.get(
        reverse("vulns:version-finding-rows", args=[deployed.pk]), {"severity": "critical"}
    ).content.decode()
    assert rows.count("data-finding=") == 1
    assert "<script" not in page.split("</head>", 1)[1]  # strict CSP: no inline scripts
    feeds = engineer.get(reverse("vulns:feeds")).content.decode()
    assert "Recent imports" in feeds
    assert "Import a feed file" not in feeds  # administrators only
    customer = client_for(portfolio["people"]["customer"])
    customer_page = customer.get(reverse("vulns:detail", args=["CVE-2021-44906"])).content.decode()
    assert 'data-exposed="Companion app 1.2.0"' in customer_page
    assert "1.3.0" not in customer_page
    assert customer.get(reverse("vulns:feeds")).status_code == 403
    version_page = engineer.get(reverse("portfolio:version-detail", args=[deployed.pk]))
    assert reverse("vulns:version-findings", args=[deployed.pk]) in version_page.content.decode()


def test_dashboard_tiles_count_what_the_viewer_may_see(portfolio: dict[str, Any]) -> None:
    from medvigil.platform.dashboard import dashboard_tiles

    def tiles(person: Any) -> dict[str, int]:
        return {tile.key: tile.value for tile in dashboard_tiles(person)}

    assert tiles(portfolio["people"]["engineer"])["open-findings"] == 11
    assert tiles(portfolio["people"]["customer"])["open-findings"] == 6
    assert tiles(portfolio["people"]["outsider"])["open-findings"] == 0
    assert tiles(portfolio["people"]["engineer"])["kev-findings"] == 0
    assert "open-findings" not in tiles(portfolio["people"]["supplier"])
