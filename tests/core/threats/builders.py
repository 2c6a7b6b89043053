"""Small architecture models for rule tests: hardened by default, one weakness added per case."""

from __future__ import annotations

from typing import Any

import yaml

from medvigil.core.threats import ArchitectureModel, read_model


def process(identifier: str = "app", **changes: Any) -> dict[str, Any]:
    return {
        "id": identifier,
        "name": identifier.title(),
        "kind": "process",
        "boundary": "zone-a",
        "authentication": "mutual_certificate",
        "logging": True,
        **changes,
    }


def store(identifier: str = "store", **changes: Any) -> dict[str, Any]:
    return {
        "id": identifier,
        "name": identifier.title(),
        "kind": "data_store",
        "boundary": "zone-a",
        "authentication": "certificate",
        "encryption_at_rest": "database",
        **changes,
    }


def external(identifier: str = "peer", **changes: Any) -> dict[str, Any]:
    return {
        "id": identifier,
        "name": identifier.title(),
        "kind": "external_entity",
        "boundary": "zone-a",
        "authentication": "mutual_certificate",
        **changes,
    }


def flow(source: str, destination: str, identifier: str = "", **changes: Any) -> dict[str, Any]:
    name = identifier or f"{source}-to-{destination}"
    return {
        "id": name,
        "name": name,
        "source": source,
        "destination": destination,
        "protocol": "HTTPS",
        "authentication": "mutual_certificate",
        "encryption": "tls",
        "signed": True,
        "replay_protection": True,
        **changes,
    }


def build(elements: list[dict[str, Any]], flows: list[dict[str, Any]] = ()) -> ArchitectureModel:  # type: ignore[assignment]
    document = {
        "format": "medvigil-threat-model/1",
        "name": "rule case",
        "functions": [
            {"id": "bolus", "name": "Emergency bolus", "emergency_access": True},
            {"id": "history", "name": "Infusion history"},
        ],
        "boundaries": [{"id": "zone-a", "name": "Zone A"}, {"id": "zone-b", "name": "Zone B"}],
        "elements": elements,
        "flows": list(flows),
    }
    return read_model(yaml.safe_dump(document))
