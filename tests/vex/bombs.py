"""VEX document bombs of each format (no Django: a child process imports this).

Each is under the 10 MB upload limit: nesting past the JSON reader's depth, a
number of a million digits, a NUL character, an array of three million empty
entries (9 MB that decode to 300 MB of Python objects), a gzip file (not
accepted: a VEX upload is JSON text) and a JSON value that is not an object.
"""

from __future__ import annotations

import gzip

HEADS = {
    "CycloneDX": b'{"bomFormat": "CycloneDX", "specVersion": "1.6", ',
    "OpenVEX": b'{"@context": "https://openvex.dev/ns/v0.2.0", "@id": "x", "author": "a", ',
    "CSAF": b'{"document": {"csaf_version": "2.0", "category": "csaf_vex"}, ',
}
ARRAYS = {"CycloneDX": b"vulnerabilities", "OpenVEX": b"statements", "CSAF": b"vulnerabilities"}
KINDS = ("deep nesting", "huge number", "NUL", "wide array")
WIDTH = 3_000_000
LABELS = [f"{name} {kind}" for name in HEADS for kind in KINDS] + ["gzip", "not an object"]
EXPECTED = {
    "deep nesting": "not valid JSON: maximum recursion depth exceeded",
    "huge number": "not valid JSON: Exceeds the limit (4300 digits)",
    "NUL": "contains a NUL character",
    "wide array": "required field is missing",
    "gzip": "not valid JSON",
    "not an object": "not a CycloneDX, OpenVEX or CSAF VEX document",
}


def expected(label: str) -> str:
    """The start of the refusal of the bomb `label`, after its file name."""
    return next(message for kind, message in EXPECTED.items() if label.endswith(kind))


def bomb(label: str) -> bytes:
    """The bomb named `label` (one of LABELS), built on demand."""
    if label == "gzip":
        return gzip.compress(HEADS["CycloneDX"] + b'"vulnerabilities": []}')
    if label == "not an object":
        return b"[1, 2]"
    name, kind = label.split(" ", 1)
    head, array = HEADS[name], ARRAYS[name]
    if kind == "deep nesting":
        return head + b'"x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    if kind == "huge number":
        return head + b'"version": ' + b"9" * 1_000_000 + b"}"
    if kind == "NUL":
        return head + b'"' + array + b'": [{"id": "a\\u0000"}]}'
    return head + b'"' + array + b'": [' + b"{}," * (WIDTH - 1) + b"{}]}"
