"""Benchmark: reading a 5 000-component CycloneDX 1.6 JSON BOM.

Run as ``python benchmarks/bench_sbom.py``. It builds the BOM in memory,
then times, in the same run:

- ours: `medvigil.core.sbom.parse_sbom` (JSON decode, jsonschema-rs
  validation against the bundled 1.6 schema, reading into the model);
- baseline: cyclonedx-python-lib's `Bom.from_json`, and its own schema
  validator (Python jsonschema), each timed separately.

It prints figures and ratios and asserts nothing about time.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable

from cyclonedx.model.bom import Bom
from cyclonedx.schema import OutputFormat, SchemaVersion
from cyclonedx.validation import make_schemabased_validator

from medvigil.core.sbom import parse_sbom

COMPONENTS = 5_000
RUNS = 3
# The Python jsonschema validator took 51 s here in the tools study; one run is enough.
BASELINE_VALIDATOR_RUNS = 1


def build_bom(count: int) -> bytes:
    components = [
        {
            "type": "library",
            "bom-ref": f"pkg:npm/package-{index}@1.{index % 10}.0",
            "name": f"package-{index}",
            "version": f"1.{index % 10}.0",
            "purl": f"pkg:npm/package-{index}@1.{index % 10}.0",
            "supplier": {"name": f"Supplier {index % 50}"},
            "hashes": [{"alg": "SHA-256", "content": f"{index:064x}"}],
            "licenses": [{"license": {"id": "MIT"}}],
            "properties": [
                {"name": "medvigil:level-of-support", "value": "actively maintained"},
                {"name": "cdx:lifecycle:milestone:endOfSupport", "value": "2030-12-31"},
            ],
        }
        for index in range(count)
    ]
    dependencies = [
        {
            "ref": component["bom-ref"],
            "dependsOn": [components[(index + 1) % count]["bom-ref"]],
        }
        for index, component in enumerate(components)
    ]
    document = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
        "version": 1,
        "metadata": {
            "timestamp": "2025-01-01T00:00:00Z",
            "authors": [{"name": "Benchmark"}],
            "component": {"type": "firmware", "bom-ref": "device", "name": "infusion-pump"},
        },
        "components": components,
        "dependencies": dependencies,
    }
    return json.dumps(document).encode()


def timed(action: Callable[[], object], runs: int) -> float:
    """Median wall-clock seconds of `runs` calls."""
    durations = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        durations.append(time.perf_counter() - started)
    return statistics.median(durations)


def main() -> None:
    content = build_bom(COMPONENTS)
    text = content.decode()
    print(f"CycloneDX 1.6 JSON, {COMPONENTS} components, {len(content) / 1e6:.1f} MB")

    parse_sbom(content, "warm-up.json")  # compiles and caches the schema once
    document = parse_sbom(content, "bench.json")
    assert len(document.components) == COMPONENTS
    assert document.warnings == (), document.warnings[:3]
    ours = timed(lambda: parse_sbom(content, "bench.json"), RUNS)
    print(f"ours     parse_sbom (decode + jsonschema-rs + model): {ours:8.3f} s")

    from_json = timed(lambda: Bom.from_json(json.loads(text)), RUNS)
    print(f"baseline Bom.from_json (decode + model):              {from_json:8.3f} s")
    print(f"ratio    Bom.from_json / ours:                        {from_json / ours:8.1f} x")

    if "--skip-python-validator" in sys.argv:
        return
    validator = make_schemabased_validator(OutputFormat.JSON, SchemaVersion.V1_6)
    validation = timed(lambda: validator.validate_str(text), BASELINE_VALIDATOR_RUNS)
    print(f"baseline jsonschema validator (cyclonedx-python-lib): {validation:8.3f} s")
    total = from_json + validation
    print(f"baseline from_json + validator:                       {total:8.3f} s")
    print(f"ratio    baseline parse+validate / ours:              {total / ours:8.1f} x")


if __name__ == "__main__":
    main()
