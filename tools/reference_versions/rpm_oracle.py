"""rpm's own comparison as an oracle (Debian's python3-rpm: run with /usr/bin/python3).

Reads a JSON list of [a, b] pairs of "[epoch:]version[-release]" on stdin,
prints the JSON list of rpm.labelCompare results.
"""

import json
import sys

import rpm  # type: ignore[import-not-found]


def split(text: str) -> tuple[str, str, str]:
    epoch, _, rest = text.rpartition(":")
    version, _, release = rest.partition("-")
    return (epoch or "0", version, release)


pairs = json.load(sys.stdin)
json.dump([rpm.labelCompare(split(a), split(b)) for a, b in pairs], sys.stdout)
