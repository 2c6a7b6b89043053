"""Run test code in a child Python with a memory and a time bound: a bomb fails by passing them.

The child measures its address space after its imports and allows `memory_bytes`
more (RLIMIT_AS): an expansion past it raises MemoryError or kills the child,
and a child still running after `timeout_seconds` is killed. Either way the
test sees a failed run, never a wall-clock figure.

`run_measured` also reports the child's peak resident memory, measured inside
the child (its own and its children's), so neither the test worker nor its
earlier children count.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "src"
MEGABYTE = 1024 * 1024

_PRELUDE = """
import resource

def _limit(budget):
    # The address space already mapped (imports, thread stacks) plus the budget under test.
    with open("/proc/self/status") as status:
        size = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))
    resource.setrlimit(resource.RLIMIT_AS, (size + budget, size + budget))
"""


def run_bounded(
    setup: str, bounded: str, *, memory_bytes: int = 512 * MEGABYTE, timeout_seconds: int = 120
) -> str:
    """Run `setup` freely, then `bounded` under the limits; its standard output.

    Fails the test when the child fails (MemoryError, a crash) or passes the time.
    """
    code = "\n".join(
        [
            _PRELUDE,
            textwrap.dedent(setup),
            f"_limit({memory_bytes})",
            textwrap.dedent(bounded),
        ]
    )
    environment = {**os.environ, "PYTHONPATH": f"{SOURCE}{os.pathsep}{Path.cwd()}"}
    try:
        completed = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            timeout=timeout_seconds,
            env=environment,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise AssertionError(f"the child ran past {timeout_seconds} s") from None
    assert completed.returncode == 0, (
        f"the child failed ({completed.returncode}) within {memory_bytes // MEGABYTE} MB: "
        f"{completed.stderr[-2000:]}"
    )
    return completed.stdout


# The peak of this process image: VmHWM starts again at exec, whereas getrusage's ru_maxrss
# keeps the resident size of the forked test worker the child was started from.
_PEAK = """
import resource as _resource
with open("/proc/self/status") as _status:
    _own = next(int(line.split()[1]) for line in _status if line.startswith("VmHWM:"))
_helpers = _resource.getrusage(_resource.RUSAGE_CHILDREN).ru_maxrss
print("peak-kilobytes", max(_own, _helpers))
"""


def run_measured(
    setup: str, bounded: str, *, memory_bytes: int = 512 * MEGABYTE, timeout_seconds: int = 120
) -> tuple[list[str], int]:
    """`run_bounded`, then (the lines the child printed, its peak resident memory in bytes)."""
    output = run_bounded(
        setup,
        textwrap.dedent(bounded) + _PEAK,
        memory_bytes=memory_bytes,
        timeout_seconds=timeout_seconds,
    )
    *lines, peak = output.strip().splitlines()
    label, kilobytes = peak.split()
    assert label == "peak-kilobytes", output
    return lines, int(kilobytes) * 1024
