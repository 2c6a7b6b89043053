"""Feed imports within limits: bombs refused in bounded memory, NUL records rejected alone.

Before: a 1 MB zip expanded to 1 GB or more in memory, a gzip bomb likewise,
a few hundred bytes of YAML aliases to billions of strings; a download had no
size limit; one OSV record holding ``\\u0000`` failed a whole import on
PostgreSQL (and was stored on SQLite).
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from medvigil.vulns import downloads, sources, sync
from medvigil.vulns.models import Advisory, FeedImport
from tests import factories
from tests.bounded import run_bounded
from tests.vulns.test_sync import KEV_FILE, feed_server  # noqa: F401 - the fixture

SETUP = """
import io, os, zipfile, zlib
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medvigil.settings")
django.setup()
from medvigil.vulns.feed_files import read_feed

ZEROS = bytes(1024 * 1024)

def zip_bomb(megabytes):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("osv/GHSA-bomb.json", "w", force_zip64=True) as entry:
            for _ in range(megabytes):
                entry.write(ZEROS)
        archive.writestr("osv/GHSA-zz-after.json", "{}")  # never read: after the bomb
    return buffer.getvalue()

def gzip_bomb(megabytes):
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [compressor.compress(ZEROS) for _ in range(megabytes)]
    return b"".join(parts) + compressor.flush()

def show(content, name):
    for item in read_feed(content, "auto", name):
        print(type(item).__name__, getattr(item, "reason", ""))
"""


def test_zip_gzip_and_yaml_bombs_are_rejected_in_bounded_memory() -> None:
    output = run_bounded(
        SETUP
        + """
lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
yaml_bomb = ("id: PYSEC-0\\nmodified: 2024-01-01T00:00:00Z\\n" + "\\n".join(lines)).encode()
bombs = [(zip_bomb(1024), "all.zip"), (gzip_bomb(1024), "nvd.json.gz"), (yaml_bomb, "a.yaml")]
""",
        "for content, name in bombs:\n    show(content, name)",
    )
    zip_line, gzip_line, yaml_line = output.strip().split("\n", 2)
    assert zip_line.startswith("Rejected all.zip!osv/GHSA-bomb.json: expands more than 100 times")
    assert gzip_line.startswith("Rejected nvd.json.gz: expands more than 100 times")
    assert yaml_line.startswith("Rejected a.yaml: not valid YAML: YAML anchors and aliases")


def test_archive_limits_come_from_the_settings() -> None:
    output = run_bounded(
        SETUP.replace("django.setup()", "django.setup()\nfrom django.conf import settings")
        + "settings.FEED_MAX_ENTRY_BYTES = 1000\ncontent = gzip_bomb(1)",
        "show(content, 'small.json.gz')",
    )
    assert output.startswith("Rejected small.json.gz: expands past the limit of 1000 bytes")


def osv_record(identifier: str, summary: str) -> dict[str, Any]:
    return {
        "id": identifier,
        "modified": "2024-05-01T00:00:00Z",
        "summary": summary,
        "affected": [{"package": {"ecosystem": "PyPI", "name": "jinja2"}, "versions": ["3.1.3"]}],
    }


@pytest.mark.django_db
def test_a_record_holding_nul_is_rejected_alone(tmp_path: Path) -> None:
    (tmp_path / "PYSEC-1.json").write_text(json.dumps(osv_record("PYSEC-1", "bad\x00summary")))
    (tmp_path / "PYSEC-2.json").write_text(json.dumps(osv_record("PYSEC-2", "fine")))
    result = factories.feed_import(tmp_path)
    assert result.status == FeedImport.Status.PARTIAL
    assert result.counts["advisories created"] == 1
    assert result.errors == [
        {
            "file": str(tmp_path / "PYSEC-1.json"),
            "reason": f"{tmp_path / 'PYSEC-1.json'}: record 'PYSEC-1': $.summary contains "
            "a NUL character, which cannot be stored",
        }
    ]
    assert list(Advisory.objects.values_list("identifier", flat=True)) == ["PYSEC-2"]


@pytest.mark.django_db
def test_a_download_over_the_cap_is_refused_and_leaves_no_file(
    feed_server: str,  # noqa: F811 - the fixture
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(settings, "FEED_MAX_DOWNLOAD_BYTES", 100_000, raising=False)
    sources.add_source("kev", f"{feed_server}/{KEV_FILE}", "kev")
    (outcome,) = sync.sync_feeds()
    assert outcome.status == "failed"
    assert outcome.error.startswith("download failed: ")
    assert "over the limit of 100000 bytes" in outcome.error
    assert not [path for path in Path(settings.FEED_CACHE_DIRECTORY).rglob("*") if path.is_file()]
    assert FeedImport.objects.count() == 0


def test_a_body_longer_than_announced_is_cut_at_the_cap(tmp_path: Path) -> None:
    # A server may send no Content-Length (chunked) or a false one: the copy counts itself.
    partial = tmp_path / "feed.json.partial"
    with pytest.raises(downloads.DownloadTooLarge, match="passes the limit of 1000 bytes"):
        downloads.copy_within(io.BytesIO(bytes(5000)), partial, 1000)
    assert partial.stat().st_size <= 1000
