"""Runs the official CSAF validator (tools/csaf-validator, npm) over documents.

The validator's module import takes several seconds, so callers pass every
document of a test module in one call.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

VALIDATOR = Path(__file__).resolve().parents[1] / "tools" / "csaf-validator"


def validate_csaf(documents: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Validate named CSAF documents; return each name's report (valid, errors, warnings)."""
    node = shutil.which("node")
    if node is None or not (VALIDATOR / "node_modules").is_dir():
        raise RuntimeError(
            "the CSAF validator is not installed: run `make pytest` "
            "(npm ci in tools/csaf-validator)"
        )
    with tempfile.TemporaryDirectory() as folder:
        paths = {}
        for name, document in documents.items():
            path = Path(folder) / f"{len(paths)}.json"
            path.write_text(json.dumps(document), encoding="utf-8")
            paths[str(path)] = name
        completed = subprocess.run(
            [node, str(VALIDATOR / "validate.mjs"), *paths],
            capture_output=True,
            text=True,
            cwd=VALIDATOR,
            timeout=180,
            check=False,
        )
    if completed.returncode not in (0, 1):
        raise RuntimeError(f"the CSAF validator failed: {completed.stderr.strip()}")
    reports = {}
    for line in completed.stdout.splitlines():
        report = json.loads(line)
        reports[paths[report["file"]]] = report
    return reports
