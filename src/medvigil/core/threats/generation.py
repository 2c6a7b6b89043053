"""Threat generation: every rule against every element and flow, with stable ids.

A threat's id is a hash of its rule id and the ids of its targets, so running
the generation again on a changed model gives the same id to the same threat:
an application that stores decisions by id keeps them (`reconcile`). Flow
rules merge by default per pair of endpoints (one threat per interaction,
listing every flow between the two elements); any two findings with the same
id are merged into one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from medvigil.core.threats.facts import element_facts, flow_facts
from medvigil.core.threats.model import ArchitectureModel
from medvigil.core.threats.rules import Rule, default_rules, render


@dataclass(frozen=True)
class Threat:
    id: str
    rule_id: str
    stride: str
    title: str
    description: str
    targets: tuple[str, ...]
    flows: tuple[str, ...] = ()
    capec: tuple[str, ...] = ()
    cwe: tuple[str, ...] = ()
    controls: tuple[str, ...] = ()
    serves_emergency_access: bool = False
    serves_clinical_function: bool = False


def threat_id(rule_id: str, targets: Iterable[str]) -> str:
    """Stable id: 'TH-' and 12 hex digits of SHA-256(rule id | sorted target ids)."""
    key = rule_id + "|" + ",".join(sorted(targets))
    return "TH-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def merged(threats: Iterable[Threat]) -> list[Threat]:
    """Threats with equal ids become one (flows united); first-seen order is kept."""
    by_id: dict[str, Threat] = {}
    for threat in threats:
        found = by_id.get(threat.id)
        if found is None:
            by_id[threat.id] = threat
            continue
        by_id[threat.id] = replace(
            found,
            flows=tuple(dict.fromkeys([*found.flows, *threat.flows])),
            serves_emergency_access=found.serves_emergency_access or threat.serves_emergency_access,
            serves_clinical_function=found.serves_clinical_function
            or threat.serves_clinical_function,
        )
    return list(by_id.values())


def generate(model: ArchitectureModel, rules: Sequence[Rule] | None = None) -> list[Threat]:
    """Every threat the rules find in `model`, duplicates merged, in model order."""
    chosen = default_rules() if rules is None else rules
    emergency = model.emergency_elements()
    clinical = model.clinical_elements()
    found: list[Threat] = []
    element_rules = [rule for rule in chosen if rule.scope == "element"]
    flow_rules = [rule for rule in chosen if rule.scope == "data_flow"]
    for element in model.elements:
        facts = element_facts(model, element)
        for rule in element_rules:
            if rule.applies(facts):
                found.append(
                    Threat(
                        id=threat_id(rule.id, [element.id]),
                        rule_id=rule.id,
                        stride=rule.stride,
                        title=render(rule.title, facts),
                        description=render(rule.description, facts),
                        targets=(element.id,),
                        capec=rule.capec,
                        cwe=rule.cwe,
                        controls=rule.controls,
                        serves_emergency_access=element.id in emergency,
                        serves_clinical_function=element.id in clinical,
                    )
                )
    for flow in model.flows:
        facts = flow_facts(model, flow)
        ends = (flow.source, flow.destination)
        for rule in flow_rules:
            if rule.applies(facts):
                targets = tuple(sorted(set(ends))) if rule.merge == "endpoints" else (flow.id,)
                found.append(
                    Threat(
                        id=threat_id(rule.id, targets),
                        rule_id=rule.id,
                        stride=rule.stride,
                        title=render(rule.title, facts),
                        description=render(rule.description, facts),
                        targets=targets,
                        flows=(flow.id,),
                        capec=rule.capec,
                        cwe=rule.cwe,
                        controls=rule.controls,
                        serves_emergency_access=bool(emergency & set(ends)),
                        serves_clinical_function=bool(clinical & set(ends)),
                    )
                )
    return merged(found)


@dataclass(frozen=True)
class Reconciliation:
    """What a regeneration changes in a stored list of generated threat ids."""

    added: tuple[str, ...]
    kept: tuple[str, ...]
    retired: tuple[str, ...]


def reconcile(stored_ids: Iterable[str], generated: Sequence[Threat]) -> Reconciliation:
    """Compare stored generated threats with a fresh generation, by stable id.

    Kept threats keep their stored edits and decisions; retired ones (their
    rule no longer fires) are kept as records, never deleted by a regeneration.
    """
    stored = list(dict.fromkeys(stored_ids))
    fresh = [threat.id for threat in generated]
    return Reconciliation(
        added=tuple(identifier for identifier in fresh if identifier not in stored),
        kept=tuple(identifier for identifier in fresh if identifier in stored),
        retired=tuple(identifier for identifier in stored if identifier not in fresh),
    )
