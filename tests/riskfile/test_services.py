"""Services of the risk file: upload, stable regeneration, blocking rules, safety links."""

from __future__ import annotations

import pytest

from medvigil.audit.models import AuditEvent
from medvigil.platform.refusals import Refusal
from medvigil.platform.roles import Role
from medvigil.riskfile import controls, safety, selectors, services
from medvigil.riskfile.models import BenefitRiskRecord, SafetyRiskEntry, Threat, ThreatModel
from tests import factories
from tests.riskfile.conftest import MODEL, Place

pytestmark = pytest.mark.django_db


def rules(place: Place) -> dict[str, Threat]:
    return {threat.rule_id: threat for threat in place.version.threats.all()}


def test_an_upload_stores_canonical_yaml_elements_diagram_and_threats(place: Place) -> None:
    model = ThreatModel.objects.get(version=place.version)
    assert model.document.startswith("format: medvigil-threat-model/1\nname: Test pump\n")
    assert "<svg" in model.diagram_svg
    kinds = dict(model.elements.values_list("identifier", "kind"))
    assert kinds == {
        "ward": "trust_boundary",
        "pump": "process",
        "log": "data_store",
        "tablet": "external_entity",
        "orders": "data_flow",
        "events": "data_flow",
    }
    emergency = set(
        model.elements.filter(serves_emergency_access=True).values_list("identifier", flat=True)
    )
    assert emergency == {"pump"}
    assert "MV-D-PROCESS-2" in rules(place)
    actions = list(AuditEvent.objects.order_by("sequence").values_list("action", flat=True))
    generated = place.version.threats.count()
    assert [action for action in actions if action.startswith("threat")] == [
        "threat-model-imported",
        *["threat-generated"] * generated,
        "threats-regenerated",
    ]


def test_a_bad_upload_lists_each_problem_and_stores_nothing(place: Place) -> None:
    before = ThreatModel.objects.get(version=place.version).document
    bad = MODEL.replace("kind: data_store", "kind: database")
    bad = bad.replace("exposure: [wireless]", "exposure: [wifi]")
    with pytest.raises(Refusal) as error:
        services.import_model(place.version, bad.encode())
    assert error.value.messages[1:] == [
        "elements[0].exposure[0]: 'wifi' is not one of internet, hospital_network, local, "
        "physical, wireless",
        "elements[1].kind: 'database' is not one of process, data_store, external_entity",
    ]
    assert ThreatModel.objects.get(version=place.version).document == before


def test_regeneration_keeps_a_manual_decision_and_edit(place: Place) -> None:
    threat = rules(place)["MV-S-FLOW-1"]
    services.decide_threat(
        threat,
        {"status": "accepted", "decision": "Ward tablets only.", "edited_title": "Spoofed orders"},
    )
    manual = services.add_manual_threat(place.version, stride="tampering", title="USB service port")
    services.import_model(
        place.version, MODEL.replace("name: Test pump", "name: Test pump 2").encode()
    )
    services.regenerate_threats(place.version)
    threat.refresh_from_db()
    assert (threat.status, threat.decision, threat.shown_title) == (
        "accepted",
        "Ward tablets only.",
        "Spoofed orders",
    )
    assert Threat.objects.get(pk=manual.pk).status == "open"


def test_a_threat_whose_rule_stops_firing_is_retired_not_deleted(place: Place) -> None:
    threat = rules(place)["MV-I-FLOW-1"]
    services.decide_threat(threat, {"status": "mitigated", "decision": "TLS planned"})
    fixed = MODEL.replace("protocol: HTTPS,", "protocol: HTTPS, encryption: tls,")
    result = services.import_model(place.version, fixed.encode())
    assert result.pk
    threat.refresh_from_db()
    assert (threat.status, threat.decision) == ("retired", "TLS planned")


def test_a_status_other_than_open_needs_a_decision(place: Place) -> None:
    with pytest.raises(Refusal, match="needs a decision text"):
        services.decide_threat(rules(place)["MV-S-FLOW-1"], {"status": "accepted"})


def test_emergency_access_rule_blocks_until_the_impact_review(place: Place) -> None:
    control = controls.create_control(
        place.version,
        {
            "name": "PIN before bolus",
            "category": "authentication",
            "requirement": "Ask a PIN before any bolus.",
            "elements": ["pump", "log"],
        },
    )
    issues = [(issue.rule, issue.subject) for issue in selectors.blocking_issues(place.version)]
    assert issues == [("control-impact-review", "CTL-1"), ("control-impact-review", "CTL-1")]
    assert (
        "serves an emergency-access function" in selectors.blocking_issues(place.version)[0].message
    )
    controls.review_impact(
        control,
        element="pump",
        function_stays_available=True,
        rationale="Break-glass bolus key without PIN.",
    )
    controls.review_impact(
        control,
        element="log",
        function_stays_available=False,
        rationale="History is hidden until sign-in.",
    )
    [remaining] = selectors.blocking_issues(place.version)
    assert "'Event log', which serves a clinical function" in remaining.message
    controls.review_impact(
        control,
        element="log",
        function_stays_available=True,
        rationale="History readable without sign-in.",
    )
    assert selectors.blocking_issues(place.version) == []


