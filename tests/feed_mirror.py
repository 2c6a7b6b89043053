"""A local mirror of the real public sources, laid out from ../shared/data, on 127.0.0.1.

`build_mirror(root, base_url)` writes the files as the publishers lay them
out (see `medvigil.core.sources.catalogue`): OSV `<ecosystem>/all.zip`, NVD
`feeds/json/cve/2.0/nvdcve-2.0-<year>.json.gz` and `-modified.json.gz`, the
KEV JSON, EPSS `epss_scores-current.csv.gz`, and two CSAF providers: one with
a ROLIE feed, one with a directory holding `changes.csv` and `index.txt`.
`serve(root)` serves the folder with `http.server` in a thread (Last-Modified,
304 on If-Modified-Since), as the tests and the benchmark use it.
"""

from __future__ import annotations

import functools
import gzip
import io
import json
import shutil
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import shared_data_directory

PYPI = "osv/PyPI/pypa-advisory-database/vulns"
NVD = "nvd/api-2.0/osv.dev-testdata/nvdcve-2.0"
KEV = "kev/cisagov-kev-data/known_exploited_vulnerabilities.json"
EPSS = "epss/vulnerablecode-testdata/epss/epss_scores-2025-x-x.csv"
ICSMA = "csaf/cisagov-CSAF/icsma-medical/csaf_files/OT/white"
ICSA = "csaf/cisagov-CSAF/icsa-industrial/csaf_files/OT/white"
IT = "csaf/cisagov-CSAF/it/csaf_files/IT/white"
NVD_MODIFIED_CVE = "CVE-2024-47177"


@dataclass
class Mirror:
    base_url: str
    urls: dict[str, str] = field(default_factory=dict)  # source name → address
    osv_records: list[dict[str, Any]] = field(default_factory=list)
    icsma_documents: int = 0
    csaf_directory_documents: int = 0


def pypi_records(limit: int | None = None) -> list[dict[str, Any]]:
    paths = sorted((shared_data_directory() / PYPI).rglob("*.yaml"))[:limit]
    return [yaml.safe_load(path.read_text("utf-8")) for path in paths]


