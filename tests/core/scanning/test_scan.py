"""The offline scanner's core on real shared OSV records."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from medvigil.core.matching import AdvisoryIndex, group_aliases
from medvigil.core.sbom import parse_sbom
from medvigil.core.sbom.cyclonedx_schema import json_schema_warnings
from medvigil.core.scanning import (
    FeedError,
    ScanResult,
    at_or_above,
    cyclonedx_vex,
    json_report,
    load_feeds,
    sarif_report,
    scan,
)
from tests.core.scanning.scenario import EXPECTED, build


@pytest.fixture
def result(shared_data: Path, tmp_path: Path) -> ScanResult:
    sbom, feeds = build(shared_data, tmp_path)
    data = load_feeds([feeds])
    document = parse_sbom(sbom.read_bytes(), sbom.name)
    return scan(
        document,
        AdvisoryIndex.build(data.advisories),
        group_aliases(data.advisories),
        data.kev,
        data.epss,
    )


def test_exact_findings_and_none_on_fixed_versions(result: ScanResult) -> None:
    found = {(f.component.reference, f.vulnerability, f.aliases) for f in result.findings}
    assert found == EXPECTED


def test_one_finding_per_vulnerability_with_every_source(result: ScanResult) -> None:
    text = next(f for f in result.findings if f.component.reference == "text-vulnerable")
    assert [item.id for item in text.advisories] == ["GHSA-ppp9-7jff-5vj2", "GO-2021-0113"]
    assert all(item.fixed == ("0.3.7",) for item in text.advisories)
    assert text.method == "purl"
    assert text.kev is not None
    assert text.kev.cve_id == "CVE-2021-38561"
    assert text.severity.level == "high"
    assert text.severity.score == 7.5
    assert text.severity.vector is not None
    assert text.severity.vector.startswith("CVSS:3")
    previewer = next(f for f in result.findings if f.component.reference == "previewer-vulnerable")
    assert previewer.kev is None
    assert previewer.epss is not None
    assert previewer.epss.probability == 0.00251


def test_fail_on_thresholds(result: ScanResult) -> None:
    assert [f.vulnerability for f in at_or_above(result.findings, "high")] == ["CVE-2021-38561"]
    assert at_or_above(result.findings, "critical") == []


def test_json_shape(result: ScanResult) -> None:
    report = json_report(result)
    finding = next(f for f in report["findings"] if f["vulnerability"] == "CVE-2021-38561")
    assert set(finding) >= {
        "component",
        "vulnerability",
        "aliases",
        "advisories",
        "match",
        "severity",
        "kev",
        "epss",
    }
    assert finding["component"] == {
        "bom_ref": "text-vulnerable",
        "name": "golang.org/x/text",
        "version": "0.3.5",
        "purl": "pkg:golang/golang.org/x/text@v0.3.5",
    }
    assert finding["aliases"] == ["GHSA-ppp9-7jff-5vj2", "GO-2021-0113"]
    assert [set(a) for a in finding["advisories"]] == [{"id", "source", "matched", "fixed"}] * 2
    assert finding["match"] == {"method": "purl", "confidence": "high"}
    assert finding["kev"] is True
    assert finding["epss"] is None
    json.dumps(report)  # serialisable as is


def test_cyclonedx_vex_validates_against_the_bundled_schema(result: ScanResult) -> None:
    document = cyclonedx_vex(result, datetime(2025, 1, 2, tzinfo=UTC), "0.1.0")
    # The bundled CycloneDX 1.6 schema, checked with jsonschema-rs.
    assert json_schema_warnings(document, "1.6") == ()
    vulnerabilities = {v["id"]: v for v in document["vulnerabilities"]}
    assert set(vulnerabilities) == {"CVE-2019-1020019", "CVE-2021-38561"}
    assert vulnerabilities["CVE-2021-38561"]["affects"] == [{"ref": "text-vulnerable"}]
    assert vulnerabilities["CVE-2021-38561"]["analysis"] == {"state": "in_triage"}
    # A broken document is refused: the check can fail.
    assert json_schema_warnings({**document, "vulnerabilities": [{"affects": "x"}]}, "1.6")


def test_sarif_structure(result: ScanResult) -> None:
    # No SARIF schema ships in any installed package: the structure is checked here.
    document = sarif_report(result, "sbom.cdx.json", "0.1.0")
    assert document["version"] == "2.1.0"
    run = document["runs"][0]
    assert {rule["id"] for rule in run["tool"]["driver"]["rules"]} == {
        "CVE-2019-1020019",
        "CVE-2021-38561",
    }
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels["CVE-2021-38561"] == "error"
    location = run["results"][0]["locations"][0]
    assert location["physicalLocation"]["artifactLocation"]["uri"] == "sbom.cdx.json"


def test_named_paths_must_be_feeds(tmp_path: Path) -> None:
    with pytest.raises(FeedError, match="no such file"):
        load_feeds([tmp_path / "missing.json"])
    stray = tmp_path / "notes.txt"
    stray.write_text("hello")
    with pytest.raises(FeedError, match="not a recognised feed"):
        load_feeds([stray])
    broken = tmp_path / "GO-1.json"
    broken.write_text('{"id": "GO-1", "modified": 3}')
    with pytest.raises(FeedError, match=r"GO-1\.json"):
        load_feeds([broken])


def test_folders_and_archives_skip_bad_records_with_a_reason(
    shared_data: Path, tmp_path: Path
) -> None:
    import zipfile

    _sbom, feeds = build(shared_data, tmp_path)
    (feeds / "broken.json").write_text('{"id": "GO-1", "modified": 3}')
    (feeds / "README.md").write_text("not a feed")
    data = load_feeds([feeds])
    assert len(data.advisories) == 3
    assert [problem.source for problem in data.problems] == [str(feeds / "broken.json")]
    archive = tmp_path / "all.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for path in sorted(feeds.iterdir()):
            handle.write(path, path.name)
    zipped = load_feeds([archive])
    assert sorted(a.id for a in zipped.advisories) == sorted(a.id for a in data.advisories)
    assert set(zipped.kev) == {"CVE-2021-38561"}
    assert len(zipped.problems) == 1


@pytest.mark.whole_corpus
def test_every_shared_feed_folder_loads(shared_data: Path) -> None:
    data = load_feeds([shared_data / name for name in ("osv", "nvd", "cve", "kev", "epss")])
    assert len(data.advisories) > 5000
    assert len(data.kev) > 1000
    assert len(data.epss) > 10
