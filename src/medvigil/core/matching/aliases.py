"""Alias groups: the advisories that describe one vulnerability.

A CVE, its GHSA, its PYSEC and its GO record are one vulnerability: each
names the others in `aliases`. Grouping is a union-find over every
advisory's `id` and `aliases`, so it is symmetric (one side naming the other
is enough) and transitive (A~B and B~C put A, B and C together).

OSV `upstream` and `related` are deliberately not followed: a distribution
record "upstream" of a CVE, or a "related" but distinct issue, is a
different finding. The readers keep those in `Advisory.extras`, never in
`aliases`, so they cannot leak in here.

The canonical id of a group is its CVE id when the group holds exactly one
(the name people search for); otherwise, with none or several CVE ids, the
smallest member in plain string order, which is stable across runs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from medvigil.core.advisories import Advisory


@dataclass(frozen=True, slots=True)
class AliasGroups:
    """Every known id mapped to its group's canonical id, and back.

    Ids never seen are their own one-member group, so both lookups are total.
    """

    canonical: dict[str, str] = field(repr=False)
    groups: dict[str, tuple[str, ...]] = field(repr=False)

    def group_of(self, advisory_id: str) -> str:
        """The canonical id of the group holding `advisory_id` (itself if unknown)."""
        return self.canonical.get(advisory_id, advisory_id)

    def members(self, group_id: str) -> tuple[str, ...]:
        """Every id in the group, sorted; any member's id is accepted, not only the canonical."""
        return self.groups.get(self.group_of(group_id), (group_id,))

    def __len__(self) -> int:
        return len(self.groups)


def group_aliases(advisories: Iterable[Advisory]) -> AliasGroups:
    """Group advisories by their `id` and `aliases` (symmetric and transitive)."""
    parent: dict[str, str] = {}

    def root(identifier: str) -> str:
        parent.setdefault(identifier, identifier)
        top = identifier
        while parent[top] != top:
            top = parent[top]
        # Path compression keeps later lookups near constant time.
        while parent[identifier] != top:
            parent[identifier], identifier = top, parent[identifier]
        return top

    for advisory in advisories:
        own = root(advisory.id)
        for alias in advisory.aliases:
            other = root(alias)
            if other != own:
                parent[other] = own

    collected: dict[str, list[str]] = defaultdict(list)
    for identifier in parent:
        collected[root(identifier)].append(identifier)

    canonical: dict[str, str] = {}
    groups: dict[str, tuple[str, ...]] = {}
    for members in collected.values():
        ordered = tuple(sorted(members))
        name = canonical_id(ordered)
        groups[name] = ordered
        for member in ordered:
            canonical[member] = name
    return AliasGroups(canonical, groups)


def groups_of(groups: Iterable[Iterable[str]]) -> AliasGroups:
    """Alias groups already formed (disjoint sets of ids), named as `group_aliases` names them."""
    canonical: dict[str, str] = {}
    named: dict[str, tuple[str, ...]] = {}
    for members in groups:
        ordered = tuple(sorted(members))
        name = canonical_id(ordered)
        named[name] = ordered
        for member in ordered:
            canonical[member] = name
    return AliasGroups(canonical, named)


def canonical_id(members: Iterable[str]) -> str:
    """The CVE id if exactly one member is a CVE, else the smallest member."""
    ordered = sorted(members)
    cves = [member for member in ordered if member.upper().startswith("CVE-")]
    return cves[0] if len(cves) == 1 else ordered[0]
