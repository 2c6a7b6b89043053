"""Coverage compared with pytm 1.3.1 on pytm's own sample model.

pytm runs on its sample (tests/input.json of OWASP/pytm, in ../shared/data);
medvigil runs on the same architecture translated to its YAML
(data/pytm-sample.yaml). pytm's threats carry no STRIDE category, so
`PYTM_STRIDE` gives each one that fires on the sample its category, read from
the threat's description (CAPEC meaning). A pytm threat without an entry fails
the test, so a new pytm finding is never silently ignored.

The claim checked: for every element and flow, every STRIDE category pytm
finds there, medvigil finds there too.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from medvigil.core.threats import generate, read_model

pytm = pytest.importorskip("pytm", reason="pytm==1.3.1 is a dev dependency")

# The STRIDE letters.
S, T, R, I, D, E = (  # noqa: E741
    "spoofing",
    "tampering",
    "repudiation",
    "information_disclosure",
    "denial_of_service",
    "elevation_of_privilege",
)
PYTM_STRIDE = {
    "AA01": S,
    "AA02": S,
    "AA03": S,
    "AA04": S,
    "CR03": S,
    "AC05": S,
    "AC11": S,
    "AC16": S,
    "AC17": S,
    "AC08": T,
    "CR06": T,
    "CR08": T,
    "DE02": T,
    "DS04": T,
    "SC02": T,
    "SC03": T,
    "SC04": T,
    "SC05": T,
    "INP03": T,
    "INP05": T,
    "INP08": T,
    "INP09": T,
    "INP10": T,
    "INP11": T,
    "INP14": T,
    "INP16": T,
    "INP17": T,
    "INP21": T,
    "INP28": T,
    "INP29": T,
    "INP36": T,
    "INP37": T,
    "DE04": R,  # audit log manipulation
    "CR05": I,
    "DE01": I,
    "DE03": I,
    "DR01": I,
    "DS01": I,
    "DS03": I,
    "DS06": I,
    "HA01": I,
    "HA03": I,
    "INP18": I,
    "DO01": D,
    "DO02": D,
    "INP19": D,
    "INP22": D,
    "INP34": D,
    "AC01": E,
    "AC06": E,
    "AC07": E,
    "AC09": E,
}
SAMPLE = Path(__file__).parent / "data" / "pytm-sample.yaml"


def pytm_findings(shared_data: Path) -> dict[str, set[str]]:
    """{element or flow name: pytm threat ids} from pytm 1.3.1 on its sample model."""
    source = json.loads((shared_data / "threatmodel/pytm/tests/input.json").read_text())
    pytm.TM.reset()
    model = pytm.TM(source["name"], description=source["description"], isOrdered=True)
    boundaries = {item["name"]: pytm.Boundary(item["name"]) for item in source["boundaries"]}
    data = {
        item["name"]: pytm.Data(
            item["name"],
            classification=pytm.Classification[item["classification"]],
            credentialsLife=pytm.Lifetime[item["lifetime"]],
        )
        for item in source["data"]
    }
    elements = {}
    for item in source["elements"]:
        element = getattr(pytm, item["__class__"])(item["name"])
        if "inBoundary" in item:
            element.inBoundary = boundaries[item["inBoundary"]]
        elements[item["name"]] = element
    for item in source["flows"]:
        flow = pytm.Dataflow(elements[item["source"]], elements[item["sink"]], item["name"])
        flow.data = [data[name] for name in item.get("data", [])]
    model.resolve()
    found: dict[str, set[str]] = defaultdict(set)
    for finding in model.findings:
        found[finding.element.name].add(finding.threat_id)
    return found


def medvigil_categories() -> dict[str, set[str]]:
    model = read_model(SAMPLE.read_text())
    names = {record.id: record.name for record in (*model.elements, *model.flows)}
    found: dict[str, set[str]] = defaultdict(set)
    for threat in generate(model):
        for target in threat.flows or threat.targets:
            found[names[target]].add(threat.stride)
    return found


def test_pytm_is_the_pinned_version() -> None:
    from importlib.metadata import version

    assert version("pytm") == "1.3.1"


def test_medvigil_finds_every_stride_category_pytm_finds_per_element(shared_data: Path) -> None:
    findings = pytm_findings(shared_data)
    unmapped = sorted({sid for sids in findings.values() for sid in sids} - set(PYTM_STRIDE))
    assert unmapped == [], "pytm threats without a STRIDE category in PYTM_STRIDE"
    ours = medvigil_categories()
    expected = {name: {PYTM_STRIDE[sid] for sid in sids} for name, sids in findings.items()}
    missing = {name: sorted(cats - ours.get(name, set())) for name, cats in expected.items()}
    assert {name: cats for name, cats in missing.items() if cats} == {}
    # What pytm 1.3.1 finds on its sample, so a change in either tool shows here.
    assert expected == {
        "Web Server": {S, T, I, D, E},
        "SQL Database": {R, I, D, E},
        "Request": {S, T, I},
        "Insert": {S, T, I},
        "Select": {S, T, I},
        "Response": {S, T, I},
    }
    assert sum(len(sids) for sids in findings.values()) == 70
