"""Write CVE JSON 5 records (PUBLISHED, CNA container) for submission to the CVE program.

`build_cve_record` returns the whole record; its ``containers.cna`` member is
what a CNA sends to CVE Services. Versions reuse the reader's `VersionStatus`
so that what we write reads back unchanged through `core.advisories.cve5`.
"""

from medvigil.core.cve5_writer.record import (
    CveCredit,
    CveProduct,
    CveRecordInput,
    CveReference,
    CveWriteError,
    build_cve_record,
    cve_record_json,
)

__all__ = [
    "CveCredit",
    "CveProduct",
    "CveRecordInput",
    "CveReference",
    "CveWriteError",
    "build_cve_record",
    "cve_record_json",
]
