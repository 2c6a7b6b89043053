"""The risk file through the API and pages, as each kind of user."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests import factories
from tests.riskfile.conftest import MODEL, Place

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    return factories.sign_in(Client(), user)


def url(place: Place, suffix: str, version: Any = None) -> str:
    return f"/api/v1/riskfile/versions/{(version or place.version).pk}/{suffix}"


def test_the_owning_team_reads_only_editors_change_and_customers_never_see_it(
    place: Place,
) -> None:
    for reader in (place.engineer, place.viewer):
        response = client_for(reader).get(url(place, "threats"))
        assert response.status_code == 200, reader
        assert len(response.json()) == place.version.threats.count()
    # The threat model says how to attack the device: even a customer that owns it is refused.
    for outsider in (place.customer, place.other_engineer, place.other_customer):
        assert client_for(outsider).get(url(place, "threats")).status_code == 404
    body = json.dumps({"yaml": MODEL})
    for refused in (place.customer,):
        response = client_for(refused).put(url(place, "model"), body, "application/json")
        assert response.status_code == 404
    for refused in (place.viewer,):
        response = client_for(refused).put(url(place, "model"), body, "application/json")
        assert response.status_code == 403
    response = client_for(place.engineer).put(url(place, "model"), body, "application/json")
    assert response.status_code == 200
    assert response.json()["added"] == []


def test_a_bad_model_is_a_problem_naming_each_field(place: Place) -> None:
    bad = MODEL.replace("destination: log", "destination: archive")
    response = client_for(place.engineer).put(
        url(place, "model"), json.dumps({"yaml": bad}), "application/json"
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["detail"] == "The threat model is not valid."
    assert problem["errors"] == [
        {"location": ["flows[1]", "destination"], "message": "no element 'archive'"}
    ]


def test_a_decision_made_through_the_api_survives_regeneration(place: Place) -> None:
    engineer = client_for(place.engineer)
    threats = engineer.get(url(place, "threats")).json()
    chosen = next(threat for threat in threats if threat["rule_id"] == "MV-T-FLOW-2")
    response = engineer.patch(
        f"/api/v1/riskfile/threats/{chosen['id']}",
        json.dumps({"status": "mitigated", "decision": "Nonce on every order (CTL-1)."}),
        "application/json",
    )
    assert response.status_code == 200
    regenerated = engineer.post(url(place, "threats/regenerate")).json()
    assert chosen["identifier"] in regenerated["kept"]
    again = {t["identifier"]: t for t in engineer.get(url(place, "threats")).json()}
    assert again[chosen["identifier"]]["status"] == "mitigated"
    assert again[chosen["identifier"]]["decision"] == "Nonce on every order (CTL-1)."


def test_blocking_issues_through_the_api(place: Place) -> None:
    engineer = client_for(place.engineer)
    response = engineer.post(
        url(place, "controls"),
        json.dumps(
            {
                "name": "PIN",
                "category": "authentication",
                "requirement": "PIN first.",
                "elements": ["pump"],
            }
        ),
        "application/json",
    )
    assert response.status_code == 201
    [issue] = engineer.get(url(place, "blocking-issues")).json()
    assert issue["rule"] == "control-impact-review"
    control_id = response.json()["id"]
    review = engineer.post(
        f"/api/v1/riskfile/controls/{control_id}/impact-reviews",
        json.dumps(
            {
                "element": "pump",
                "function_stays_available": True,
                "rationale": "Bolus key bypasses the PIN.",
            }
        ),
        "application/json",
    )
    assert review.status_code == 201
    assert engineer.get(url(place, "blocking-issues")).json() == []


def test_pages_show_the_diagram_threats_and_matrix(place: Place) -> None:
    engineer = client_for(place.engineer)
    base = f"/riskfile/versions/{place.version.pk}/"
    overview = engineer.get(base).content.decode()
    assert f'src="{base}diagram.svg"' in overview
    diagram = engineer.get(base + "diagram.svg")
    assert diagram["Content-Type"] == "image/svg+xml"
    assert b"<svg" in diagram.content
    assert "MV-D-PROCESS-2" in engineer.get(base + "threats").content.decode()
    assert 'class="risk-matrix"' in engineer.get(base + "risks").content.decode()
    assert engineer.get(f"/riskfile/versions/{place.other_version.pk}/").status_code == 404


def test_a_page_upload_with_errors_shows_them_and_keeps_the_model(place: Place) -> None:
    engineer = client_for(place.engineer)
    upload = SimpleUploadedFile("model.yaml", b"format: other\nname: x\n", "application/yaml")
    response = engineer.post(f"/riskfile/versions/{place.version.pk}/model", {"file": upload})
    assert response.status_code == 422
    text = response.content.decode()
    assert "format: must be &#x27;medvigil-threat-model/1&#x27;, got &#x27;other&#x27;" in text
    assert place.version.threat_model.name == "Test pump"


def test_the_version_page_links_to_the_risk_file(place: Place) -> None:
    page = client_for(place.engineer).get(f"/products/versions/{place.version.pk}/")
    assert f'href="/riskfile/versions/{place.version.pk}/"' in page.content.decode()
