"""CycloneDX schema validation with the official schemas bundled in cyclonedx-python-lib.

JSON is checked with jsonschema-rs, not the Python jsonschema validator,
whose ``uniqueItems`` check is quadratic (51 s against 4 ms for 5 000
components). XML is checked against the bundled XSD through
cyclonedx-python-lib's validator, whose lxml parser loads no DTD, resolves no
entity and reaches no network. Findings are returned as warnings: the
caller decides what they mean.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from itertools import islice
from typing import Any

import jsonschema_rs
from cyclonedx.schema import OutputFormat, SchemaVersion
from cyclonedx.validation import make_schemabased_validator

JSON_SPEC_VERSIONS = ("1.2", "1.3", "1.4", "1.5", "1.6", "1.7")
XML_SPEC_VERSIONS = ("1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7")

# Schema errors listed per document; the rest are counted.
MAX_LISTED_SCHEMA_ERRORS = 20

# The bom schemas refer to these by URL relative to their own $id.
_REFERENCED_SCHEMAS = (
    "spdx.SNAPSHOT.schema.json",
    "jsf-0.82.SNAPSHOT.schema.json",
    "cryptography-defs.SNAPSHOT.schema.json",
)
_SCHEMA_BASE = "http://cyclonedx.org/schema/"


def _bundled_schema(name: str) -> Any:
    """A schema file shipped inside cyclonedx-python-lib (package data, not user files)."""
    text = resources.files("cyclonedx.schema._res").joinpath(name).read_text(encoding="utf-8")
    return json.loads(text)


@cache
def spdx_license_ids() -> frozenset[str]:
    """The SPDX licence and exception identifiers CycloneDX accepts as `license.id`."""
    return frozenset(_bundled_schema("spdx.SNAPSHOT.schema.json")["enum"])


@cache
def _json_validator(spec_version: str) -> Any:
    entries = []
    for name in _REFERENCED_SCHEMAS:
        schema = _bundled_schema(name)
        entries.append((_SCHEMA_BASE + name, schema))
        # Older bom schemas name them without ".SNAPSHOT".
        entries.append((_SCHEMA_BASE + name.replace(".SNAPSHOT", ""), schema))
    registry = jsonschema_rs.Registry(entries)
    return jsonschema_rs.validator_for(
        _bundled_schema(f"bom-{spec_version}.SNAPSHOT.schema.json"), registry=registry
    )


def json_schema_warnings(document: object, spec_version: str) -> tuple[str, ...]:
    """Schema errors of a decoded CycloneDX JSON document, as warnings."""
    validator = _json_validator(spec_version)
    errors = list(islice(validator.iter_errors(document), MAX_LISTED_SCHEMA_ERRORS + 1))
    warnings = [
        f"schema {spec_version}: {error.message} at /"
        + "/".join(str(part) for part in error.instance_path)
        for error in errors[:MAX_LISTED_SCHEMA_ERRORS]
    ]
    if len(errors) > MAX_LISTED_SCHEMA_ERRORS:
        warnings.append(f"schema {spec_version}: more errors not listed")
    return tuple(warnings)


def xml_schema_warnings(text: str, spec_version: str) -> tuple[str, ...]:
    """XSD errors of a CycloneDX XML document, as warnings.

    `text` has already been parsed by defusedxml, so it holds no DTD.
    """
    validator = make_schemabased_validator(
        OutputFormat.XML, SchemaVersion.from_version(spec_version)
    )
    try:
        errors = validator.validate_str(text, all_errors=True)
    except Exception as error:
        return (f"schema {spec_version}: XML schema validation could not run: {error}",)
    listed = list(islice(errors or (), MAX_LISTED_SCHEMA_ERRORS + 1))
    warnings = [f"schema {spec_version}: {error}" for error in listed[:MAX_LISTED_SCHEMA_ERRORS]]
    if len(listed) > MAX_LISTED_SCHEMA_ERRORS:
        warnings.append(f"schema {spec_version}: more errors not listed")
    return tuple(warnings)