def osv_zip(records: list[dict[str, Any]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for record in records:
            archive.writestr(f"{record['id']}.json", json.dumps(record, default=_iso))
    return buffer.getvalue()


def _iso(value: Any) -> str:
    """YAML timestamps as the ISO text OSV's JSON export carries."""
    return str(value.isoformat().replace("+00:00", "Z"))


def nvd_feed(entries: list[Any]) -> bytes:
    document = {
        "resultsPerPage": len(entries),
        "startIndex": 0,
        "totalResults": len(entries),
        "format": "NVD_CVE",
        "version": "2.0",
        "timestamp": "2026-12-07T00:00:00.000",
        "vulnerabilities": entries,
    }
    return gzip.compress(json.dumps(document).encode(), mtime=0)


def write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def build_nvd(root: Path, mirror: Mirror, first_year: int, last_year: int) -> None:
    folder = root / "nvd/feeds/json/cve/2.0"
    by_year: dict[int, list[Any]] = {year: [] for year in range(first_year, last_year + 1)}
    modified: list[Any] = []
    for path in sorted((shared_data_directory() / NVD).glob("*.json")):
        for entry in json.loads(path.read_text("utf-8"))["vulnerabilities"]:
            year = int(entry["cve"]["id"].split("-")[1])
            by_year.setdefault(year, []).append(entry)
            if entry["cve"]["id"] == NVD_MODIFIED_CVE:
                modified.append(entry)
    for year, entries in by_year.items():
        write(folder / f"nvdcve-2.0-{year}.json.gz", nvd_feed(entries))
    write(folder / "nvdcve-2.0-modified.json.gz", nvd_feed(modified))
    mirror.urls["nvd"] = f"{mirror.base_url}/nvd/feeds/json/cve/2.0/nvdcve-2.0-modified.json.gz"


def rolie_entry(url: str, document: dict[str, Any]) -> dict[str, Any]:
    tracking = document["document"]["tracking"]
    return {
        "id": tracking["id"],
        "title": document["document"]["title"],
        "link": [{"rel": "self", "href": url}, {"rel": "hash", "href": url + ".sha512"}],
        "published": tracking["initial_release_date"],
        "updated": tracking["current_release_date"],
        "content": {"src": url, "type": "application/json"},
        "format": {
            "schema": "https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json",
            "version": "2.0",
        },
    }


def build_csaf_rolie(root: Path, mirror: Mirror) -> None:
    """CISA's layout: OT/white/<year>/<id>.json and a TLP:WHITE ROLIE feed, medical and not."""
    base = f"{mirror.base_url}/csaf-rolie"
    entries = []
    for folder in (ICSMA, ICSA):
        for path in sorted((shared_data_directory() / folder).rglob("*.json")):
            relative = path.relative_to(shared_data_directory() / folder)
            shutil.copyfile(path, _target(root / "csaf-rolie/OT/white" / relative))
            document = json.loads(path.read_text("utf-8"))
            entries.append(rolie_entry(f"{base}/OT/white/{relative}", document))
            mirror.icsma_documents += folder == ICSMA
    feed = {"feed": {"id": "csaf-feed-tlp-white", "title": "OT advisories", "entry": entries}}
    write(root / "csaf-rolie/OT/white/csaf-feed-tlp-white.json", json.dumps(feed).encode())
    metadata = provider_metadata(
        f"{base}/.well-known/csaf/provider-metadata.json",
        {
            "rolie": {
                "feeds": [
                    {"tlp_label": "WHITE", "url": f"{base}/OT/white/csaf-feed-tlp-white.json"}
                ]
            }
        },
    )
    write(root / "csaf-rolie/.well-known/csaf/provider-metadata.json", metadata)
    mirror.urls["csaf-rolie"] = f"{base}/.well-known/csaf/provider-metadata.json"


def build_csaf_directory(root: Path, mirror: Mirror) -> None:
    """A provider with a directory: <year>/<id>.json, changes.csv (newest first), index.txt."""
    base = f"{mirror.base_url}/csaf-directory"
    rows = []
    for path in sorted((shared_data_directory() / IT).rglob("*.json")):
        if path.parent.name.isdigit():
            relative = path.relative_to(shared_data_directory() / IT)
            shutil.copyfile(path, _target(root / "csaf-directory/white" / relative))
            updated = json.loads(path.read_text("utf-8"))["document"]["tracking"]
            rows.append((str(relative), updated["current_release_date"]))
    rows.sort(key=lambda row: row[1], reverse=True)
    changes = "".join(f'"{path}","{date}"\n' for path, date in rows)
    write(root / "csaf-directory/white/changes.csv", changes.encode())
    write(root / "csaf-directory/white/index.txt", "".join(f"{p}\n" for p, _ in rows).encode())
    metadata = provider_metadata(
        f"{base}/.well-known/csaf/provider-metadata.json", {"directory_url": f"{base}/white/"}
    )
    write(root / "csaf-directory/.well-known/csaf/provider-metadata.json", metadata)
    mirror.urls["csaf-directory"] = f"{base}/.well-known/csaf/provider-metadata.json"
    mirror.csaf_directory_documents = len(rows)


def provider_metadata(url: str, distribution: dict[str, Any]) -> bytes:
    return json.dumps(
        {
            "canonical_url": url,
            "distributions": [distribution],
            "last_updated": "2026-12-07T00:00:00Z",
            "list_on_CSAF_aggregators": True,
            "metadata_version": "2.0",
            "mirror_on_CSAF_aggregators": True,
            "publisher": {
                "category": "coordinator",
                "name": "Local mirror",
                "namespace": "https://mirror.example",
            },
            "role": "csaf_provider",
        }
    ).encode()


def _target(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def build_mirror(
    root: Path,
    base_url: str,
    *,
    osv_records: list[dict[str, Any]] | None = None,
    nvd_years: tuple[int, int] = (2020, 2026),
) -> Mirror:
    mirror = Mirror(base_url)
    mirror.osv_records = osv_records if osv_records is not None else pypi_records()
    write(root / "osv/PyPI/all.zip", osv_zip(mirror.osv_records))
    mirror.urls["osv-pypi"] = f"{base_url}/osv/PyPI/all.zip"
    build_nvd(root, mirror, *nvd_years)
    shutil.copyfile(shared_data_directory() / KEV, _target(root / "kev/kev.json"))
    mirror.urls["kev"] = f"{base_url}/kev/kev.json"
    epss = gzip.compress((shared_data_directory() / EPSS).read_bytes(), mtime=0)
    write(root / "epss/epss_scores-current.csv.gz", epss)
    mirror.urls["epss"] = f"{base_url}/epss/epss_scores-current.csv.gz"
    build_csaf_rolie(root, mirror)
    build_csaf_directory(root, mirror)
    return mirror


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(root: Path) -> Iterator[str]:
    """http.server on 127.0.0.1 serving `root`; yields its base URL."""
    handler = functools.partial(QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
