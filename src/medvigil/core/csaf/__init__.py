"""Write CSAF 2.0 documents (security advisories and VEX) and a trusted provider's directory.

`build_document` turns a `Document` into the JSON object; `document_json`
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
from medvigil.core.csaf.vulnerabilities import cvss_v3_object

__all__ = [
    "Acknowledgment",
    "AggregateSeverity",
    "CsafBuildError",
    "DirectoryEntry",
    "Document",
    "Flag",
    "Note",
    "ProductStatus",
    "ProductVersion",
    "Publisher",
    "Reference",
    "Remediation",
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
    "rolie_feed",
]
