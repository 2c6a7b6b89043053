"""Threat-model YAML bombs, and the start of the refusal each one gets (no Django: a child
process imports this)."""

from __future__ import annotations

HEAD = "format: medvigil-threat-model/1\nname: Pump\n"
LAUGHS = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]'] + [
    f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)
]
BOMBS = {
    "one text aliased 100,000 times": HEAD
    + "description: &s "
    + "x" * 400_000
    + "\nassumptions: ["
    + ",".join(["*s"] * 100_000)
    + "]\n",
    "billion laughs": HEAD + "\n".join(LAUGHS) + "\nassumptions: *a9\n",
    "deep nesting": HEAD + "assumptions: " + "[" * 100_000 + "]" * 100_000 + "\n",
    "huge number": HEAD + "elements:\n  - {id: pump, kind: process, name: " + "9" * 100_000 + "}\n",
    "NUL": HEAD.replace("name: Pump", 'name: "Pu\\0mp"'),
}
EXPECTED = {
    "one text aliased 100,000 times": "not valid YAML: YAML anchors and aliases are not accepted",
    "billion laughs": "not valid YAML: YAML anchors and aliases are not accepted",
    "deep nesting": "not valid YAML: maximum recursion depth exceeded",
    "huge number": "not valid YAML: Exceeds the limit (4300 digits)",
    "NUL": "contains a NUL character, which cannot be stored",
}
