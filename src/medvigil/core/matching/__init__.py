"""Version matching: is this component, at this version, affected by this advisory?

Public surface:

- `group_aliases(advisories)` → `AliasGroups` (`group_of(id)`, `members(group_id)`)
- `AdvisoryIndex.build(advisories)` then `index.match(purl, cpe, version)` → `tuple[Match, ...]`
- `is_affected(affected_package, version)` → `Verdict` (the OSV algorithm, one package)
- `parse_version(ordering, text)` / `compare_versions(ordering, a, b)` per ecosystem ordering
- `parse_ecosystem("Debian:12")`, `identity_from_purl(purl)`, `parse_cpe(text)`
- `npm_range_contains`, `pypi_specifier_contains` for native range strings

See docs/matching.md for the semantics and their deliberate choices.
"""

from medvigil.core.matching.aliases import AliasGroups, group_aliases
from medvigil.core.matching.cpe import CpeName, InvalidCpe, parse_cpe
from medvigil.core.matching.ecosystems import ECOSYSTEMS, Ecosystem, parse_ecosystem
from medvigil.core.matching.engine import AdvisoryIndex
from medvigil.core.matching.purl_match import InvalidPurl, PackageIdentity, identity_from_purl
from medvigil.core.matching.ranges import is_affected
from medvigil.core.matching.result import Confidence, Match, Rule, Verdict
from medvigil.core.matching.versions import (
    UnorderableVersion,
    Version,
    compare_versions,
    parse_version,
)

__all__ = [
    "ECOSYSTEMS",
    "AdvisoryIndex",
    "AliasGroups",
    "Confidence",
    "CpeName",
    "Ecosystem",
    "InvalidCpe",
    "InvalidPurl",
    "Match",
    "PackageIdentity",
    "Rule",
    "UnorderableVersion",
    "Verdict",
    "Version",
    "compare_versions",
    "group_aliases",
    "identity_from_purl",
    "is_affected",
    "parse_cpe",
    "parse_ecosystem",
    "parse_version",
]
