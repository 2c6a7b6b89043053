"""NVD configurations against one component: cpeMatch version bounds and AND/OR nodes.

A component matches a configuration when it matches a ``vulnerable: true``
criterion. Criteria with ``vulnerable: false`` name the platform the product
runs on (``log4j`` *running on* ``windows``): a component matching only those
is never reported, and since one component cannot show its platform, platform
nodes are assumed present and named in the explanation instead.

A criterion with version ANY and no bounds names every version of the
product: it is met, but only as a candidate for review (`every_version`),
since NVD writes it both for "all versions" and for "versions not analysed".
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from medvigil.core.advisories import CpeConfiguration, CpeMatch
from medvigil.core.matching.cpe import (
    ANY,
    NOT_APPLICABLE,
    CpeName,
    InvalidCpe,
    is_concrete_identity,
    is_superset,
    parse_cpe,
    unescape,
)
from medvigil.core.matching.versions import (
    UnorderableVersion,
    Version,
    parse_event_version,
    parse_version,
)


@dataclass(frozen=True, slots=True)
class ConfigurationMatch:
    """Which criterion matched, and which platform criteria were assumed present."""

    criterion: CpeMatch
    assumed_platforms: tuple[str, ...]
    every_version: bool = False


def names_every_version(criterion: CpeMatch) -> bool:
    """Version ANY and no version bounds: NVD's "every version" (or "not analysed")."""
    try:
        criteria = parse_cpe(criterion.criteria)
    except InvalidCpe:
        return False
    bounds = (
        criterion.version_start_including,
        criterion.version_start_excluding,
        criterion.version_end_including,
        criterion.version_end_excluding,
    )
    return criteria.version == ANY and not any(bounds)


def criterion_matches(
    criterion: CpeMatch, component: CpeName, version: Version | None, ordering: str
) -> bool:
    """Whether the component (with its version placed in `ordering`) is inside `criterion`."""
    try:
        criteria = parse_cpe(criterion.criteria)
    except InvalidCpe:
        return False
    if not is_concrete_identity(criteria):
        return False  # product "*" or vendor "*": the classic false positive
    if component.part == ANY:
        # Yocto writes part "*" (cpe:2.3:*:openssl:openssl:…): vendor and product decide.
        component = replace(component, part=criteria.part)
    if not is_superset(criteria, component, skip_version=True):
        return False
    bounds = (
        criterion.version_start_including,
        criterion.version_start_excluding,
        criterion.version_end_including,
        criterion.version_end_excluding,
    )
    if criteria.version in (ANY,) and not any(bounds):
        return True  # NVD's "every version"
    if version is None:
        return False  # bounds or a fixed version, but nothing to compare them with
    if criteria.version == NOT_APPLICABLE:
        return False
    if criteria.version != ANY:
        try:
            if parse_version(ordering, unescape(criteria.version)) != version:
                return False
        except UnorderableVersion:
            if unescape(criteria.version) != version.text.lower():
                return False
    return _within_bounds(version, ordering, bounds)


def _within_bounds(
    version: Version, ordering: str, bounds: tuple[str | None, str | None, str | None, str | None]
) -> bool:
    # Unparseable bounds sit above every version, as in the OSV algorithm: an
    # unreadable end bound never clears a version, an unreadable start admits none.
    start_including, start_excluding, end_including, end_excluding = (
        parse_event_version(ordering, bound) if bound else None for bound in bounds
    )
    if start_including is not None and version < start_including:
        return False
    if start_excluding is not None and version <= start_excluding:
        return False
    if end_including is not None and not end_including.is_unparseable and version > end_including:
        return False
    return not (
        end_excluding is not None and not end_excluding.is_unparseable and version >= end_excluding
    )


def match_configuration(
    configuration: CpeConfiguration, component: CpeName, version: Version | None, ordering: str
) -> ConfigurationMatch | None:
    """The first vulnerable criterion the component meets, if the configuration can hold."""
    found: CpeMatch | None = None
    assumed: list[str] = []
    node_results: list[bool] = []
    for operator, negate, matches in configuration.nodes:
        vulnerable = [match for match in matches if match.vulnerable]
        platforms = [match for match in matches if not match.vulnerable]
        hits = [
            match for match in vulnerable if criterion_matches(match, component, version, ordering)
        ]
        # A bounded criterion decides before one naming every version.
        hit = next((match for match in hits if not names_every_version(match)), None) or next(
            iter(hits), None
        )
        if hit is not None:
            # In an AND node, other vulnerable criteria need other components: not met by one.
            satisfied = operator == "OR" or len(vulnerable) == 1
            if satisfied and not negate:
                if found is None or (names_every_version(found) and not names_every_version(hit)):
                    found = hit
                assumed.extend(match.criteria for match in platforms if operator == "AND")
            node_results.append(satisfied != negate)
        elif not vulnerable and platforms:
            assumed.extend(match.criteria for match in platforms)
            node_results.append(True)  # the platform cannot be seen from one component
        else:
            node_results.append(negate)
    if found is None:
        return None
    holds = all(node_results) if configuration.operator == "AND" else any(node_results)
    if not holds:
        return None
    return ConfigurationMatch(found, tuple(assumed), names_every_version(found))