def test_an_unacceptable_residual_risk_needs_a_signed_benefit_risk_analysis(place: Place) -> None:
    values = {
        "title": "Remote bolus",
        "exploitability": "very_high",
        "patient_safety": "catastrophic",
    }
    risk = services.create_risk(place.version, values)
    assert (risk.region, risk.residual_region) == ("unacceptable", "unacceptable")
    assert [issue.rule for issue in selectors.blocking_issues(place.version)] == ["benefit-risk"]
    with pytest.raises(Refusal, match="Not signed"):
        controls.record_benefit_risk(
            risk,
            benefits="Therapy at home",
            conclusion="Accept",
            user=place.engineer,
            password="wrong",
        )
    assert not BenefitRiskRecord.objects.exists()
    assert selectors.blocking_issues(place.version)[0].rule == "benefit-risk"
    controls.record_benefit_risk(
        risk,
        benefits="Therapy at home",
        conclusion="Accept",
        user=place.engineer,
        password=factories.PASSWORD,
    )
    # Written and signed "authored": not approved yet, so the risk still blocks.
    assert selectors.blocking_issues(place.version)[0].rule == "benefit-risk"
    with pytest.raises(Refusal, match="Separation of duties"):
        controls.approve_benefit_risk(risk, user=place.engineer, password=factories.PASSWORD)
    approver = factories.user(roles=[Role.RISK_MANAGER.value], teams=[place.version.product.team])
    controls.approve_benefit_risk(risk, user=approver, password=factories.PASSWORD)
    assert selectors.blocking_issues(place.version) == []


def test_residual_evaluation_after_controls(place: Place) -> None:
    risk = services.create_risk(
        place.version,
        {
            "title": "Replay",
            "cvss_vector": "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N",
            "integrity": "critical",
            "residual_exploitability": "very_low",
        },
    )
    assert (risk.exploitability, risk.severity, risk.region) == ("high", "critical", "unacceptable")
    assert risk.residual_region == "alarp"


CSV = (
    b"id,hazard,hazardous_situation,harm,severity\nHAZ-1,Over-infusion,Too fast,Overdose,critical\n"
)


def test_safety_links_flag_the_other_side_on_change_both_ways(place: Place) -> None:
    safety.import_safety_entries(place.version, CSV)
    entry = SafetyRiskEntry.objects.get(version=place.version, identifier="HAZ-1")
    risk = services.create_risk(place.version, {"title": "Replay", "exploitability": "high"})
    safety.set_links(risk, [entry])
    services.update_risk(risk, {"patient_safety": "critical"})
    entry.refresh_from_db()
    assert entry.needs_review
    assert entry.review_reason == "Security risk SR-1 changed: patient_safety, residual_region."
    safety.mark_reviewed(entry, "Severity already critical in the safety file.")
    safety.import_safety_entries(place.version, CSV.replace(b"Overdose", b"Fatal overdose"))
    risk.refresh_from_db()
    entry.refresh_from_db()
    assert (risk.needs_review, risk.review_reason) == (True, "Safety entry HAZ-1 changed: harm.")
    assert not entry.needs_review


def test_a_bad_safety_csv_names_lines_and_stores_nothing(place: Place) -> None:
    bad = b"id,hazard,hazardous_situation,harm,severity\nHAZ-1,a,b,c,deadly\n,a,b,c,\n"
    with pytest.raises(Refusal) as error:
        safety.import_safety_entries(place.version, bad)
    assert error.value.messages[1:] == [
        "line 2: severity 'deadly' is not one of negligible, minor, serious, critical, "
        "catastrophic",
        "line 3: the id is empty",
    ]
    assert not SafetyRiskEntry.objects.exists()


def test_the_demo_step_loads_the_pump_risk_file(db: None) -> None:
    from medvigil.portfolio.demo import load_portfolio
    from medvigil.riskfile.demo import load_risk_file

    load_portfolio()
    [line] = load_risk_file()
    assert line.startswith("loaded the LVP-300 3.2.0 risk file: ")
    assert load_risk_file() == ["demo risk file already loaded"]
    version = ThreatModel.objects.get().version
    assert version.risks.count() == 4
    issues = [(issue.rule, issue.subject) for issue in selectors.blocking_issues(version)]
    # The storage control was not reviewed for the storage's clinical functions, and the EHR
    # order risk stays unacceptable without a benefit-risk analysis: both shown in the demo.
    assert issues == [("control-impact-review", "CTL-3"), ("benefit-risk", "SR-4")]


@pytest.mark.django_db(transaction=True)
def test_a_refused_benefit_risk_signature_stays_in_the_audit_trail(place: Place) -> None:
    from medvigil.audit.models import AuditEvent

    values = {
        "title": "Remote bolus",
        "exploitability": "very_high",
        "patient_safety": "catastrophic",
    }
    risk = services.create_risk(place.version, values)
    with pytest.raises(Refusal, match="Not signed"):
        controls.record_benefit_risk(
            risk,
            benefits="Therapy at home",
            conclusion="Accept",
            user=place.engineer,
            password="wrong",
        )
    assert not BenefitRiskRecord.objects.exists()
    [refused] = AuditEvent.objects.filter(action="signature-refused")
    assert refused.object_label == str(risk)
    assert refused.details["record"] == f"Benefit-risk analysis of {risk.identifier}"
    assert "password" in refused.details["reason"]
    assert not AuditEvent.objects.filter(action="benefit-risk-recorded").exists()
