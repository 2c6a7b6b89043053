"""The KEV catalog (JSON and CSV) and EPSS score files."""

from __future__ import annotations

import gzip
import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from medvigil.core.advisories.epss import EpssScore, read_epss, stream_epss
from medvigil.core.advisories.kev import read_kev_catalog, read_kev_csv, read_kev_json
from medvigil.core.advisories.model import AdvisoryFormatError

KEV = "kev/cisagov-kev-data/known_exploited_vulnerabilities"
EPSS = "epss/vulnerablecode-testdata/epss/epss_scores-2025-x-x.csv"


def test_kev_json_catalog(shared_data: Path) -> None:
    catalog = read_kev_json((shared_data / f"{KEV}.json").read_bytes(), source="kev.json")
    assert catalog.version == "2025.08.25"
    assert catalog.date_released == datetime(2025, 8, 25, 17, 4, 19, 979600, tzinfo=UTC)
    assert len(catalog.entries) == 1404
    assert sum(entry.known_ransomware_campaign_use for entry in catalog.entries) == 293
    entry = catalog.by_cve()["CVE-2025-48384"]
    assert (entry.vendor, entry.product) == ("Git", "Git")
    assert entry.name == "Git Link Following Vulnerability"
    assert entry.date_added == date(2025, 8, 25)
    assert entry.due_date == date(2025, 9, 15)
    assert entry.cwe_ids == ("CWE-59", "CWE-436")
    assert entry.notes.endswith("https://nvd.nist.gov/vuln/detail/CVE-2025-48384")


def test_kev_csv_says_the_same_as_the_json(shared_data: Path) -> None:
    from_json = read_kev_json((shared_data / f"{KEV}.json").read_bytes(), source="kev.json")
    from_csv = read_kev_csv((shared_data / f"{KEV}.csv").read_bytes(), source="kev.csv")
    assert from_csv.version is None
    assert from_csv.entries == from_json.entries


def test_kev_count_mismatch_is_refused(shared_data: Path) -> None:
    document = {
        "catalogVersion": "1",
        "dateReleased": "2025-01-01T00:00:00Z",
        "count": 2,
        "vulnerabilities": [],
    }
    with pytest.raises(AdvisoryFormatError, match="count says 2"):
        read_kev_catalog(document, source="kev.json")


def test_epss_file_plain_and_gzip(shared_data: Path) -> None:
    data = (shared_data / EPSS).read_bytes()
    for payload in (data, gzip.compress(data)):
        scores = read_epss(payload, source="epss.csv")
        assert len(scores) == 27
        assert scores.model_version == "v2025.03.14"
        assert scores.score_date == datetime(2025, 12, 26, 12, 55, tzinfo=UTC)
        assert scores["CVE-1999-0002"] == EpssScore("CVE-1999-0002", 0.10546, 0.93015)
        assert scores["CVE-2025-9970"].probability == 7e-05
        assert "CVE-2025-9973" not in scores


def test_epss_stream_from_an_open_file(shared_data: Path) -> None:
    stream = io.BytesIO(gzip.compress((shared_data / EPSS).read_bytes()))
    header, rows = stream_epss(stream, source="epss.csv.gz")
    assert header.model_version == "v2025.03.14"
    assert next(rows) == EpssScore("CVE-1999-0001", 0.01151, 0.7802)
    assert sum(1 for _ in rows) == 26


def test_epss_without_header_line() -> None:
    scores = read_epss(b"cve,epss,percentile\nCVE-2020-0001,0.5,0.9\n", source="old.csv")
    assert scores.model_version is None
    assert scores["CVE-2020-0001"].percentile == 0.9


@pytest.mark.parametrize(
    ("data", "path", "message"),
    [
        (b"#model_version:v1\ncve,score\n", "line 2", "expected the header line"),
        (b"cve,epss,percentile\nCVE-1,0.1,0.2\n", "line 2", "not a CVE id"),
        (
            b"cve,epss,percentile\nCVE-2020-0001,0.1,0.2\nCVE-2020-0002,nan,0.2\n",
            "line 3",
            "within 0 and 1",
        ),
        (b"cve,epss,percentile\nCVE-2020-0001,x,0.2\n", "line 2", "must be numbers"),
    ],
)
def test_epss_errors_name_the_line(data: bytes, path: str, message: str) -> None:
    with pytest.raises(AdvisoryFormatError, match=message) as caught:
        read_epss(data, source="bad.csv")
    assert caught.value.path == path


def test_truncated_gzip_is_a_format_error(shared_data: Path) -> None:
    data = gzip.compress((shared_data / EPSS).read_bytes())[:-20]
    with pytest.raises(AdvisoryFormatError, match="cannot read"):
        read_epss(data, source="cut.csv.gz")
