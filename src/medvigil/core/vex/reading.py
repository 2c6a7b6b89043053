"""Read a VEX document of any supported format, recognised from its content."""

from __future__ import annotations

import json

from medvigil.core.text import not_utf8, nul_path
from medvigil.core.vex.csaf_reader import read_csaf_vex
from medvigil.core.vex.cyclonedx_reader import read_cyclonedx_vex
from medvigil.core.vex.model import VexDocument, VexFormat, VexFormatError
from medvigil.core.vex.openvex_reader import read_openvex


def detect_format(document: object, *, source: str) -> VexFormat:
    """Which VEX format a decoded JSON document is written in."""
    if isinstance(document, dict):
        if document.get("bomFormat") == "CycloneDX":
            return "cyclonedx"
        context = document.get("@context")
        if isinstance(context, str) and "openvex" in context:
            return "openvex"
        head = document.get("document")
        if isinstance(head, dict) and "csaf_version" in head:
            return "csaf"
    raise VexFormatError(
        "not a CycloneDX, OpenVEX or CSAF VEX document (no bomFormat, "
        "OpenVEX @context or CSAF document.csaf_version)",
        source=source,
    )


def decode(data: bytes | str, *, source: str) -> object:
    """Decode JSON text; any decoding failure is a `VexFormatError`."""
    try:
        document = json.loads(data)
    except UnicodeDecodeError as error:
        raise VexFormatError(f"not valid JSON: {not_utf8(error)}", source=source) from None
    except (ValueError, RecursionError) as error:
        raise VexFormatError(f"not valid JSON: {error}", source=source) from None
    found = nul_path(document)
    if found is not None:
        raise VexFormatError(f"{found} contains a NUL character", source=source)
    return document


def read_vex(data: bytes | str, *, source: str) -> VexDocument:
    """The statements of a CycloneDX VEX, OpenVEX or CSAF document's bytes."""
    document = decode(data, source=source)
    kind = detect_format(document, source=source)
    if kind == "cyclonedx":
        return read_cyclonedx_vex(document, source=source)
    if kind == "openvex":
        return read_openvex(document, source=source)
    return read_csaf_vex(document, source=source)
