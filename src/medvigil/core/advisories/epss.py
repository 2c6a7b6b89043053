"""Read FIRST EPSS daily score files (CSV, plain or gzip).

The file has ~250,000 rows. Rows are parsed as a stream and stored in two
float arrays beside one CVE → row index dict, so memory stays near the size
of the data rather than one Python object per score.
"""

from __future__ import annotations

import csv
import gzip
import io
import zlib
from array import array
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import IO

from medvigil.core.advisories.model import AdvisoryFormatError
from medvigil.core.documents import CVE_ID, Node

_GZIP_MAGIC = b"\x1f\x8b"
# What a truncated or corrupt gzip stream, or bytes that are not UTF-8, raise.
_READ_ERRORS = (OSError, EOFError, zlib.error, UnicodeDecodeError)


@dataclass(frozen=True, slots=True)
class EpssScore:
    """The probability of exploitation in the next 30 days, and its percentile."""

    cve_id: str
    probability: float
    percentile: float


@dataclass(frozen=True, slots=True)
class EpssHeader:
    """The ``#model_version:…,score_date:…`` line (absent in older files)."""

    model_version: str | None = None
    score_date: datetime | None = None


class EpssScores(Mapping[str, EpssScore]):
    """Every score of one file, by CVE id; read-only."""

    __slots__ = ("_index", "_percentiles", "_probabilities", "header")

    def __init__(self, header: EpssHeader, scores: Iterable[EpssScore]) -> None:
        self.header = header
        self._index: dict[str, int] = {}
        self._probabilities = array("d")
        self._percentiles = array("d")
        for score in scores:
            self._index[score.cve_id] = len(self._probabilities)
            self._probabilities.append(score.probability)
            self._percentiles.append(score.percentile)

    @property
    def model_version(self) -> str | None:
        return self.header.model_version

    @property
    def score_date(self) -> datetime | None:
        return self.header.score_date

    def __getitem__(self, cve_id: str) -> EpssScore:
        row = self._index[cve_id]
        return EpssScore(cve_id, self._probabilities[row], self._percentiles[row])

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


def read_epss(data: bytes | IO[bytes], *, source: str) -> EpssScores:
    """All scores of an EPSS file given as bytes or an open binary stream."""
    header, scores = stream_epss(data, source=source)
    return EpssScores(header, scores)


def stream_epss(data: bytes | IO[bytes], *, source: str) -> tuple[EpssHeader, Iterator[EpssScore]]:
    """The header, and an iterator over the scores (for callers that store rows as they go).

    The iterator raises AdvisoryFormatError at the first bad row.
    """
    try:
        text = _open_text(io.BytesIO(data) if isinstance(data, bytes) else data)
        first = text.readline()
        line_number = 1
        header = EpssHeader()
        if first.startswith("#"):
            header = _header(first.strip(), source)
            first = text.readline()
            line_number = 2
    except _READ_ERRORS as error:
        raise AdvisoryFormatError(f"cannot read the file: {error}", source=source) from None
    columns = [column.strip() for column in first.split(",")]
    if columns[:3] != ["cve", "epss", "percentile"]:
        raise _error(source, line_number, "expected the header line cve,epss,percentile")
    return header, _rows(text, source, line_number)


def _open_text(stream: IO[bytes]) -> io.TextIOWrapper:
    start = stream.read(2)
    binary = io.BufferedReader(_Prefixed(start, stream))
    if start == _GZIP_MAGIC:
        return io.TextIOWrapper(gzip.GzipFile(fileobj=binary), encoding="utf-8", newline="")
    return io.TextIOWrapper(binary, encoding="utf-8", newline="")


def _header(line: str, source: str) -> EpssHeader:
    values: dict[str, str] = {}
    for part in line.lstrip("#").split(","):
        key, _, value = part.partition(":")
        values[key.strip()] = value.strip()
    score_date = None
    if values.get("score_date"):
        score_date = Node(values["score_date"], source).timestamp()
    return EpssHeader(model_version=values.get("model_version") or None, score_date=score_date)


def _rows(text: io.TextIOWrapper, source: str, line_number: int) -> Iterator[EpssScore]:
    try:
        for row in csv.reader(text):
            line_number += 1
            if not row:
                continue
            if len(row) < 3:
                raise _error(source, line_number, f"expected 3 columns, found {len(row)}")
            cve_id = row[0].strip()
            if not CVE_ID.match(cve_id):
                raise _error(source, line_number, f"not a CVE id: {cve_id!r}")
            try:
                probability = float(row[1])
                percentile = float(row[2])
            except ValueError:
                raise _error(source, line_number, "epss and percentile must be numbers") from None
            # Written so that NaN fails too.
            if not (0.0 <= probability <= 1.0 and 0.0 <= percentile <= 1.0):
                raise _error(source, line_number, "epss and percentile must be within 0 and 1")
            yield EpssScore(cve_id, probability, percentile)
    except csv.Error as error:
        raise _error(source, line_number, f"not valid CSV: {error}") from None
    except _READ_ERRORS as error:
        raise _error(source, line_number, f"cannot read the file: {error}") from None


def _error(source: str, line_number: int, message: str) -> AdvisoryFormatError:
    return AdvisoryFormatError(message, source=source, path=f"line {line_number}")


class _Prefixed(io.RawIOBase):
    """A stream that gives back the bytes already read to sniff the format."""

    def __init__(self, prefix: bytes, stream: IO[bytes]) -> None:
        self._prefix = prefix
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._prefix:
            size = min(len(buffer), len(self._prefix))
            buffer[:size] = self._prefix[:size]
            self._prefix = self._prefix[size:]
            return size
        chunk = self._stream.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)
