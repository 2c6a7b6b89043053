"""Decoded JSON/YAML documents read field by field, naming the path of a wrong field.

Every reader in core (advisories, CSAF, VEX) walks its document through a
`Node`, so a bad field is reported as ``file: $.affected[2].ranges[0].type: ...``
with a `DocumentFormatError` instead of a KeyError.
"""

from medvigil.core.documents.field_access import (
    CVE_ID,
    CWE_ID,
    DocumentFormatError,
    Node,
    decode_json,
    parse_timestamp,
    versionless_purl,
)

__all__ = [
    "CVE_ID",
    "CWE_ID",
    "DocumentFormatError",
    "Node",
    "decode_json",
    "parse_timestamp",
    "versionless_purl",
]
