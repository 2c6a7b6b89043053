"""Version matching: is this component, at this version, affected by this advisory?

Public surface:

- `group_aliases(advisories)` → `AliasGroups` (`group_of(id)`, `members(group_id)`)
- `AdvisoryIndex.build(advisories)` then `index.match(purl, cpe, version)` → `tuple[Match, ...]`
- `is_affected(affected_package, version)` → `Verdict` (the OSV algorithm, one package)
- `parse_version(ordering, text)` / `compare_versions(ordering, a, b)` per ecosystem ordering
- `product_configurations(advisory)`: CVE 5 products with CPEs as CPE configurations
- `parse_ecosystem("Debian:12")`, `identity_from_purl(purl)`, `parse_cpe(text)`
- `npm_range_contains`, `pypi_specifier_contains` for native range strings

See docs/matching.md for the semantics and their deliberate choices.
"""

from medvigil.core.matching.aliases import AliasGroups, group_aliases, groups_of
from medvigil.core.matching.cpe import CpeName, InvalidCpe, parse_cpe
from medvigil.core.matching.ecosystems import ECOSYSTEMS, Ecosystem, normalise_name, parse_ecosystem
from medvigil.core.matching.engine import DISTRIBUTION_ORDERINGS, AdvisoryIndex
from medvigil.core.matching.keys import Key, advisory_keys, component_keys
from medvigil.core.matching.product_cpes import product_configurations
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
    "DISTRIBUTION_ORDERINGS",
    "ECOSYSTEMS",
    "AdvisoryIndex",
    "AliasGroups",
    "Confidence",
    "CpeName",
    "Ecosystem",
    "InvalidCpe",
    "InvalidPurl",
    "Key",
    "Match",
    "PackageIdentity",
    "Rule",
    "UnorderableVersion",
    "Verdict",
    "Version",
    "advisory_keys",
    "compare_versions",
    "component_keys",
    "group_aliases",
    "groups_of",
    "identity_from_purl",
    "is_affected",
    "normalise_name",
    "parse_cpe",
    "parse_ecosystem",
    "parse_version",
    "product_configurations",
]
