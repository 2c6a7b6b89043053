"""Downloads against a real HTTP server on 127.0.0.1: retried, resumed, conditional."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from medvigil.vulns.downloads import DownloadFailed, fetch, partial_paths

BODY = bytes(range(256)) * 4000  # about 1 MB


class Publisher(BaseHTTPRequestHandler):
    """One file with a strong ETag; Range and If-Range honoured; failures on demand."""

    body: ClassVar[bytes] = BODY
    etag: ClassVar[str] = '"v1"'
    fail_next: ClassVar[list[int]] = []  # statuses to answer before serving
    cut_next: ClassVar[int] = 0  # responses to cut in the middle of the body
    seen: ClassVar[list[dict[str, str]]] = []

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        Publisher.seen.append(dict(self.headers))
        if self.path != "/feed.zip":
            self.send_error(404)
            return
        if Publisher.fail_next:
            self.send_error(Publisher.fail_next.pop(0))
            return
        if self.headers.get("If-None-Match") == Publisher.etag:
            self.send_response(304)
            self.end_headers()
            return
        start = 0
        wanted = self.headers.get("Range", "")
        if wanted.startswith("bytes=") and self.headers.get("If-Range") == Publisher.etag:
            start = int(wanted.removeprefix("bytes=").rstrip("-"))
        part = Publisher.body[start:]
        self.send_response(206 if start else 200)
        self.send_header("ETag", Publisher.etag)
        self.send_header("Content-Length", str(len(part)))
        if start:
            self.send_header("Content-Range", f"bytes {start}-{len(Publisher.body) - 1}/*")
        self.end_headers()
        if Publisher.cut_next:
            Publisher.cut_next -= 1
            self.wfile.write(part[: len(part) // 3])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(part)


@pytest.fixture
def publisher() -> Iterator[str]:
    Publisher.body, Publisher.etag = BODY, '"v1"'
    Publisher.fail_next, Publisher.cut_next, Publisher.seen = [], 0, []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Publisher)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/feed.zip"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(autouse=True)
def quick_retries(settings: Any) -> None:
    settings.FEED_RETRY_ATTEMPTS = 3
    settings.FEED_RETRY_BACKOFF_SECONDS = 0.01


def test_a_busy_server_is_tried_again_with_backoff(publisher: str, tmp_path: Path) -> None:
    Publisher.fail_next = [503, 429]
    fetched = fetch(publisher, tmp_path / "feed.zip")
    assert (fetched.status, fetched.etag) == (200, '"v1"')
    assert (tmp_path / "feed.zip").read_bytes() == BODY
    assert len(Publisher.seen) == 3


def test_a_missing_file_is_not_tried_again(publisher: str, tmp_path: Path) -> None:
    with pytest.raises(DownloadFailed, match="HTTP 404") as raised:
        fetch(publisher.replace("feed.zip", "gone.zip"), tmp_path / "gone.zip")
    assert raised.value.status == 404
    assert len(Publisher.seen) == 1


def test_a_transfer_cut_short_resumes_where_it_stopped(publisher: str, tmp_path: Path) -> None:
    Publisher.cut_next = 1
    fetched = fetch(publisher, tmp_path / "feed.zip")
    assert fetched.status == 206
    assert fetched.resumed_from == len(BODY) // 3
    assert (tmp_path / "feed.zip").read_bytes() == BODY
    assert Publisher.seen[1]["Range"] == f"bytes={len(BODY) // 3}-"
    assert Publisher.seen[1]["If-Range"] == '"v1"'
    assert not any(path.exists() for path in partial_paths(tmp_path / "feed.zip"))


def test_a_partial_file_waits_for_the_next_synchronisation(
    publisher: str, tmp_path: Path, settings: Any
) -> None:
    settings.FEED_RETRY_ATTEMPTS = 1
    Publisher.cut_next = 1
    with pytest.raises(DownloadFailed, match="download failed"):
        fetch(publisher, tmp_path / "feed.zip")
    partial, _ = partial_paths(tmp_path / "feed.zip")
    assert partial.stat().st_size == len(BODY) // 3
    assert not (tmp_path / "feed.zip").exists()  # a partial file never looks complete
    fetched = fetch(publisher, tmp_path / "feed.zip")
    assert (fetched.status, fetched.resumed_from) == (206, len(BODY) // 3)
    assert (tmp_path / "feed.zip").read_bytes() == BODY


def test_a_file_changed_since_the_partial_one_is_downloaded_whole(
    publisher: str, tmp_path: Path, settings: Any
) -> None:
    settings.FEED_RETRY_ATTEMPTS = 1
    Publisher.cut_next = 1
    with pytest.raises(DownloadFailed):
        fetch(publisher, tmp_path / "feed.zip")
    Publisher.body, Publisher.etag = BODY[::-1], '"v2"'
    fetched = fetch(publisher, tmp_path / "feed.zip")
    assert (fetched.status, fetched.etag) == (200, '"v2"')
    assert (tmp_path / "feed.zip").read_bytes() == BODY[::-1]


def test_an_unchanged_file_is_not_downloaded_again(publisher: str, tmp_path: Path) -> None:
    fetched = fetch(publisher, tmp_path / "feed.zip", etag='"v1"')
    assert fetched.status == 304
    assert not (tmp_path / "feed.zip").exists()
    assert Publisher.seen[0]["If-None-Match"] == '"v1"'
