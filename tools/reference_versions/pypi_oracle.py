"""packaging (PEP 440) as an oracle: run with any Python that has `packaging`.

Reads {"pairs": [[a, b]...], "valid": [v...], "ranges": [[specifier, version]...]},
prints {"pairs": [cmp...], "valid": [bool...], "ranges": [[prereleases=True, default]...]}.
"""

import json
import sys

import packaging
from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion, Version


def compare(a: str, b: str) -> int:
    left, right = Version(a), Version(b)
    return (left > right) - (left < right)


def valid(text: str) -> bool:
    try:
        Version(text)
    except InvalidVersion:
        return False
    return True


data = json.load(sys.stdin)
json.dump(
    {
        "pairs": [compare(a, b) for a, b in data["pairs"]],
        "valid": [valid(text) for text in data["valid"]],
        "ranges": [
            [
                SpecifierSet(spec).contains(version, prereleases=True),
                SpecifierSet(spec).contains(version, prereleases=None),
            ]
            for spec, version in data["ranges"]
        ],
        "version": packaging.__version__,
    },
    sys.stdout,
)
