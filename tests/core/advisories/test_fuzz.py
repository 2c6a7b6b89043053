"""Random and mutated input: every reader raises AdvisoryFormatError and nothing else."""

from __future__ import annotations

import contextlib
import copy
import gzip
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medvigil.core.advisories import csaf_advisories
from medvigil.core.advisories.cve5 import read_cve_record
from medvigil.core.advisories.epss import read_epss
from medvigil.core.advisories.kev import read_kev_catalog, read_kev_csv
from medvigil.core.advisories.model import AdvisoryFormatError
from medvigil.core.advisories.nvd import read_nvd, read_nvd_json
from medvigil.core.advisories.nvd_legacy import read_nvd_feed
from medvigil.core.advisories.osv import read_osv, read_osv_json, read_osv_yaml
from medvigil.core.csaf import read_csaf
from tests.conftest import shared_data_directory

DATA = shared_data_directory()
SEEDS = {
    "osv": "osv/mixed-ecosystems/trustify-testdata/GHSA-fmj7-7gfw-64pg.json",
    "osv_git": "osv/linux-distros/osv.dev-testdata/gcp/website/testdata/osv/CVE-2023-21400.json",
    "nvd": "nvd/api-2.0/osv.dev-testdata/nvdcve-2.0/CVE-2020-13595.json",
    "cve": "cve/osv.dev-testdata/cvelistV5/cves/2021/44xxx/CVE-2021-44228.json",
    "cve_kernel": "cve/osv.dev-testdata/cvelistV5/cves/2025/21xxx/CVE-2025-21772.json",
    "csaf": "csaf/cisagov-CSAF/icsma-medical/csaf_files/OT/white/2017/icsma-17-009-01a.json",
    "vex": "vex/csaf/oasis-tcs-csaf/2022-evd-uc-01-na-001.json",
}
SEED_DOCUMENTS = {name: json.loads((DATA / path).read_bytes()) for name, path in SEEDS.items()}
KEV_SAMPLE = json.loads(
    (DATA / "kev/cisagov-kev-data/known_exploited_vulnerabilities.json").read_bytes()
)
KEV_SAMPLE["vulnerabilities"] = KEV_SAMPLE["vulnerabilities"][:3]
KEV_SAMPLE["count"] = 3
SEED_DOCUMENTS["kev"] = KEV_SAMPLE
LEGACY = json.loads((DATA / "nvd/feed-1.1/osv.dev-testdata/nvdcve-1.1-test-data.json").read_bytes())
SEED_DOCUMENTS["nvd_legacy"] = {"CVE_Items": LEGACY["CVE_Items"][:3]}
EPSS = (DATA / "epss/vulnerablecode-testdata/epss/epss_scores-2025-x-x.csv").read_bytes()


def _csaf(document: object) -> object:
    return csaf_advisories(read_csaf(document, source="f.json"), source="f.json")


READERS: dict[str, Callable[[object], object]] = {
    "osv": lambda document: read_osv(document, source="f.json"),
    "osv_git": lambda document: read_osv(document, source="f.json"),
    "nvd": lambda document: read_nvd(document, source="f.json"),
    "nvd_legacy": lambda document: read_nvd_feed(document, source="f.json"),
    "cve": lambda document: read_cve_record(document, source="f.json"),
    "cve_kernel": lambda document: read_cve_record(document, source="f.json"),
    "kev": lambda document: read_kev_catalog(document, source="f.json"),
    "csaf": _csaf,
    "vex": _csaf,
}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=25,
)
replacements = (
    st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.just([]) | st.just({})
)


def _containers(value: Any, found: list[Any]) -> list[Any]:
    if isinstance(value, dict | list):
        found.append(value)
        for child in value.values() if isinstance(value, dict) else value:
            _containers(child, found)
    return found


@st.composite
def mutated(draw: st.DrawFn, name: str) -> object:
    """A real document with a few members replaced, removed or emptied."""
    document = copy.deepcopy(SEED_DOCUMENTS[name])
    for _ in range(draw(st.integers(1, 3))):
        containers = _containers(document, [])
        target = containers[draw(st.integers(0, len(containers) - 1))]
        if isinstance(target, dict) and target:
            key = draw(st.sampled_from(sorted(target)))
            if draw(st.booleans()):
                del target[key]
            else:
                target[key] = draw(replacements)
        elif isinstance(target, list) and target:
            target[draw(st.integers(0, len(target) - 1))] = draw(replacements)
    return document


def _only_format_errors(reader: Callable[[object], object], document: object) -> None:
    with contextlib.suppress(AdvisoryFormatError):
        reader(document)


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(name=st.sampled_from(sorted(READERS)), data=st.data())
def test_mutated_documents(name: str, data: st.DataObject) -> None:
    _only_format_errors(READERS[name], data.draw(mutated(name)))


@FUZZ
@given(name=st.sampled_from(sorted(READERS)), document=json_values)
def test_random_documents(name: str, document: object) -> None:
    _only_format_errors(READERS[name], document)


@FUZZ
@given(data=st.binary(max_size=200))
def test_random_bytes(data: bytes) -> None:
    for reader in (read_osv_json, read_osv_yaml, read_nvd_json, read_kev_csv, read_epss):
        _only_format_errors(lambda document, reader=reader: reader(document, source="f"), data)  # type: ignore[misc]


@FUZZ
@given(position=st.integers(0, len(EPSS) - 1), byte=st.integers(0, 255), compress=st.booleans())
def test_mutated_epss(position: int, byte: int, compress: bool) -> None:
    data = EPSS[:position] + bytes([byte]) + EPSS[position + 1 :]
    payload = gzip.compress(data) if compress else data
    _only_format_errors(lambda document: read_epss(document, source="f"), payload)  # type: ignore[arg-type]


@FUZZ
@given(text=st.text(max_size=300))
def test_random_yaml_text(text: str) -> None:
    _only_format_errors(lambda document: read_osv_yaml(document, source="f"), text)  # type: ignore[arg-type]


def test_seeds_are_valid() -> None:
    """The fuzz seeds read cleanly, so mutations start from valid documents."""
    for name, reader in READERS.items():
        reader(SEED_DOCUMENTS[name])
    assert Path(DATA).is_dir()
