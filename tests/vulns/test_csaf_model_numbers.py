"""CSAF products named with a model number in `product_identification_helper` are found
by a product mapping of kind "model", even when the number is not in the product's name."""

from __future__ import annotations

import json
from pathlib import Path

from medvigil.core.advisories import csaf_advisories
from medvigil.core.csaf import read_csaf
from medvigil.vulns.records import PRODUCT, advisory_from_json, advisory_to_json, product_keys
from tests.conftest import shared_data_directory

SIEMENS = (
    shared_data_directory()
    / "csaf/cisagov-CSAF/icsa-industrial/csaf_files/OT/white/2024/icsa-24-165-13.json"
)


def packages(document: dict[str, object]) -> list[object]:
    found = []
    for advisory in csaf_advisories(read_csaf(document, source="test"), source="test"):
        found += list(advisory.affected)
    return found


def test_the_model_numbers_of_the_product_tree_are_kept_and_looked_up() -> None:
    document = json.loads(SIEMENS.read_text("utf-8"))
    [package] = {p for p in packages(document) if p.model_numbers}  # type: ignore[attr-defined]
    assert package.model_numbers == ("6GK8822-1BG01-0BA0",)
    assert (PRODUCT, "siemens", "model:6gk8822-1bg01-0ba0") in product_keys(package)


def test_a_model_number_absent_from_the_name_is_still_a_key(tmp_path: Path) -> None:
    document = json.loads(SIEMENS.read_text("utf-8"))
    text = json.dumps(document).replace("SINEC Traffic Analyzer (6GK8822-1BG01-0BA0)", "SINEC TA")
    [package] = {p for p in packages(json.loads(text)) if p.model_numbers}  # type: ignore[attr-defined]
    keys = product_keys(package)
    assert (PRODUCT, "siemens", "sinec ta") in keys
    assert (PRODUCT, "siemens", "model:6gk8822-1bg01-0ba0") in keys


def test_the_stored_form_names_model_numbers_only_when_given_and_reads_back() -> None:
    document = json.loads(SIEMENS.read_text("utf-8"))
    for advisory in csaf_advisories(read_csaf(document, source="test"), source="test"):
        stored = advisory_to_json(advisory)
        for package, kept in zip(advisory.affected, stored["affected"], strict=True):
            assert ("model_numbers" in kept) == bool(package.model_numbers)
        assert advisory_from_json(json.loads(json.dumps(stored))) == advisory
