"""VEX: read supplier statements and write a product version's own.

Formats: CycloneDX 1.4 to 1.7 VEX (JSON), OpenVEX (0.2.0 and older) and CSAF
2.0 in; CycloneDX 1.6, OpenVEX 0.2.0 and CSAF 2.0 ``csaf_vex`` out. Pure:
the caller passes time, identifiers and bytes.
"""

from medvigil.core.vex.csaf_writer import write_csaf_vex
from medvigil.core.vex.cyclonedx_reader import read_cyclonedx_vex
from medvigil.core.vex.cyclonedx_writer import bom_envelope, rating, write_cyclonedx_vex
from medvigil.core.vex.model import (
    JUSTIFICATIONS,
    STATUSES,
    VexDocument,
    VexExport,
    VexFormat,
    VexFormatError,
    VexProduct,
    VexScore,
    VexStatement,
    VexStatus,
)
from medvigil.core.vex.openvex_reader import read_openvex
from medvigil.core.vex.openvex_writer import write_openvex
from medvigil.core.vex.reading import detect_format, read_vex
from medvigil.core.vex.targets import ComponentIdentity, names_component

__all__ = [
    "JUSTIFICATIONS",
    "STATUSES",
    "ComponentIdentity",
    "VexDocument",
    "VexExport",
    "VexFormat",
    "VexFormatError",
    "VexProduct",
    "VexScore",
    "VexStatement",
    "VexStatus",
    "bom_envelope",
    "detect_format",
    "names_component",
    "rating",
    "read_cyclonedx_vex",
    "read_openvex",
    "read_vex",
    "write_csaf_vex",
    "write_cyclonedx_vex",
    "write_openvex",
]
