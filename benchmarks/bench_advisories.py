"""Benchmark the advisory readers against plain decoding of the same bytes.

Run: ``.venv/bin/python benchmarks/bench_advisories.py``. Files are read into
memory first, so the figures are parsing only. The public data set holds a
27-row EPSS excerpt; a full-size file (250,000 rows, same format) is built in
memory from it so the EPSS figure is at real scale.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY / "src"))
sys.path.insert(0, str(REPOSITORY))

from tests.conftest import shared_data_directory  # noqa: E402

from medvigil.core.advisories.epss import read_epss  # noqa: E402
from medvigil.core.advisories.osv import read_osv_json, read_osv_yaml  # noqa: E402

FULL_EPSS_ROWS = 250_000


def _best_of(repeats: int, work: Callable[[], int]) -> tuple[float, int]:
    best = float("inf")
    count = 0
    for _ in range(repeats):
        start = time.perf_counter()
        count = work()
        best = min(best, time.perf_counter() - start)
    return best, count


def _report(name: str, reader: tuple[float, int], baseline: tuple[float, int], what: str) -> None:
    seconds, count = reader
    base_seconds, _ = baseline
    print(
        f"{name:<28} {count:>8} {what} in {seconds:7.3f} s = {count / seconds:>10,.0f}/s"
        f"   baseline {base_seconds:7.3f} s   ratio {seconds / base_seconds:5.2f}x"
    )


def _full_epss(sample: bytes) -> bytes:
    lines = sample.decode().splitlines()
    rows = [line.split(",") for line in lines[2:]]
    out = [lines[0], lines[1]]
    for index in range(FULL_EPSS_ROWS):
        _, probability, percentile = rows[index % len(rows)]
        out.append(f"CVE-{1999 + index // 20000}-{index % 20000:05d},{probability},{percentile}")
    return gzip.compress(("\n".join(out) + "\n").encode())


def main() -> None:
    data = shared_data_directory()
    files = [
        (path, path.read_bytes())
        for path in sorted((data / "osv").rglob("*"))
        if path.suffix in {".json", ".yaml"}
    ]
    json_files = [(path, raw) for path, raw in files if path.suffix == ".json"]
    yaml_files = [(path, raw) for path, raw in files if path.suffix == ".yaml"]
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    def osv_json() -> int:
        return len([read_osv_json(raw, source=path.name) for path, raw in json_files])

    def plain_json() -> int:
        return len([json.loads(raw) for _, raw in json_files])

    def osv_yaml() -> int:
        return len([read_osv_yaml(raw, source=path.name) for path, raw in yaml_files])

    def plain_yaml() -> int:
        return len([yaml.load(raw, Loader=loader) for _, raw in yaml_files])  # noqa: S506

    print(f"OSV files: {len(json_files)} JSON, {len(yaml_files)} YAML (parsing only)")
    _report("OSV JSON -> Advisory", _best_of(3, osv_json), _best_of(3, plain_json), "files")
    _report("OSV YAML -> Advisory", _best_of(3, osv_yaml), _best_of(3, plain_yaml), "files")

    sample_path = data / "epss/vulnerablecode-testdata/epss/epss_scores-2025-x-x.csv"
    sample = sample_path.read_bytes()
    full = _full_epss(sample)

    def epss(payload: bytes) -> Callable[[], int]:
        return lambda: len(read_epss(payload, source="epss"))

    def plain_csv(payload: bytes) -> Callable[[], int]:
        def work() -> int:
            raw = gzip.decompress(payload) if payload[:2] == b"\x1f\x8b" else payload
            rows = csv.reader(io.StringIO(raw.decode()))
            next(rows)
            next(rows)
            return len({row[0]: (float(row[1]), float(row[2])) for row in rows})

        return work

    print(f"EPSS: the data file ({len(sample)} bytes), a full-size gzip file ({len(full)} bytes)")
    _report("EPSS data file", _best_of(20, epss(sample)), _best_of(20, plain_csv(sample)), "rows")
    _report("EPSS 250k rows gzip", _best_of(3, epss(full)), _best_of(3, plain_csv(full)), "rows")


if __name__ == "__main__":
    main()
