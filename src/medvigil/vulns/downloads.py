"""Download one feed file: conditional, resumable, retried with backoff, capped in size.

- Conditional: with the validators of the last import, `If-None-Match` and
  `If-Modified-Since`; a 304 is `Fetched(status=304)` and nothing is written.
- Resumable: the body goes to `<file>.partial`, renamed when complete. A
  transfer cut short leaves the partial file and the validators of its
  response; the next attempt asks for the rest (`Range`, `If-Range`), and a
  server answering 200 instead of 206 sends the whole file again.
- Retried: a lost connection, a timeout, HTTP 429 or 5xx is tried again, up to
  `FEED_RETRY_ATTEMPTS` times, waiting `FEED_RETRY_BACKOFF_SECONDS` doubled
  each time; other HTTP errors are final.
- Capped: a body over `FEED_MAX_DOWNLOAD_BYTES` (announced or read) is refused
  and its partial file removed.
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from medvigil import __version__

TIMEOUT_SECONDS = 60
CHUNK_BYTES = 1024 * 1024
DEFAULT_MAX_DOWNLOAD_BYTES = 1024 * 1024 * 1024
TRANSIENT_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


class DownloadTooLarge(OSError):
    """A feed whose body is longer than the configured cap."""


class DownloadFailed(OSError):
    """The download did not succeed after its retries; the message says why."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Fetched:
    status: int  # 200 (whole), 206 (resumed) or 304 (not modified)
    etag: str = ""
    last_modified: str = ""
    resumed_from: int = 0


def max_download_bytes() -> int:
    return int(getattr(settings, "FEED_MAX_DOWNLOAD_BYTES", DEFAULT_MAX_DOWNLOAD_BYTES))


def fetch(
    url: str, target: Path, *, etag: str = "", last_modified: str = "", limit: int | None = None
) -> Fetched:
    """Download `url` to `target`, retrying what may pass; raise `DownloadFailed` otherwise."""
    attempts = max(1, int(getattr(settings, "FEED_RETRY_ATTEMPTS", 3)))
    backoff = float(getattr(settings, "FEED_RETRY_BACKOFF_SECONDS", 2.0))
    bound = limit if limit is not None else max_download_bytes()
    for attempt in range(attempts):
        try:
            return fetch_once(url, target, etag=etag, last_modified=last_modified, limit=bound)
        except DownloadTooLarge as error:
            for path in partial_paths(target):
                path.unlink(missing_ok=True)
            raise DownloadFailed(f"download failed: {error}") from error
        except urllib.error.HTTPError as error:
            if error.code not in TRANSIENT_STATUSES or attempt + 1 == attempts:
                raise DownloadFailed(f"HTTP {error.code} {error.reason}", error.code) from error
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            if attempt + 1 == attempts:
                reason = getattr(error, "reason", error)
                raise DownloadFailed(f"download failed: {reason}") from error
        time.sleep(backoff * 2**attempt)
    raise AssertionError("unreachable: the last attempt returns or raises")


def partial_paths(target: Path) -> tuple[Path, Path]:
    partial = target.with_name(target.name + ".partial")
    return partial, target.with_name(target.name + ".partial.json")


def fetch_once(url: str, target: Path, *, etag: str, last_modified: str, limit: int) -> Fetched:
    partial, partial_validators = partial_paths(target)
    request = urllib.request.Request(  # noqa: S310 - administrators configure http(s) URLs
        url, headers={"User-Agent": f"medvigil/{__version__}"}
    )
    offset, resume_with = resume_point(partial, partial_validators)
    if offset:
        request.add_header("Range", f"bytes={offset}-")
        request.add_header("If-Range", resume_with)
    else:
        if etag:
            request.add_header("If-None-Match", etag)
        if last_modified:
            request.add_header("If-Modified-Since", last_modified)
    try:
        response = urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS)  # noqa: S310
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return Fetched(304, etag, last_modified)
        if error.code == 416:  # the partial file no longer fits: start again
            partial.unlink(missing_ok=True)
            partial_validators.unlink(missing_ok=True)
        raise
    with response:
        validators = {
            "etag": response.headers.get("ETag", "") or "",
            "last_modified": response.headers.get("Last-Modified", "") or "",
        }
        resumed = response.status == 206 and offset > 0
        announced = response.headers.get("Content-Length", "") or ""
        if announced.isdigit() and int(announced) + (offset if resumed else 0) > limit:
            partial.unlink(missing_ok=True)
            partial_validators.unlink(missing_ok=True)
            raise DownloadTooLarge(f"{announced} bytes announced, over the limit of {limit} bytes")
        if not resumed:
            partial_validators.write_text(json.dumps(validators))
        copy_within(response, partial, limit, append=resumed)
    partial.replace(target)
    partial_validators.unlink(missing_ok=True)
    return Fetched(
        response.status, validators["etag"], validators["last_modified"], offset if resumed else 0
    )


def resume_point(partial: Path, partial_validators: Path) -> tuple[int, str]:
    """Bytes already held and the validator to resume them with; (0, "") to start afresh."""
    if not partial.exists() or not partial_validators.exists():
        return 0, ""
    try:
        kept = json.loads(partial_validators.read_text())
    except (OSError, ValueError):
        return 0, ""
    # If-Range needs a strong ETag or a date; without one the body cannot be trusted to match.
    validator = kept.get("etag", "") if not kept.get("etag", "").startswith("W/") else ""
    validator = validator or kept.get("last_modified", "")
    size = partial.stat().st_size
    return (size, validator) if size and validator else (0, "")


def copy_within(response: Any, partial: Path, limit: int, *, append: bool = False) -> None:
    """Copy the body chunk by chunk, refused as soon as the file passes `limit` bytes.

    A body cut short keeps what arrived (for the next attempt to resume);
    the caller removes a body over the limit.
    """
    written = partial.stat().st_size if append and partial.exists() else 0
    with partial.open("ab" if append else "wb") as handle:
        while chunk := response.read(CHUNK_BYTES):
            written += len(chunk)
            if written > limit:
                raise DownloadTooLarge(f"the body passes the limit of {limit} bytes")
            handle.write(chunk)
    headers = getattr(response, "headers", None)
    announced = (headers.get("Content-Length", "") or "") if headers is not None else ""
    if getattr(response, "status", 0) == 200 and announced.isdigit() and written < int(announced):
        raise http.client.IncompleteRead(b"", int(announced) - written)
