"""CSAF 2.0: read documents of any profile, write security advisories and VEX, and a
trusted provider's directory. One value model (`model`) for both directions.

Reading: `read_csaf(decoded, source=…)` / `read_csaf_json(bytes, source=…)` give a
checked `CsafDocument` (structure, then the mandatory tests that need no outside
data); a bad document raises `DocumentFormatError` (of `medvigil.core.documents`)
naming the file and JSON path.

Writing: `build_document` turns a `Document` into the JSON object; `document_json`
gives the bytes to publish and `document_filename` their file name.
"""

from medvigil.core.csaf.builder import build_document, document_filename, document_json
from medvigil.core.csaf.directory import (
    DirectoryEntry,
    changes_csv,
    hash_file,
    index_txt,
    provider_metadata,
    rolie_feed,
)
from medvigil.core.csaf.model import (
    Acknowledgment,
    AggregateSeverity,
    CsafBuildError,
    CsafDocument,
    CsafFlag,
    CsafProduct,
    CsafProductGroup,
    CsafProductStatus,
    CsafRelationship,
    CsafRemediation,
    CsafScore,
    CsafThreat,
    CsafVulnerability,
    Document,
    Flag,
    Note,
    ProductStatus,
    ProductVersion,
    Publisher,
    Reference,
    Remediation,
    Revision,
    Score,
    Threat,
    Tracking,
    Vulnerability,
)
from medvigil.core.csaf.products import cwe_name, is_version_range, known_cwe_ids
from medvigil.core.csaf.reader import read_csaf, read_csaf_json
from medvigil.core.csaf.vocabulary import (
    AFFECTED_STATUS_NAMES,
    FLAG_LABELS,
    PRODUCT_STATUS_NAMES,
    CsafProfile,
    FlagLabel,
    RemediationCategory,
)
from medvigil.core.csaf.vulnerabilities import cvss_v3_object

__all__ = [
    "AFFECTED_STATUS_NAMES",
    "FLAG_LABELS",
    "PRODUCT_STATUS_NAMES",
    "Acknowledgment",
    "AggregateSeverity",
    "CsafBuildError",
    "CsafDocument",
    "CsafFlag",
    "CsafProduct",
    "CsafProductGroup",
    "CsafProductStatus",
    "CsafProfile",
    "CsafRelationship",
    "CsafRemediation",
    "CsafScore",
    "CsafThreat",
    "CsafVulnerability",
    "DirectoryEntry",
    "Document",
    "Flag",
    "FlagLabel",
    "Note",
    "ProductStatus",
    "ProductVersion",
    "Publisher",
    "Reference",
    "Remediation",
    "RemediationCategory",
    "Revision",
    "Score",
    "Threat",
    "Tracking",
    "Vulnerability",
    "build_document",
    "changes_csv",
    "cvss_v3_object",
    "cwe_name",
    "document_filename",
    "document_json",
    "hash_file",
    "index_txt",
    "is_version_range",
    "known_cwe_ids",
    "provider_metadata",
    "read_csaf",
    "read_csaf_json",
    "rolie_feed",
]
