"""Feed synchronisation against a local HTTP server: 200 then 304, failures, resuming."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from medvigil.vulns import file_sync, services, sources, sync
from medvigil.vulns.health import feed_ages
from medvigil.vulns.models import FeedImport, FeedSource, KevEntry
from tests.conftest import shared_data_directory

pytestmark = pytest.mark.django_db
KEV_FILE = "kev/cisagov-kev-data/known_exploited_vulnerabilities.json"


class QuietHandler(SimpleHTTPRequestHandler):
    requests: list[tuple[str, str]] = []

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_head(self) -> Any:
        QuietHandler.requests.append((self.path, self.headers.get("If-Modified-Since", "")))
        return super().send_head()


@pytest.fixture
def feed_server() -> Iterator[str]:
    """http.server on 127.0.0.1 serving the shared data read-only (Last-Modified, 304)."""
    handler = functools.partial(QuietHandler, directory=str(shared_data_directory()))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    QuietHandler.requests = []
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_a_feed_is_downloaded_and_imported_then_not_modified(feed_server: str) -> None:
    source = sources.add_source("kev", f"{feed_server}/{KEV_FILE}", "kev", maximum_age_hours=24)
    first = sync.sync_feeds()
    assert [(outcome.status, outcome.http_status) for outcome in first] == [("imported", 200)]
    assert first[0].counts["kev created"] == 1404
    source.refresh_from_db()
    assert source.last_modified  # the server's Last-Modified, kept for the next request
    assert source.last_status == "imported"
    assert source.last_imported_at is not None
    assert KevEntry.objects.count() == 1404
    assert not any(Path(settings.FEED_CACHE_DIRECTORY).rglob("*.json"))  # cache emptied

    second = sync.sync_feeds()
    assert [(outcome.status, outcome.http_status) for outcome in second] == [("not-modified", 304)]
    assert QuietHandler.requests[-1][1] == source.last_modified  # a conditional request
    assert FeedImport.objects.count() == 1  # nothing imported the second time
    assert [result.ok for result in feed_ages()] == [True]


def test_a_failed_download_is_recorded_and_fails_the_check(feed_server: str) -> None:
    sources.add_source("missing", f"{feed_server}/kev/no-such-file.json", "kev")
    (outcome,) = sync.sync_feeds()
    assert (outcome.status, outcome.http_status) == ("failed", 404)
    source = FeedSource.objects.get()
    assert source.last_error.startswith("HTTP 404")
    (check,) = feed_ages()
    assert not check.ok
    assert "never imported" in check.detail


def test_an_import_that_fails_resumes_from_the_downloaded_file(
    feed_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources.add_source("kev", f"{feed_server}/{KEV_FILE}", "kev")
    real = services.import_feed

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OSError("disk full")

    monkeypatch.setattr(file_sync, "import_feed", broken)
    (outcome,) = sync.sync_feeds()
    assert outcome.status == "failed"
    assert "disk full" in outcome.error
    source = FeedSource.objects.get()
    assert source.last_modified == ""  # validators are kept only after a successful import
    downloads = len(QuietHandler.requests)
    monkeypatch.setattr(file_sync, "import_feed", real)
    (outcome,) = sync.sync_feeds()
    assert outcome.status == "imported"
    assert len(QuietHandler.requests) == downloads  # imported from the cache, no new download
    assert KevEntry.objects.count() == 1404


def test_a_stale_feed_fails_the_check(feed_server: str) -> None:
    from datetime import timedelta

    from django.utils import timezone

    source = sources.add_source("kev", f"{feed_server}/{KEV_FILE}", "kev", maximum_age_hours=2)
    FeedSource.objects.filter(pk=source.pk).update(
        last_imported_at=timezone.now() - timedelta(hours=3)
    )
    (check,) = feed_ages()
    assert not check.ok
    assert check.detail == "stale: last imported 3 h ago, over the maximum of 2 h"
