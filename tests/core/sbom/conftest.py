"""Helpers for the SBOM tests: read a shared data file and parse it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from medvigil.core.sbom import SbomDocument, parse_sbom


@pytest.fixture(scope="session")
def sbom_data(shared_data: Path) -> Path:
    return shared_data / "sbom"


@pytest.fixture(scope="session")
def load_sbom(sbom_data: Path) -> Callable[[str], SbomDocument]:
    cache: dict[str, SbomDocument] = {}

    def load(relative: str) -> SbomDocument:
        if relative not in cache:
            path = sbom_data / relative
            cache[relative] = parse_sbom(path.read_bytes(), path.name)
        return cache[relative]

    return load


@pytest.fixture(scope="session")
def load_json(sbom_data: Path) -> Callable[[str], dict[str, object]]:
    def load(relative: str) -> dict[str, object]:
        data: dict[str, object] = json.loads((sbom_data / relative).read_text(encoding="utf-8"))
        return data

    return load
