"""Vulnerability advisories: one model, and readers for the public formats.

Public surface:

- the model every reader produces: `Advisory`, `AffectedPackage`, `AffectedRange`,
  `RangeEvent`, `CpeConfiguration`, `CpeMatch`, `Severity`, `Reference`,
  `VersionStatus`, `VersionChange`; a bad record raises `AdvisoryFormatError`
- readers: OSV (`read_osv`, `read_osv_json`, `read_osv_yaml`; `load_osv_yaml` decodes
  YAML and refuses its aliases), NVD API 2.0
  (`read_nvd`, `read_nvd_json`) and legacy feeds (`read_nvd_feed`), CVE JSON 5
  with CISA Vulnrichment (`read_cve_record`, `read_cve_record_json`), KEV, EPSS
- `csaf_advisories(document)`: the advisories of a CSAF document read by
  `medvigil.core.csaf` (loaded on first use, so scanning does not pay for CSAF)
"""

from typing import TYPE_CHECKING, Any

from medvigil.core.advisories.cve5 import CveRecord, read_cve_record, read_cve_record_json
from medvigil.core.advisories.epss import EpssHeader, EpssScore, read_epss, stream_epss
from medvigil.core.advisories.kev import (
    KevCatalog,
    KevEntry,
    read_kev_catalog,
    read_kev_csv,
    read_kev_json,
)
from medvigil.core.advisories.model import (
    Advisory,
    AdvisoryFormatError,
    AffectedPackage,
    AffectedRange,
    CpeConfiguration,
    CpeMatch,
    RangeEvent,
    Reference,
    Severity,
    VersionChange,
    VersionStatus,
)
from medvigil.core.advisories.nvd import read_nvd, read_nvd_json
from medvigil.core.advisories.nvd_legacy import read_nvd_feed, read_nvd_feed_json
from medvigil.core.advisories.osv import load_osv_yaml, read_osv, read_osv_json, read_osv_yaml
from medvigil.core.advisories.vulnrichment import CisaEnrichment

if TYPE_CHECKING:
    from medvigil.core.advisories.csaf import csaf_advisories


def __getattr__(name: str) -> Any:
    if name == "csaf_advisories":
        # CSAF pulls in the whole CSAF package (writer included): load it only when asked.
        from medvigil.core.advisories.csaf import csaf_advisories

        return csaf_advisories
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Advisory",
    "AdvisoryFormatError",
    "AffectedPackage",
    "AffectedRange",
    "CisaEnrichment",
    "CpeConfiguration",
    "CpeMatch",
    "CveRecord",
    "EpssHeader",
    "EpssScore",
    "KevCatalog",
    "KevEntry",
    "RangeEvent",
    "Reference",
    "Severity",
    "VersionChange",
    "VersionStatus",
    "csaf_advisories",
    "load_osv_yaml",
    "read_cve_record",
    "read_cve_record_json",
    "read_epss",
    "read_kev_catalog",
    "read_kev_csv",
    "read_kev_json",
    "read_nvd",
    "read_nvd_feed",
    "read_nvd_feed_json",
    "read_nvd_json",
    "read_osv",
    "read_osv_json",
    "read_osv_yaml",
    "stream_epss",
]
