"""The prebuilt feed index: read feeds once, scan many times from one compact file.

Format version 2 (documented in docs/scanner.md): gzip-compressed JSON
lines, UTF-8.

- line 1, the header: ``{"format": "medvigil-feed-index", "version": 2,
  "sha256": "<hex>", "advisories": n, "kev": n, "epss": n}``; `sha256` is
  the digest of every following byte (the body, uncompressed).
- line 2, the directory: ``{"groups": [[id, id, ...], ...], "keys": [[kind,
  x, y, [advisory numbers]], ...]}``: the alias groups of every advisory
  (those of two ids or more, each sorted), and the keys the matcher files
  advisories under (``["package", ecosystem, name]``, ``["cpe", vendor,
  product]``) with the numbers (0-based, in file order) of those advisories.
- then one line per advisory, ``{"a": advisory}`` (the `Advisory` model as
  JSON, its fields named as in the model, default values omitted), one per
  KEV entry ``{"k": entry}`` and one per EPSS score ``{"e": [cve,
  probability, percentile]}``.

A scan names the keys of its SBOM's components: only the advisory lines
filed under them are decoded and built; the others stay bytes, and the
stored alias groups stand in for them when findings are grouped. Decoding
and building objects, not decompressing, is what costs time on a cold start.

The file is data, never code: no pickle, so a file received from elsewhere
can at worst be refused. Loading checks the format name, the version, the
digest, the counts and every decoded field's type; anything else raises
`IndexFileError`.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import zlib
from typing import Any

from medvigil.core.advisories import Advisory, EpssScore, KevEntry
from medvigil.core.matching import Key, advisory_keys, group_aliases
from medvigil.core.scanning.feeds import FeedData
from medvigil.core.scanning.index_fields import (
    advisory_from_json,
    epss_from_json,
    group_from_json,
    kev_from_json,
    key_entry_from_json,
)
from medvigil.core.scanning.index_records import advisory_json, kev_json

FORMAT = "medvigil-feed-index"
VERSION = 2
# A hostile file must not exhaust memory through decompression.
MAX_UNCOMPRESSED_BYTES = 4 * 1024 * 1024 * 1024


class IndexFileError(ValueError):
    """The index file is not one this version wrote, or was altered."""


def write_index(feeds: FeedData) -> bytes:
    """The index file's bytes for `feeds`."""
    positions: dict[Key, list[int]] = {}
    for number, advisory in enumerate(feeds.advisories):
        for key in sorted(advisory_keys(advisory)):
            positions.setdefault(key, []).append(number)
    groups = group_aliases([*feeds.advisories, *feeds.identities]).groups
    directory = {
        "groups": sorted(list(members) for members in groups.values() if len(members) > 1),
        "keys": [[*key, numbers] for key, numbers in sorted(positions.items())],
    }
    lines = [_line(directory)]
    lines.extend(_line({"a": advisory_json(advisory)}) for advisory in feeds.advisories)
    lines.extend(_line({"k": kev_json(entry)}) for entry in feeds.kev.values())
    lines.extend(
        _line({"e": [score.cve_id, score.probability, score.percentile]})
        for score in feeds.epss.values()
    )
    body = b"".join(lines)
    header = {
        "format": FORMAT,
        "version": VERSION,
        "sha256": hashlib.sha256(body).hexdigest(),
        "advisories": len(feeds.advisories),
        "kev": len(feeds.kev),
        "epss": len(feeds.epss),
    }
    return gzip.compress(_line(header) + body, compresslevel=6, mtime=0)


def read_index(data: bytes, wanted: set[Key] | None = None) -> FeedData:
    """The feeds stored in an index file; raises `IndexFileError` for anything else.

    With `wanted` (see `matching.keys.component_keys`), only advisories
    filed under one of those keys are built. Either way the stored alias
    groups come back in `FeedData.identities` (one per group: its first id,
    the others as aliases), so grouping what was built gives the groups of
    the whole file.
    """
    header, lines = _verified_lines(data)
    count, kev_count, epss_count = (_count(header, name) for name in ("advisories", "kev", "epss"))
    if len(lines) != 1 + count + kev_count + epss_count:
        raise IndexFileError("record counts differ from the header")
    try:
        directory = _object(_decode(lines[0]))
        identities = tuple(group_from_json(item) for item in _list(directory.get("groups")))
        filed = [key_entry_from_json(item, count) for item in _list(directory.get("keys"))]
    except (TypeError, ValueError, KeyError) as error:
        raise IndexFileError(f"line 2: {error}") from None
    chosen = (
        range(count)
        if wanted is None
        else sorted({number for key, numbers in filed if key in wanted for number in numbers})
    )
    advisories: list[Advisory] = [
        _record(lines, 1 + number, "a", advisory_from_json) for number in chosen
    ]
    kev: dict[str, KevEntry] = {}
    for number in range(1 + count, 1 + count + kev_count):
        entry = _record(lines, number, "k", kev_from_json)
        kev[entry.cve_id] = entry
    epss: dict[str, EpssScore] = {}
    for number in range(1 + count + kev_count, len(lines)):
        score = _record(lines, number, "e", epss_from_json)
        epss[score.cve_id] = score
    if (len(kev), len(epss)) != (kev_count, epss_count):
        raise IndexFileError("record counts differ from the header (repeated KEV or EPSS ids)")
    return FeedData(tuple(advisories), kev, epss, identities=identities)


def _verified_lines(data: bytes) -> tuple[dict[str, Any], list[bytes]]:
    """The header and the body's lines, once the gzip stream, format and digest are checked."""
    try:
        decompressor = zlib.decompressobj(wbits=31)
        raw = decompressor.decompress(data, MAX_UNCOMPRESSED_BYTES)
        if decompressor.unconsumed_tail or not decompressor.eof:
            raise IndexFileError("not a complete gzip file, or larger than the limit")
    except zlib.error as error:
        raise IndexFileError(f"not a gzip file: {error}") from None
    head, separator, body = raw.partition(b"\n")
    header = _decode(head)
    if not separator or not isinstance(header, dict) or header.get("format") != FORMAT:
        raise IndexFileError("not a medvigil feed index (missing header)")
    if header.get("version") != VERSION:
        raise IndexFileError(
            f"index format version {header.get('version')!r}; this medvigil reads {VERSION}: "
            "write the index again with `medvigil feeds index`"
        )
    if hashlib.sha256(body).hexdigest() != header.get("sha256"):
        raise IndexFileError("content does not match its SHA-256: the file was altered or cut")
    if not body.endswith(b"\n"):
        raise IndexFileError("the last record is not a whole line")
    return header, body[:-1].split(b"\n")


def _count(header: dict[str, Any], name: str) -> int:
    value = header.get(name)
    if type(value) is not int or value < 0:
        raise IndexFileError(f"the header's {name} count must be a whole number")
    return value


def _record(lines: list[bytes], number: int, kind: str, convert: Any) -> Any:
    """Line `number` of the body (0-based), a one-key object of `kind`, converted."""
    try:
        record = _object(_decode(lines[number]))
        if len(record) != 1 or kind not in record:
            raise TypeError(f"expected a {kind!r} record")
        return convert(record[kind])
    except (TypeError, ValueError, KeyError, AttributeError) as error:
        raise IndexFileError(f"line {number + 2}: {error}") from None


def _object(value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError("expected an object")
    return value


def _list(value: object) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError("expected a list")
    return value


def _line(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode() + b"\n"


def _decode(line: bytes) -> Any:
    try:
        return json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise IndexFileError(f"not JSON lines: {error}") from None
