"""VEX pages and API as users reach them: import by editors, downloads by customers."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from medvigil.triage.models import Proposal
from medvigil.vex.models import SupplierVex
from tests import factories
from tests.vex.conftest import Portfolio
from tests.vex.test_import import supplier_cyclonedx

pytestmark = pytest.mark.django_db


def signed_in(person: object) -> Client:
    return factories.sign_in(Client(), person)


def upload(name: str = "parsers-vex.json", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content or supplier_cyclonedx(), "application/json")


def test_an_engineer_imports_on_the_page_and_sees_each_statement(portfolio: Portfolio) -> None:
    client = signed_in(portfolio.engineer)
    page = reverse("vex:version", args=[portfolio.application.pk])
    assert "Import a supplier" in client.get(page).content.decode()
    response = client.post(
        reverse("vex:import", args=[portfolio.application.pk]), {"file": upload()}
    )
    document = SupplierVex.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("vex:document", args=[document.pk])
    detail = client.get(response["Location"]).content.decode()
    assert "CycloneDX VEX from Parsers Ltd: parsers-vex.json" in detail
    assert 'id="statement-1"' in detail
    assert "No open finding of this version matches." in detail
    assert "parsers-vex.json" in client.get(page).content.decode()
    original = client.get(reverse("vex:original", args=[document.pk]))
    assert original.content == supplier_cyclonedx()


def test_a_bad_upload_is_shown_and_nothing_is_stored(portfolio: Portfolio) -> None:
    client = signed_in(portfolio.engineer)
    response = client.post(
        reverse("vex:import", args=[portfolio.application.pk]),
        {"file": upload("broken.json", b'{"bomFormat": "CycloneDX", "specVersion": "1.6"}')},
    )
    assert response.status_code == 422
    assert "no vulnerabilities" in response.content.decode()
    assert not SupplierVex.objects.exists()


def test_a_viewer_reads_but_does_not_import(portfolio: Portfolio) -> None:
    client = signed_in(portfolio.viewer)
    page = client.get(reverse("vex:version", args=[portfolio.application.pk])).content.decode()
    assert "Import a supplier" not in page
    refused = client.post(
        reverse("vex:import", args=[portfolio.application.pk]), {"file": upload()}
    )
    assert refused.status_code == 403
    assert not SupplierVex.objects.exists()


def test_customers_download_the_vex_of_versions_they_own_only(portfolio: Portfolio) -> None:
    client = signed_in(portfolio.customer)
    page = client.get(reverse("vex:version", args=[portfolio.application.pk])).content.decode()
    assert "CycloneDX 1.6 VEX" in page
    assert "Supplier VEX documents" not in page
    for format_name in ("cyclonedx", "openvex", "csaf"):
        response = client.get(
            reverse("vex:export", args=[portfolio.application.pk]), {"format": format_name}
        )
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith('attachment; filename="Infusion-Centre')
        json.loads(response.content)
    # The Java version is not deployed at this hospital.
    assert client.get(reverse("vex:export", args=[portfolio.java.pk])).status_code == 404
    stranger = signed_in(portfolio.stranger)
    assert stranger.get(reverse("vex:export", args=[portfolio.application.pk])).status_code == 404


def test_the_api_imports_lists_and_exports(portfolio: Portfolio) -> None:
    client = signed_in(portfolio.engineer)
    base = f"/api/v1/vex/versions/{portfolio.application.pk}"
    created = client.post(f"{base}/documents", {"file": upload()})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["proposal_count"] == 2
    assert body["outcomes"][0]["vulnerability"] == "CVE-2021-44906"
    duplicate = client.post(f"{base}/documents", {"file": upload()})
    assert duplicate.status_code == 409
    assert duplicate["Content-Type"] == "application/problem+json"
    bad = client.post(f"{base}/documents", {"file": upload("bad.json", b"[1, 2]")})
    assert bad.status_code == 422
    assert "not a CycloneDX, OpenVEX or CSAF VEX document" in bad.json()["detail"]
    listed = client.get(f"{base}/documents").json()
    assert [item["filename"] for item in listed] == ["parsers-vex.json"]
    detail = client.get(f"/api/v1/vex/documents/{body['id']}").json()
    assert detail["sha256"] == body["sha256"]
    exported = client.get(f"{base}/export", {"format": "openvex"})
    assert exported.status_code == 200
    assert exported.json()["@context"] == "https://openvex.dev/ns/v0.2.0"
    assert Proposal.objects.count() == 2
    customer = signed_in(portfolio.customer)
    assert customer.get(f"{base}/documents").status_code == 404
    assert customer.get(f"{base}/export", {"format": "csaf"}).status_code == 200


def test_the_version_page_links_to_the_vex_page(portfolio: Portfolio) -> None:
    for person in (portfolio.engineer, portfolio.customer):
        page = signed_in(person).get(
            reverse("portfolio:version-detail", args=[portfolio.application.pk])
        )
        assert reverse("vex:version", args=[portfolio.application.pk]) in page.content.decode()


def test_internal_records_are_linked_for_inside_users_only(portfolio: Portfolio) -> None:
    version_id = portfolio.application.pk
    internal = [
        reverse(name, args=[version_id])
        for name in ("riskfile:version", "triage:version", "reports:list")
    ]
    url = reverse("portfolio:version-detail", args=[version_id])
    engineer_page = signed_in(portfolio.engineer).get(url).content.decode()
    customer_page = signed_in(portfolio.customer).get(url).content.decode()
    assert all(link in engineer_page for link in internal)
    assert not any(link in customer_page for link in internal)
    assert reverse("triage:due") in engineer_page  # the Triage area of the navigation
    assert reverse("triage:due") not in customer_page


def test_administrators_see_imported_documents_read_only_in_the_admin(
    portfolio: Portfolio,
) -> None:
    from medvigil.vex import services

    document = services.import_vex(
        portfolio.application, supplier_cyclonedx(), "parsers-vex.json", portfolio.engineer
    )
    client = signed_in(factories.user(administrator=True))
    listing = client.get("/admin/vex/suppliervex/")
    assert listing.status_code == 200
    assert "parsers-vex.json" in listing.content.decode()
    assert client.get("/admin/vex/suppliervex/add/").status_code == 403
    assert client.get(f"/admin/vex/suppliervex/{document.pk}/change/").status_code == 200
