"""Stable ids, merged duplicates, reconciliation and the diagram."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from medvigil.core.threats import generate, read_model, reconcile, threat_id
from medvigil.core.threats.diagram import dot_source, render_svg
from tests.core.threats.builders import build, external, flow, process, store

SAMPLE = Path(__file__).parent / "data" / "pytm-sample.yaml"


def test_ids_are_a_hash_of_rule_and_sorted_targets() -> None:
    assert threat_id("MV-I-FLOW-1", ["b", "a"]) == threat_id("MV-I-FLOW-1", ["a", "b"])
    assert threat_id("MV-I-FLOW-1", ["a"]) != threat_id("MV-T-FLOW-1", ["a"])
    assert threat_id("MV-I-FLOW-1", ["a", "b"]).startswith("TH-")
    assert len(threat_id("MV-I-FLOW-1", ["a", "b"])) == 15


def test_regeneration_of_a_changed_model_keeps_ids_of_unchanged_threats() -> None:
    model = read_model(SAMPLE.read_text())
    before = {threat.id: threat.rule_id for threat in generate(model)}
    renamed = replace(
        model, elements=tuple(replace(e, name=e.name.upper()) for e in model.elements)
    )
    after = {threat.id: threat.rule_id for threat in generate(renamed)}
    assert after == before


def test_flows_between_the_same_two_elements_merge_into_one_threat() -> None:
    model = read_model(SAMPLE.read_text())
    eavesdropping = [t for t in generate(model) if t.rule_id == "MV-I-FLOW-1"]
    assert [(t.targets, t.flows) for t in eavesdropping] == [
        (("user", "web-server"), ("request", "response")),
        (("sql-database", "web-server"), ("insert", "select")),
    ]
    ids = [t.id for t in generate(model)]
    assert len(ids) == len(set(ids))


def test_per_flow_rules_keep_one_threat_per_flow() -> None:
    model = build(
        [external(), process()],
        [
            flow("peer", "app", "dose", data_classes=["therapy_commands"], replay_protection=False),
            flow("peer", "app", "rate", data_classes=["therapy_commands"], replay_protection=False),
        ],
    )
    replays = [t.targets for t in generate(model) if t.rule_id == "MV-T-FLOW-2"]
    assert replays == [("dose",), ("rate",)]


def test_reconcile_keeps_adds_and_retires_by_id() -> None:
    weak = build([process(), store(encryption_at_rest="none")], [flow("app", "store")])
    fixed = build([process(), store()], [flow("app", "store", encryption="none")])
    stored = [threat.id for threat in generate(weak)]
    result = reconcile(stored, generate(fixed))
    at_rest = threat_id("MV-I-STORE-1", ["store"])
    in_transit = threat_id("MV-I-FLOW-1", ["app", "store"])
    assert at_rest in result.retired
    assert in_transit in result.added
    assert threat_id("MV-D-STORE-1", ["store"]) in result.kept


def test_threats_on_emergency_elements_are_marked() -> None:
    model = build([process(functions=["bolus"], exposure=["wireless"])])
    [threat] = [t for t in generate(model) if t.rule_id == "MV-D-PROCESS-2"]
    assert threat.serves_emergency_access
    assert threat.serves_clinical_function


def test_the_diagram_draws_boundaries_as_clusters() -> None:
    model = read_model(SAMPLE.read_text())
    source = dot_source(model)
    assert "subgraph cluster_n_internet" in source
    assert "subgraph cluster_n_server_db" in source
    svg = render_svg(model).decode()
    assert svg.lstrip().startswith("<?xml")
    assert "<svg" in svg
    assert 'id="boundary_n_server_db"' in svg
    assert 'id="flow_n_request"' in svg
