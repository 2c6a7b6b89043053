"""Threagile's example models converted to medvigil's format."""

from __future__ import annotations

from pathlib import Path

import pytest

from medvigil.core.threats import ThreatModelError, generate, read_model
from medvigil.core.threats.threagile import read_threagile, threagile_to_yaml


def example(shared_data: Path, name: str) -> str:
    return (shared_data / f"threatmodel/threagile/demo/{name}/threagile.yaml").read_text()


def test_the_full_example_converts_with_boundaries_links_and_threats(shared_data: Path) -> None:
    model = read_threagile(example(shared_data, "example"))
    assert (len(model.elements), len(model.flows), len(model.boundaries)) == (14, 20, 5)
    assert model.element("apache-webserver").boundary == "web-dmz"
    parents = {boundary.id: boundary.parent for boundary in model.boundaries}
    assert parents["web-dmz"] == "application-network"
    kinds = {element.id: element.kind for element in model.elements}
    assert kinds["sql-database"] == "data_store"
    assert kinds["customer-client"] == "external_entity"
    by_protocol = {(flow.protocol, flow.authentication, flow.encryption) for flow in model.flows}
    assert ("https", "token", "tls") in by_protocol
    assert ("ldap", "password", "none") in by_protocol
    assert {threat.stride for threat in generate(model)} == {
        "spoofing",
        "tampering",
        "repudiation",
        "information_disclosure",
        "denial_of_service",
        "elevation_of_privilege",
    }


@pytest.mark.parametrize("name", ["example", "stub"])
def test_converted_yaml_reads_back_identically(shared_data: Path, name: str) -> None:
    written = threagile_to_yaml(example(shared_data, name))
    assert read_model(written) == read_threagile(example(shared_data, name))


def test_a_document_that_is_not_threagile_is_refused() -> None:
    with pytest.raises(ThreatModelError, match="not a Threagile model"):
        read_threagile("format: medvigil-threat-model/1\nname: x\n")
