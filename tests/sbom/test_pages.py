"""SBOM pages: a version's SBOMs and components, upload errors, quality, diff, export."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from medvigil.platform.roles import Role
from medvigil.sbom.models import Component, SbomDocument
from tests import factories
from tests.sbom.test_import import SBOM_FOLDER

PROTOCOL = SBOM_FOLDER / "cyclonedx/bom-examples/CBOM/Protocol/bom.json"


@pytest.fixture
def engineer_client(db: None) -> tuple[Client, Any]:
    team = factories.team()
    version = factories.sbom_version(owner=team)
    person = factories.user(roles=[Role.PRODUCT_SECURITY.value], teams=[team])
    return factories.sign_in(Client(), person), version


def test_upload_then_the_page_lists_documents_and_components(
    engineer_client: tuple[Client, Any],
) -> None:
    client, version = engineer_client
    response = client.post(
        f"/sbom/versions/{version.pk}/upload",
        {"file": SimpleUploadedFile("bom.json", PROTOCOL.read_bytes()), "role": "firmware"},
    )
    assert response.status_code == 302
    page = client.get(f"/sbom/versions/{version.pk}/").content.decode()
    assert 'data-document="bom.json"' in page
    assert 'data-component="TLSv1.2"' in page
    assert 'data-export="spdx-json"' in page
    assert "<script>" not in page
    assert "style=" not in page
    rows = client.get(f"/sbom/versions/{version.pk}/components", {"search": "TLS"})
    assert rows.status_code == 200
    assert 'data-component="TLSv1.2"' in rows.content.decode()
    document = SbomDocument.objects.get()
    quality = client.get(f"/sbom/documents/{document.pk}/").content.decode()
    assert 'data-element="supplier"' in quality
    assert client.get(f"/sbom/versions/{version.pk}/quality").status_code == 200
    export = client.get(f"/sbom/versions/{version.pk}/export/cyclonedx-xml")
    assert export["Content-Type"] == "application/vnd.cyclonedx+xml"
    component = Component.objects.filter(name="TLSv1.2").first()
    saved = client.post(
        f"/sbom/components/{component.pk}/support",
        {"level_of_support": "actively maintained", "end_of_support": "2030-01-01"},
    )
    assert saved.status_code == 302
    component.refresh_from_db()
    assert component.level_of_support == "actively maintained"


def test_a_refused_upload_shows_the_reason_and_stores_nothing(
    engineer_client: tuple[Client, Any],
) -> None:
    client, version = engineer_client
    response = client.post(
        f"/sbom/versions/{version.pk}/upload",
        {"file": SimpleUploadedFile("broken.json", b'{"bomFormat":'), "role": "firmware"},
    )
    assert response.status_code == 422
    assert "broken.json: not valid JSON" in response.content.decode()
    assert SbomDocument.objects.count() == 0


def test_diff_page_and_invisible_versions(engineer_client: tuple[Client, Any]) -> None:
    client, version = engineer_client
    later = factories.sbom_version(model_number=version.product.model_number, version="2.0")
    factories.sbom_document(later, PROTOCOL)
    page = client.get("/sbom/diff/", {"before": version.pk, "after": later.pk})
    assert page.status_code == 200
    assert "9 added, 0 removed, 0 changed, 0 unchanged." in page.content.decode()
    stranger = factories.sign_in(
        Client(), factories.user(roles=[Role.PRODUCT_SECURITY.value], teams=[factories.team()])
    )
    assert stranger.get(f"/sbom/versions/{version.pk}/").status_code == 404
    assert stranger.get(f"/sbom/versions/{later.pk}/export/spdx-json").status_code == 404


def test_the_portfolio_version_page_links_to_the_sboms(
    engineer_client: tuple[Client, Any],
) -> None:
    client, version = engineer_client
    page = client.get(f"/products/versions/{version.pk}/").content.decode()
    assert f'href="/sbom/versions/{version.pk}/"' in page


def test_a_refused_support_date_keeps_the_row_as_typed(
    engineer_client: tuple[Client, Any],
) -> None:
    client, version = engineer_client
    client.post(
        f"/sbom/versions/{version.pk}/upload",
        {"file": SimpleUploadedFile("bom.json", PROTOCOL.read_bytes()), "role": "firmware"},
    )
    component = Component.objects.filter(name="TLSv1.2").first()
    response = client.post(
        f"/sbom/components/{component.pk}/support",
        {"level_of_support": "actively maintained", "end_of_support": "31/31/2030"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    field = f"support{component.pk}_end_of_support"
    assert f'id="{field}_error"><li>Enter a valid date.</li>' in page
    assert 'value="31/31/2030"' in page
    assert '<option value="actively maintained" selected>' in page
    component.refresh_from_db()
    assert component.level_of_support == ""


def test_the_upload_form_states_the_size_limit(
    engineer_client: tuple[Client, Any], settings: Any
) -> None:
    client, version = engineer_client
    settings.SBOM_MAX_BYTES = 50 * 1024 * 1024
    page = client.get(f"/sbom/versions/{version.pk}/").content.decode()
    assert "SPDX 2.2/2.3, up to 50 MB" in page
    settings.SBOM_MAX_BYTES = 2048
    refused = client.post(
        f"/sbom/versions/{version.pk}/upload",
        {"file": SimpleUploadedFile("bom.json", PROTOCOL.read_bytes()), "role": "firmware"},
    )
    assert refused.status_code == 422
    assert "is over the limit of 2 KB" in refused.content.decode()


def test_removing_an_sbom_asks_for_confirmation_first(
    engineer_client: tuple[Client, Any],
) -> None:
    client, version = engineer_client
    client.post(
        f"/sbom/versions/{version.pk}/upload",
        {"file": SimpleUploadedFile("bom.json", PROTOCOL.read_bytes()), "role": "firmware"},
    )
    document = SbomDocument.objects.get()
    url = f"/sbom/documents/{document.pk}/delete"
    assert f'href="{url}"' in client.get(f"/sbom/versions/{version.pk}/").content.decode()
    asked = client.get(url)
    assert asked.status_code == 200
    assert "Remove bom.json?" in asked.content.decode()
    assert 'name="confirm" value="remove"' in asked.content.decode()
    unconfirmed = client.post(url, {})
    assert unconfirmed.status_code == 200
    assert SbomDocument.objects.filter(pk=document.pk).exists()
    removed = client.post(url, {"confirm": "remove"})
    assert removed.status_code == 302
    assert not SbomDocument.objects.filter(pk=document.pk).exists()


def test_a_file_that_is_not_utf8_is_refused_in_words(
    engineer_client: tuple[Client, Any],
) -> None:
    client, version = engineer_client
    content = b'{\n  "bomFormat": "CycloneDX",\n  "specVersion": "1.6", "x": "Gr\xcdn"\n}'
    response = client.post(
        f"/sbom/versions/{version.pk}/upload",
        {"file": SimpleUploadedFile("bom.json", content), "role": "firmware"},
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "byte 0xcd on line 3, column 33 is not a UTF-8 character" in page
    assert "save or export the file as UTF-8" in page
    assert "codec" not in page
    assert not SbomDocument.objects.exists()


def test_the_upload_message_and_the_quality_report_count_the_same_components(
    engineer_client: tuple[Client, Any],
) -> None:
    client, version = engineer_client
    uploaded = client.post(
        f"/sbom/versions/{version.pk}/upload",
        {"file": SimpleUploadedFile("bom.json", PROTOCOL.read_bytes()), "role": "firmware"},
        follow=True,
    )
    count = SbomDocument.objects.get().component_count
    assert f"Imported bom.json: {count} components" in uploaded.content.decode()
    quality = client.get(f"/sbom/versions/{version.pk}/quality").content.decode()
    assert f"<p>{count} components." in quality
