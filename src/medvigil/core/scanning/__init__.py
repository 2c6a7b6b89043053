"""Offline scanning: feeds from files, an SBOM, findings grouped by vulnerability.

Public surface:

- `load_feeds(paths, progress=None, limits=ArchiveLimits())` → `FeedData` (raises `FeedError`
  for a bad named path)
- `zip_entries`, `gunzip`: archives and gzip expanded within `ArchiveLimits`, else
  `ArchiveLimitError`
- `write_index(feed_data)` → bytes; `read_index(bytes, wanted=None)` → `FeedData`
  (raises `IndexFileError`); `component_keys` gives the `wanted` keys of an SBOM
- `scan(document, index, groups, kev, epss)` → `ScanResult` of `Finding`s
- `json_report`, `sarif_report`, `cyclonedx_vex`: the output documents

See docs/scanner.md.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from medvigil.core.scanning.archives import (
    ArchiveLimitError,
    ArchiveLimits,
    gunzip,
    zip_entries,
)
from medvigil.core.scanning.feeds import FeedData, FeedError, FeedProblem, load_feeds
from medvigil.core.scanning.index_file import IndexFileError, read_index, write_index
from medvigil.core.scanning.scan import Finding, FindingAdvisory, ScanResult, at_or_above, scan
from medvigil.core.scanning.severity import SeveritySummary, best_severity

if TYPE_CHECKING:
    from medvigil.core.scanning import reports
    from medvigil.core.scanning.reports import cyclonedx_vex, json_report, sarif_report

_REPORTS = frozenset({"cyclonedx_vex", "json_report", "sarif_report"})


def __getattr__(name: str) -> Any:
    # The report writers load on first use: a cold `medvigil scan` pays only for its format.
    if name in _REPORTS or name == "reports":
        # import_module, not `from … import reports`: that would ask this __getattr__ again.
        reports = import_module("medvigil.core.scanning.reports")
        return reports if name == "reports" else getattr(reports, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ArchiveLimitError",
    "ArchiveLimits",
    "FeedData",
    "FeedError",
    "FeedProblem",
    "Finding",
    "FindingAdvisory",
    "IndexFileError",
    "ScanResult",
    "SeveritySummary",
    "at_or_above",
    "best_severity",
    "cyclonedx_vex",
    "gunzip",
    "json_report",
    "load_feeds",
    "read_index",
    "reports",
    "sarif_report",
    "scan",
    "write_index",
    "zip_entries",
]
