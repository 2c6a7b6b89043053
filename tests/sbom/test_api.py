"""The SBOM API as different users: visibility follows the product version."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from medvigil.platform.roles import Role
from medvigil.sbom.models import Component, SbomDocument
from tests import factories
from tests.sbom.test_import import SBOM_FOLDER

LARAVEL = SBOM_FOLDER / "cyclonedx/bom-examples/SBOM/laravel-7.12.0/bom.1.4.json"


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = json.loads(response.content)
    assert body["status"] == status
    return body


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    team = factories.team()
    version = factories.sbom_version(owner=team)
    return {
        "version": version,
        "engineer": factories.user(roles=[Role.PRODUCT_SECURITY.value], teams=[team]),
        "viewer": factories.user(roles=[Role.VIEWER.value], teams=[team]),
        "outsider": factories.user(roles=[Role.PRODUCT_SECURITY.value], teams=[factories.team()]),
    }


def as_user(person: Any) -> Client:
    return factories.sign_in(Client(), person)


def upload(client: Client, version_id: int, content: bytes, name: str = "bom.json") -> Any:
    return client.post(
        f"/api/v1/sbom/versions/{version_id}/documents",
        {"file": SimpleUploadedFile(name, content), "role": "application"},
    )


def test_upload_list_detail_and_export_by_the_owning_team(world: dict[str, Any]) -> None:
    client, version = as_user(world["engineer"]), world["version"]
    response = upload(client, version.pk, LARAVEL.read_bytes(), "bom.1.4.json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["component_count"] == 63
    assert created["format"] == "CycloneDX"
    assert created["uploaded_by"] == world["engineer"].username
    listed = client.get(f"/api/v1/sbom/versions/{version.pk}/documents").json()
    assert [item["id"] for item in listed["items"]] == [created["id"]]
    assert listed["next_cursor"] is None
    detail = client.get(f"/api/v1/sbom/documents/{created['id']}").json()
    supplier = next(item for item in detail["quality"]["elements"] if item["element"] == "name")
    assert supplier == {
        "element": "name",
        "present": 63,
        "total": 63,
        "percentage": 100.0,
        "missing": [],
    }
    original = client.get(f"/api/v1/sbom/documents/{created['id']}/original")
    assert original.content == LARAVEL.read_bytes()
    for format_name, content_type in (
        ("cyclonedx-json", "application/vnd.cyclonedx+json"),
        ("cyclonedx-xml", "application/vnd.cyclonedx+xml"),
        ("spdx-json", "application/spdx+json"),
    ):
        exported = client.get(f"/api/v1/sbom/versions/{version.pk}/export?format={format_name}")
        assert exported.status_code == 200
        assert exported["Content-Type"] == content_type
        assert "attachment" in exported["Content-Disposition"]


def test_components_are_searchable_filterable_and_paginated(world: dict[str, Any]) -> None:
    client, version = as_user(world["engineer"]), world["version"]
    upload(client, version.pk, LARAVEL.read_bytes())
    url = f"/api/v1/sbom/versions/{version.pk}/components"
    first = client.get(url, {"limit": 50}).json()
    assert len(first["items"]) == 50
    assert first["next_cursor"]
    second = client.get(url, {"limit": 50, "cursor": first["next_cursor"]}).json()
    assert len(second["items"]) == 13
    assert second["next_cursor"] is None
    names = [item["name"] for item in first["items"] + second["items"]]
    assert names == sorted(names)
    found = client.get(url, {"search": "symfony/console"}).json()["items"]
    assert [item["purl"] for item in found] == ["pkg:composer/symfony/console@v5.4.16"]
    assert found[0]["found_in"][0]["role"] == "application"
    by_purl = client.get(url, {"purl": "pkg:composer/laravel/"}).json()["items"]
    assert {item["group"] for item in by_purl} == {"laravel"}
    missing = client.get(url, {"missing_support": True, "limit": 500}).json()["items"]
    assert len(missing) == 63
    component_id = found[0]["id"]
    changed = client.patch(
        f"/api/v1/sbom/components/{component_id}/support",
        {"level_of_support": "actively maintained", "end_of_support": "2029-06-30"},
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert body["level_of_support"] == "actively maintained"
    assert body["end_of_support"] == "2029-06-30"
    assert body["support_set_by"] == world["engineer"].username
    missing = client.get(url, {"missing_support": True, "limit": 500}).json()["items"]
    assert len(missing) == 62
    quality = client.get(f"/api/v1/sbom/versions/{version.pk}/quality").json()
    level = next(item for item in quality["elements"] if item["element"] == "level of support")
    assert level["present"] == 1


def test_viewer_reads_but_may_not_change(world: dict[str, Any]) -> None:
    version = world["version"]
    upload(as_user(world["engineer"]), version.pk, LARAVEL.read_bytes())
    viewer = as_user(world["viewer"])
    assert viewer.get(f"/api/v1/sbom/versions/{version.pk}/documents").status_code == 200
    assert viewer.get(f"/api/v1/sbom/versions/{version.pk}/export").status_code == 200
    problem(upload(viewer, version.pk, b"{}"), 403)
    component = Component.objects.first()
    problem(
        viewer.patch(
            f"/api/v1/sbom/components/{component.pk}/support",
            {"level_of_support": "abandoned"},
            content_type="application/json",
        ),
        403,
    )
    document = SbomDocument.objects.get()
    problem(viewer.delete(f"/api/v1/sbom/documents/{document.pk}"), 403)


def test_another_team_gets_404_everywhere(world: dict[str, Any]) -> None:
    version = world["version"]
    upload(as_user(world["engineer"]), version.pk, LARAVEL.read_bytes())
    document = SbomDocument.objects.get()
    component = Component.objects.first()
    outsider = as_user(world["outsider"])
    for url in (
        f"/api/v1/sbom/versions/{version.pk}/documents",
        f"/api/v1/sbom/versions/{version.pk}/components",
        f"/api/v1/sbom/versions/{version.pk}/export",
        f"/api/v1/sbom/versions/{version.pk}/quality",
        f"/api/v1/sbom/documents/{document.pk}",
        f"/api/v1/sbom/documents/{document.pk}/original",
        f"/api/v1/sbom/diff?before={version.pk}&after={version.pk}",
    ):
        problem(outsider.get(url), 404)
    problem(upload(outsider, version.pk, LARAVEL.read_bytes()), 404)
    problem(outsider.delete(f"/api/v1/sbom/documents/{document.pk}"), 404)
    problem(
        outsider.patch(
            f"/api/v1/sbom/components/{component.pk}/support",
            {"level_of_support": "abandoned"},
            content_type="application/json",
        ),
        404,
    )
    assert SbomDocument.objects.count() == 1


def test_upload_errors_are_problems_and_store_nothing(world: dict[str, Any], settings: Any) -> None:
    client, version = as_user(world["engineer"]), world["version"]
    body = problem(upload(client, version.pk, b'{"bomFormat": "CycloneDX"'), 422)
    assert body["detail"].startswith("bom.json: not valid JSON")
    duplicate = json.dumps(
        {
            "bomFormat": "CycloneDX",
            "specVersion": "1.6",
            "components": [
                {"type": "library", "name": "a", "bom-ref": "x"},
                {"type": "library", "name": "b", "bom-ref": "x"},
            ],
        }
    ).encode()
    body = problem(upload(client, version.pk, duplicate), 422)
    assert "duplicate reference 'x'" in body["detail"]
    settings.SBOM_MAX_BYTES = 1000
    body = problem(upload(client, version.pk, LARAVEL.read_bytes()), 413)
    assert "over the limit of 1000 bytes" in body["detail"]
    assert SbomDocument.objects.count() == 0
    settings.SBOM_MAX_BYTES = 50 * 1024 * 1024
    assert upload(client, version.pk, LARAVEL.read_bytes()).status_code == 201
    body = problem(upload(client, version.pk, LARAVEL.read_bytes()), 409)
    assert "already attached" in body["detail"]


def test_diff_and_delete(world: dict[str, Any]) -> None:
    client, version = as_user(world["engineer"]), world["version"]
    later = factories.sbom_version(model_number=version.product.model_number, version="2.0")
    upload(client, version.pk, LARAVEL.read_bytes())
    upload(
        client,
        later.pk,
        (SBOM_FOLDER / "cyclonedx/bom-examples/SBOM/laravel-7.12.0/bom.1.3.json").read_bytes(),
    )
    result = client.get(f"/api/v1/sbom/diff?before={version.pk}&after={later.pk}").json()
    assert (len(result["added"]), len(result["removed"]), len(result["changed"])) == (0, 0, 0)
    assert result["unchanged"] == 63
    document = SbomDocument.objects.get(version=later)
    assert client.delete(f"/api/v1/sbom/documents/{document.pk}").status_code == 204
    assert not SbomDocument.objects.filter(version=later).exists()
