"""CPE criteria naming every version (version `*`, no bounds) are review candidates, never
findings; on real NVD API 2.0 records."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from medvigil.core.advisories.model import Advisory, CpeConfiguration, CpeMatch
from medvigil.core.advisories.nvd import read_nvd_json
from medvigil.core.matching import AdvisoryIndex, Confidence, Rule

BLEVE = "nvd/api-2.0/dependency-track-testdata/CVE-2022-31022-all-versions-vulnerable.json"
XEN = "nvd/api-2.0/osv.dev-testdata/nvdcve-2.0/CVE-2022-33745.json"
LIBWEBP = "nvd/api-2.0/osv.dev-testdata/nvdcve-2.0/CVE-2023-4863.json"


@pytest.fixture(scope="module")
def index(shared_data: Path) -> AdvisoryIndex:
    records: list[Advisory] = []
    for relative in (BLEVE, XEN, LIBWEBP):
        records.extend(read_nvd_json((shared_data / relative).read_bytes(), source=relative))
    return AdvisoryIndex.build(records)


@pytest.mark.parametrize(
    ("cpe", "advisory"),
    [
        ("cpe:2.3:a:couchbase:bleve:2.3.2:*:*:*:*:*:*:*", "CVE-2022-31022"),
        ("cpe:2.3:o:xen:xen:4.16.0:*:*:*:*:*:x86:*", "CVE-2022-33745"),
    ],
)
def test_an_every_version_criterion_is_a_candidate_and_never_a_finding(
    index: AdvisoryIndex, cpe: str, advisory: str
) -> None:
    assert index.match(None, cpe, None) == ()
    [candidate] = index.match(None, cpe, None, include_candidates=True)
    assert candidate.advisory_id == advisory
    assert (candidate.method, candidate.affected) == ("cpe", False)
    assert candidate.verdict.rule == Rule.CPE_EVERY_VERSION
    assert candidate.confidence == Confidence.LOW
    assert "a candidate for review, not a finding" in candidate.verdict.explanation


def test_a_component_without_version_is_only_a_candidate_too(index: AdvisoryIndex) -> None:
    cpe = "cpe:2.3:a:couchbase:bleve:*:*:*:*:*:*:*:*"
    assert index.match(None, cpe, None) == ()
    assert [m.verdict.rule for m in index.match(None, cpe, None, include_candidates=True)] == [
        Rule.CPE_EVERY_VERSION
    ]


def test_a_bounded_criterion_is_still_a_finding(index: AdvisoryIndex) -> None:
    cpe = "cpe:2.3:a:webmproject:libwebp:1.3.1:*:*:*:*:*:*:*"
    [found] = index.match(None, cpe, None, include_candidates=True)
    assert (found.advisory_id, found.affected, found.verdict.rule) == (
        "CVE-2023-4863",
        True,
        Rule.CPE_CRITERIA,
    )
    assert index.match(None, cpe.replace("1.3.1", "1.3.2"), None, include_candidates=True) == ()


def test_a_purl_component_reaches_an_nvd_only_candidate_through_its_cpe(
    index: AdvisoryIndex,
) -> None:
    purl = "pkg:golang/github.com/blevesearch/bleve@2.3.2"
    cpe = "cpe:2.3:a:couchbase:bleve:2.3.2:*:*:*:*:*:*:*"
    assert index.match(purl, cpe, None) == ()
    [candidate] = index.match(purl, cpe, None, include_candidates=True)
    assert candidate.verdict.rule == Rule.CPE_EVERY_VERSION


def test_in_one_configuration_a_bounded_criterion_decides_over_every_version() -> None:
    node = (
        "OR",
        False,
        (
            CpeMatch("cpe:2.3:a:example:gateway:*:*:*:*:*:*:*:*"),
            CpeMatch("cpe:2.3:a:example:gateway:*:*:*:*:*:*:*:*", version_end_excluding="2.0"),
        ),
    )
    record = Advisory(
        id="CVE-2099-0001",
        source="test",
        modified=datetime(2024, 1, 1, tzinfo=UTC),
        cpe_configurations=(CpeConfiguration((node,)),),
    )
    index = AdvisoryIndex.build([record])
    [found] = index.match(None, "cpe:2.3:a:example:gateway:1.5:*:*:*:*:*:*:*", None)
    assert found.verdict.rule == Rule.CPE_CRITERIA
    assert "< 2.0" in found.verdict.explanation
    [candidate] = index.match(
        None, "cpe:2.3:a:example:gateway:2.5:*:*:*:*:*:*:*", None, include_candidates=True
    )
    assert candidate.verdict.rule == Rule.CPE_EVERY_VERSION
