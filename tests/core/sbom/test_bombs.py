"""SBOM bombs and limits: refused as `SbomFormatError` within a memory and a time bound."""

from __future__ import annotations

from tests.bounded import run_bounded

SETUP = """
from medvigil.core.sbom import SbomFormatError, parse_sbom

def refused(content, name):
    try:
        parse_sbom(content, name)
    except SbomFormatError as error:
        print("refused:", str(error).splitlines()[0])
    else:
        print("read")

lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
alias_bomb = ("spdxVersion: SPDX-2.3\\n" + "\\n".join(lines)).encode()
deep = b'{"bomFormat": "CycloneDX", "specVersion": "1.6", "x": ' + b"[" * 200_000 + b"]" * 200_000
deep += b"}"
huge = b'{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": ' + b"9" * 1_000_000 + b"}"
nul = b'{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"name": "a\\\\u0000"}]}'
"""


def test_alias_bomb_deep_nesting_huge_numbers_and_nul_are_refused() -> None:
    output = run_bounded(
        SETUP,
        "for content, name in ((alias_bomb, 'a.yaml'), (deep, 'd.json'), (huge, 'h.json'),"
        " (nul, 'n.json')):\n    refused(content, name)",
    )
    alias, deep, huge, nul = output.splitlines()
    assert alias.startswith("refused: a.yaml: not valid YAML: YAML aliases are not accepted")
    assert deep == "refused: d.json: JSON nested too deeply"
    assert huge.startswith("refused: h.json: not valid JSON: Exceeds the limit")
    assert nul == (
        "refused: n.json: $.components[0].name contains a NUL character, which cannot be stored"
    )
