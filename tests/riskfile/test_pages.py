"""Risk file pages: a refused write shows the same form again as typed, errors beside fields."""

from __future__ import annotations

from django.test import Client

from medvigil.riskfile.models import Control, SecurityRisk, Threat
from tests import factories
from tests.riskfile.conftest import Place


def engineer(place: Place) -> Client:
    return factories.sign_in(Client(raise_request_exception=False), place.engineer)


def test_a_risk_without_exploitability_is_shown_again_as_typed(place: Place) -> None:
    typed = {
        "title": "Bolus changed over the air",
        "confidentiality": "minor",
        "integrity": "critical",
        "availability": "minor",
        "privacy": "negligible",
        "patient_safety": "catastrophic",
    }
    answer = engineer(place).post(f"/riskfile/versions/{place.version.pk}/risks/new", typed)
    assert answer.status_code == 422
    page = answer.content.decode()
    assert 'id="id_exploitability_error"><li>Give an exploitability level or a CVSS vector.' in page
    assert 'value="Bolus changed over the air"' in page
    assert '<option value="catastrophic" selected>' in page
    assert not SecurityRisk.objects.exists()


def test_a_threat_closed_without_a_reason_keeps_the_status_chosen(place: Place) -> None:
    threat = Threat.objects.filter(version=place.version).first()
    assert threat is not None
    answer = engineer(place).post(
        f"/riskfile/threats/{threat.pk}/decision", {"status": "accepted", "decision": ""}
    )
    assert answer.status_code == 422
    page = answer.content.decode()
    assert "a status other than open needs a decision text" in page
    row = page[page.index(f'id="threat-{threat.pk}"') :]
    assert '<option value="accepted" selected>' in row[: row.index("</tr>")]
    threat.refresh_from_db()
    assert threat.status == "open"


def test_a_control_on_an_unknown_element_keeps_its_text(place: Place) -> None:
    typed = {
        "name": "Signed bolus orders",
        "category": "authentication",
        "requirement": "Every order carries a signature.",
        "implementation": "planned",
        "elements": "pump, heater",
        "risks": "",
    }
    answer = engineer(place).post(f"/riskfile/versions/{place.version.pk}/controls/new", typed)
    assert answer.status_code == 422
    page = answer.content.decode()
    assert 'id="id_elements_error"><li>No architecture element heater in the threat model.' in page
    assert "Every order carries a signature.</textarea>" in page
    assert not Control.objects.exists()
