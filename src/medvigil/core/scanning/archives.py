"""Zip archives and gzip streams expanded within limits, so a bomb is refused, not expanded.

Every entry is decompressed in chunks and counted as it grows: reading stops
with `ArchiveLimitError` as soon as an entry passes `entry_bytes`, the whole
archive passes `total_bytes`, it holds more than `entries` files, or an entry
grows past `ratio` times its compressed size. Below `ratio_floor_bytes` the
ratio is not checked, since small text files may compress very well. Memory
therefore stays near one entry's limit whatever the archive claims.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

__all__ = ["ArchiveLimitError", "ArchiveLimits", "gunzip", "zip_entries"]

MEGABYTE = 1024 * 1024
_CHUNK_BYTES = 256 * 1024
# wbits for zlib: a gzip header and trailer around the deflate stream.
_GZIP_WINDOW = 16 + zlib.MAX_WBITS


@dataclass(frozen=True, slots=True)
class ArchiveLimits:
    """How far one archive or compressed file may expand (the defaults suit real feeds).

    The largest real feed file (an NVD year, about 400 MB of JSON) compresses
    about 15 times; a zip of zeros compresses about 1,000 times.
    """

    entry_bytes: int = 512 * MEGABYTE
    total_bytes: int = 8 * 1024 * MEGABYTE
    ratio: int = 100
    ratio_floor_bytes: int = MEGABYTE
    entries: int = 1_000_000


class ArchiveLimitError(ValueError):
    """An archive or compressed file that would expand past its limits."""


def zip_entries(
    source: Path | bytes, name: str, limits: ArchiveLimits
) -> Iterator[tuple[str, bytes]]:
    """(entry name, bytes) for each file of a zip archive, in name order, within `limits`.

    Raises `zipfile.BadZipFile` for what is no readable zip, `ArchiveLimitError`
    when the archive passes a limit (at that entry: the entries before it were given).
    """
    with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as archive:
        members = sorted(
            (member for member in archive.infolist() if not member.is_dir()),
            key=lambda member: member.filename,
        )
        if len(members) > limits.entries:
            raise ArchiveLimitError(
                f"{name}: {len(members)} entries, over the limit of {limits.entries} per archive"
            )
        total = 0
        for member in members:
            entry_name = f"{name}!{member.filename}"
            budget = min(limits.entry_bytes, limits.total_bytes - total)
            with archive.open(member) as stream:
                data = _read_within(stream, entry_name, member.compress_size, budget, limits)
            total += len(data)
            yield member.filename, data


def gunzip(data: bytes, name: str, limits: ArchiveLimits) -> bytes:
    """The decompressed bytes of a gzip file, refused past the entry size or the ratio.

    Raises `ArchiveLimitError`, or `OSError`/`EOFError` for a broken gzip stream.
    """
    decompressor = zlib.decompressobj(_GZIP_WINDOW)
    output = bytearray()
    pending = data
    try:
        while pending and not decompressor.eof:
            # max_length bounds each step, so a bomb never expands beyond one chunk at a time.
            output += decompressor.decompress(pending, _CHUNK_BYTES)
            pending = decompressor.unconsumed_tail
            _check(name, len(output), len(data) - len(pending), limits.entry_bytes, limits)
    except zlib.error as error:
        raise OSError(f"not a readable gzip stream: {error}") from None
    if not decompressor.eof:
        raise EOFError("the gzip stream ends before its end marker")
    return bytes(output)


def _read_within(
    stream: IO[bytes], name: str, compressed: int, budget: int, limits: ArchiveLimits
) -> bytes:
    output = bytearray()
    while chunk := stream.read(_CHUNK_BYTES):
        output += chunk
        _check(name, len(output), compressed, budget, limits)
    return bytes(output)


def _check(name: str, size: int, compressed: int, budget: int, limits: ArchiveLimits) -> None:
    if size > budget:
        whole = budget < limits.entry_bytes
        limit = limits.total_bytes if whole else limits.entry_bytes
        what = "the archive expands" if whole else "expands"
        raise ArchiveLimitError(
            f"{name}: {what} past the limit of {limit} bytes; refused as a possible bomb"
        )
    if size > limits.ratio_floor_bytes and size > limits.ratio * max(compressed, 1):
        raise ArchiveLimitError(
            f"{name}: expands more than {limits.ratio} times its compressed size "
            f"({compressed} bytes); refused as a possible bomb"
        )
