"""Benchmark: reading an SPDX 2.3 tag-value SBOM of 3,900 files (about 3.4 MB).

Run as ``python benchmarks/bench_spdx_tag_value.py``. It builds the document
in memory, then times, in the same run:

- ours: `medvigil.core.sbom.parse_sbom`, whose tag-value parser parses every
  licence expression with one licence index built once;
- baseline: spdx-tools' own tag-value `Parser`, which rebuilds that index for
  every licence field (what `parse_sbom` did before), on the first
  `BASELINE_FILES` files only, scaled to the whole document (it grows linearly).

It prints figures and ratios and asserts nothing about time.
"""

from __future__ import annotations

import time

from spdx_tools.spdx.parser.tagvalue.parser import Parser

from medvigil.core.sbom import parse_sbom

FILES = 3_900
# The baseline takes about 0.15 s a licence field: a hundred files show its rate.
BASELINE_FILES = 100
LICENCES = ("MIT", "Apache-2.0", "GPL-2.0-only OR MIT", "BSD-3-Clause", "LGPL-2.1-or-later")


def build_document(files: int) -> str:
    lines = [
        "SPDXVersion: SPDX-2.3",
        "DataLicense: CC0-1.0",
        "SPDXID: SPDXRef-DOCUMENT",
        "DocumentName: infusion-pump-firmware",
        "DocumentNamespace: https://example.com/spdx/infusion-pump-3.2.0",
        "Creator: Tool: benchmark",
        "Created: 2025-01-01T00:00:00Z",
        "",
        "PackageName: firmware",
        "SPDXID: SPDXRef-firmware",
        "PackageVersion: 3.2.0",
        "PackageDownloadLocation: NOASSERTION",
        "FilesAnalyzed: true",
        "PackageVerificationCode: 0123456789abcdef0123456789abcdef01234567",
        "PackageLicenseConcluded: MIT",
        "PackageLicenseDeclared: MIT",
        "PackageLicenseInfoFromFiles: MIT",
        "PackageCopyrightText: NOASSERTION",
        "",
    ]
    for index in range(files):
        licence = LICENCES[index % len(LICENCES)]
        lines += [
            f"FileName: ./usr/lib/firmware/module-{index:05d}/component-{index:05d}.so",
            f"SPDXID: SPDXRef-File-{index}",
            f"FileChecksum: SHA1: {index:040x}",
            f"FileChecksum: SHA256: {index:064x}",
            f"LicenseConcluded: {licence}",
            f"LicenseInfoInFile: {licence.split()[0]}",
            "FileCopyrightText: <text>Copyright 2025 Example Medical Devices Inc.</text>",
            f"FileComment: <text>Part of the module {index} of the pump firmware.</text>",
            "",
            f"Relationship: SPDXRef-firmware CONTAINS SPDXRef-File-{index}",
            "",
        ]
    return "\n".join(lines) + "\n"


class SilentLog:
    """ply's grammar messages are not the benchmark's."""

    def _ignore(self, message: str, *arguments: object) -> None:
        return None

    debug = info = warning = error = critical = _ignore


SILENT = SilentLog()


def seconds(action: object) -> float:
    started = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - started


def main() -> None:
    text = build_document(FILES)
    content = text.encode()
    print(f"SPDX 2.3 tag-value, {FILES} files, {len(content) / 1e6:.1f} MB")

    document = parse_sbom(content, "bench.spdx")
    assert document.format == "SPDX", document.format
    ours = seconds(lambda: parse_sbom(content, "bench.spdx"))
    print(f"ours     parse_sbom (one licence index):               {ours:8.2f} s")

    sample = build_document(BASELINE_FILES)
    baseline_sample = seconds(lambda: Parser(write_tables=False, errorlog=SILENT).parse(sample))
    baseline = baseline_sample * FILES / BASELINE_FILES
    print(
        f"baseline spdx-tools Parser, {BASELINE_FILES} files: {baseline_sample:8.2f} s, "
        f"scaled to {FILES}: {baseline:8.2f} s"
    )
    print(f"ratio    baseline / ours:                              {baseline / ours:8.1f} x")


if __name__ == "__main__":
    main()
