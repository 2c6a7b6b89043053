"""The facts a rule condition may test, computed from an architecture model.

A fact is a named value of one of three types: text, true/false, or a set of
texts. `ELEMENT_FACTS` and `FLOW_FACTS` declare every name with its type and,
where closed, its vocabulary; the rule loader rejects any other name, so a
typo in a rule fails when the library is loaded, not silently at run time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from medvigil.core.threats.model import (
    AUTHENTICATION,
    COMMAND_DATA_CLASSES,
    DATA_CLASSES,
    ELEMENT_KINDS,
    ENCRYPTION_AT_REST,
    ENCRYPTION_IN_TRANSIT,
    EXPOSURES,
    NETWORK_EXPOSURES,
    ArchitectureModel,
    DataFlow,
    Element,
)

FactValue = str | bool | frozenset[str]
Facts = Mapping[str, FactValue]


@dataclass(frozen=True)
class FactType:
    kind: str  # "text", "flag" or "set"
    vocabulary: tuple[str, ...] | None = None


TEXT, FLAG, SET = FactType("text"), FactType("flag"), FactType("set")
ELEMENT_FACTS: dict[str, FactType] = {
    "id": TEXT,
    "name": TEXT,
    "kind": FactType("text", ELEMENT_KINDS),
    "boundary": TEXT,
    "in_scope": FLAG,
    "protocols": SET,
    "ports": SET,
    "authentication": FactType("text", AUTHENTICATION),
    "encryption_at_rest": FactType("text", ENCRYPTION_AT_REST),
    "data_classes": FactType("set", DATA_CLASSES),
    "handled_data_classes": FactType("set", DATA_CLASSES),
    "exposure": FactType("set", EXPOSURES),
    "functions": SET,
    "logging": FLAG,
    "network_exposed": FLAG,
    "serves_clinical_function": FLAG,
    "serves_emergency_access": FLAG,
    "has_inbound_flows": FLAG,
    "receives_from_other_boundary": FLAG,
    "unauthenticated_inbound": FLAG,
    "sends_commands": FLAG,
}
ENDPOINT_FACTS = (
    "id",
    "name",
    "kind",
    "boundary",
    "in_scope",
    "authentication",
    "exposure",
    "logging",
    "network_exposed",
    "serves_clinical_function",
    "serves_emergency_access",
)
FLOW_FACTS: dict[str, FactType] = {
    "id": TEXT,
    "name": TEXT,
    "kind": FactType("text", ("data_flow",)),
    "protocol": TEXT,
    "port": TEXT,
    "authentication": FactType("text", AUTHENTICATION),
    "encryption": FactType("text", ENCRYPTION_IN_TRANSIT),
    "signed": FLAG,
    "replay_protection": FLAG,
    "data_classes": FactType("set", DATA_CLASSES),
    "exposure": FactType("set", EXPOSURES),
    "crosses_boundary": FLAG,
    "carries_commands": FLAG,
    **{
        f"{end}.{name}": ELEMENT_FACTS[name]
        for end in ("source", "destination")
        for name in ENDPOINT_FACTS
    },
}


def element_facts(model: ArchitectureModel, element: Element) -> dict[str, FactValue]:
    emergency = {function.id for function in model.functions if function.emergency_access}
    flows = model.flows_of(element.id)
    inbound = [flow for flow in flows if flow.destination == element.id]
    outbound = [flow for flow in flows if flow.source == element.id]
    handled = set(element.data_classes)
    for flow in flows:
        handled.update(flow.data_classes)
    return {
        "id": element.id,
        "name": element.name,
        "kind": element.kind,
        "boundary": element.boundary or "",
        "in_scope": element.in_scope,
        "protocols": frozenset(element.protocols),
        "ports": frozenset(str(port) for port in element.ports),
        "authentication": element.authentication,
        "encryption_at_rest": element.encryption_at_rest,
        "data_classes": frozenset(element.data_classes),
        "handled_data_classes": frozenset(handled),
        "exposure": frozenset(element.exposure),
        "functions": frozenset(element.functions),
        "logging": element.logging,
        "network_exposed": bool(NETWORK_EXPOSURES & set(element.exposure)),
        "serves_clinical_function": bool(element.functions),
        "serves_emergency_access": bool(emergency & set(element.functions)),
        "has_inbound_flows": bool(inbound),
        "receives_from_other_boundary": any(
            model.element(flow.source).boundary != element.boundary for flow in inbound
        ),
        "unauthenticated_inbound": any(flow.authentication == "none" for flow in inbound),
        "sends_commands": any(COMMAND_DATA_CLASSES & set(flow.data_classes) for flow in outbound),
    }


def flow_facts(model: ArchitectureModel, flow: DataFlow) -> dict[str, FactValue]:
    source, destination = model.element(flow.source), model.element(flow.destination)
    facts: dict[str, FactValue] = {
        "id": flow.id,
        "name": flow.name,
        "kind": "data_flow",
        "protocol": flow.protocol,
        "port": "" if flow.port is None else str(flow.port),
        "authentication": flow.authentication,
        "encryption": flow.encryption,
        "signed": flow.signed,
        "replay_protection": flow.replay_protection,
        "data_classes": frozenset(flow.data_classes),
        "exposure": frozenset(flow.exposure),
        "crosses_boundary": source.boundary != destination.boundary,
        "carries_commands": bool(COMMAND_DATA_CLASSES & set(flow.data_classes)),
    }
    for end, element in (("source", source), ("destination", destination)):
        every = element_facts(model, element)
        for name in ENDPOINT_FACTS:
            facts[f"{end}.{name}"] = every[name]
    return facts
