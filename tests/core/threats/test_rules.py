"""Every rule of the shipped library fires on a model made for it and stays quiet on its twin.

Each case is a hardened model with one weakness added (fires) and the same
model without it (quiet). A rule added to the library without a case here
fails `test_every_rule_has_a_case`.
"""

from __future__ import annotations

import pytest

from medvigil.core.threats import ArchitectureModel, RuleError, default_rules, generate, load_rules
from tests.core.threats.builders import build, external, flow, process, store

B = {"boundary": "zone-b"}
CASES: dict[str, tuple[ArchitectureModel, ArchitectureModel]] = {
    "MV-S-PROCESS-1": (
        build([external(), process(authentication="none")], [flow("peer", "app")]),
        build([external(), process()], [flow("peer", "app")]),
    ),
    "MV-T-PROCESS-1": (
        build([external(**B), process()], [flow("peer", "app")]),
        build([external(), process()], [flow("peer", "app")]),
    ),
    "MV-T-PROCESS-2": (
        build([process(exposure=["physical"])]),
        build([process(exposure=["local"])]),
    ),
    "MV-R-PROCESS-1": (
        build([process(logging=False, data_classes=["configuration"])]),
        build([process(logging=True, data_classes=["configuration"])]),
    ),
    "MV-I-PROCESS-1": (
        build([process(data_classes=["phi"])]),
        build([process(data_classes=["alarms"], exposure=["local"])]),
    ),
    "MV-D-PROCESS-1": (
        build([process(exposure=["hospital_network"])]),
        build([process(exposure=["local"])]),
    ),
    "MV-D-PROCESS-2": (
        build([process(functions=["bolus"], exposure=["wireless"])]),
        build([process(functions=["bolus"], exposure=["local"])]),
    ),
    "MV-E-PROCESS-1": (
        build([process(authentication="none")]),
        build([external(), process()], [flow("peer", "app")]),
    ),
    "MV-T-STORE-1": (
        build([store(authentication="none")]),
        build([process(), store()], [flow("app", "store")]),
    ),
    "MV-R-STORE-1": (build([store(data_classes=["logs"])]), build([store(data_classes=["phi"])])),
    "MV-I-STORE-1": (build([store(encryption_at_rest="none")]), build([store()])),
    "MV-D-STORE-1": (build([process(), store()], [flow("app", "store")]), build([store()])),
    "MV-E-STORE-1": (build([store(authentication="password")]), build([store()])),
    "MV-S-EXTERNAL-1": (build([external(authentication="password")]), build([external()])),
    "MV-R-EXTERNAL-1": (
        build([external(), process()], [flow("peer", "app", data_classes=["therapy_commands"])]),
        build([external(), process()], [flow("peer", "app", data_classes=["telemetry"])]),
    ),
    "MV-S-FLOW-1": (
        build([process(), store()], [flow("app", "store", authentication="none")]),
        build([process(), store()], [flow("app", "store")]),
    ),
    "MV-T-FLOW-1": (
        build([process(), store()], [flow("app", "store", encryption="none", signed=False)]),
        build([process(), store()], [flow("app", "store", encryption="none", signed=True)]),
    ),
    "MV-T-FLOW-2": (
        build(
            [external(), process()],
            [flow("peer", "app", data_classes=["therapy_commands"], replay_protection=False)],
        ),
        build([external(), process()], [flow("peer", "app", data_classes=["therapy_commands"])]),
    ),
    "MV-T-FLOW-3": (
        build(
            [external(), process()], [flow("peer", "app", data_classes=["firmware"], signed=False)]
        ),
        build([external(), process()], [flow("peer", "app", data_classes=["firmware"])]),
    ),
    "MV-I-FLOW-1": (
        build([process(), store()], [flow("app", "store", encryption="none")]),
        build([process(), store()], [flow("app", "store")]),
    ),
    "MV-I-FLOW-2": (
        build(
            [external(), process()],
            [flow("peer", "app", data_classes=["credentials"], encryption="link_layer")],
        ),
        build([external(), process()], [flow("peer", "app", data_classes=["credentials"])]),
    ),
    "MV-D-FLOW-1": (
        build([external(), process()], [flow("peer", "app", exposure=["wireless"])]),
        build([external(), process()], [flow("peer", "app", exposure=["hospital_network"])]),
    ),
    "MV-E-FLOW-1": (
        build(
            [external(**B), process()],
            [flow("peer", "app", data_classes=["therapy_commands"], authentication="password")],
        ),
        build(
            [external(), process()],
            [flow("peer", "app", data_classes=["therapy_commands"], authentication="password")],
        ),
    ),
}


def test_every_rule_has_a_case() -> None:
    assert {rule.id for rule in default_rules()} == set(CASES)


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_fires_on_its_weakness(rule_id: str) -> None:
    firing, _ = CASES[rule_id]
    assert rule_id in {threat.rule_id for threat in generate(firing)}


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_stays_quiet_without_it(rule_id: str) -> None:
    _, quiet = CASES[rule_id]
    assert rule_id not in {threat.rule_id for threat in generate(quiet)}


def test_every_rule_names_stride_references_and_controls() -> None:
    for rule in default_rules():
        assert rule.capec, rule.id
        assert rule.cwe, rule.id
        assert rule.controls, rule.id


def test_a_rendered_threat_names_its_target() -> None:
    model = build([process(authentication="none", name="Pump controller")])
    titles = {threat.rule_id: threat.title for threat in generate(model)}
    assert titles["MV-E-PROCESS-1"] == "Elevation of privilege in Pump controller"


RULE = """
rules:
  - id: MV-X-TEST-1
    scope: element
    stride: spoofing
    title: "t {name}"
    description: d
    capec: [CAPEC-1]
    cwe: [CWE-1]
    controls: [authentication]
    when: %s
"""


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("{equals: {colour: red}}", "rules: rules[0].when.equals: unknown fact 'colour'"),
        (
            "{equals: {kind: robot}}",
            "rules: rules[0].when.equals: 'robot' is not one of "
            "process, data_store, external_entity",
        ),
        (
            "{contains: {kind: process}}",
            "rules: rules[0].when.contains: contains needs a set fact; kind is a text",
        ),
        (
            "{eval: '1+1'}",
            "rules: rules[0].when.eval: unknown operator; use one of all, any, not, "
            "equals, in, contains, intersects, empty, is_true, is_false",
        ),
        ("{all: []}", "rules: rules[0].when.all: expected a non-empty list of conditions"),
        (
            "{is_true: kind, is_false: kind}",
            "rules: rules[0].when: a condition is a mapping with exactly one operator",
        ),
    ],
)
def test_the_rule_language_refuses_bad_conditions(condition: str, message: str) -> None:
    with pytest.raises(RuleError) as error:
        load_rules(RULE % condition)
    assert str(error.value) == message


def test_a_new_rule_file_loads_and_fires() -> None:
    rules = load_rules(RULE % "{all: [{equals: {kind: process}}, {not: {is_true: logging}}]}")
    noisy = build([process(logging=False)])
    assert [threat.title for threat in generate(noisy, rules)] == ["t App"]
    assert generate(build([process()]), rules) == []
