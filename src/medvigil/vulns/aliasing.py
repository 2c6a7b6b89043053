"""Keep alias groups (`Vulnerability`) right as advisories arrive, within the caller's batch.

Only the groups that the changed advisories touch are recomputed: the ids
and aliases of the changed advisories find the existing groups they name,
and `medvigil.core.matching.aliases.group_aliases` regroups those groups'
advisories together with the changed ones (merging, splitting or renaming
groups as needed). A group that disappears keeps its row with `merged_into`
set, so the findings that named it stay traceable.

`regroup` runs before the changed advisories are written: it sets their
`vulnerability` in memory, and moves stored advisories whose group changed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from medvigil.core.advisories import Advisory as CoreAdvisory
from medvigil.core.matching import AliasGroups, group_aliases
from medvigil.vulns import kev_flags
from medvigil.vulns.models import Advisory, Vulnerability, VulnerabilityAlias
from medvigil.vulns.records import worst_severity

CHUNK = 500
SOURCE_PREFERENCE = ("osv", "cve5", "nvd", "csaf")
SUMMARY_FIELDS = ("summary", "severity", "score", "published", "modified")


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def regroup(changed: list[Advisory]) -> None:
    """Group the changed advisories (saved or not) with the stored groups they name."""
    if not changed:
        return
    identifiers = sorted(
        {advisory.identifier for advisory in changed}
        | {alias for advisory in changed for alias in advisory.aliases}
    )
    touched: set[int] = set()
    for part in _chunks(identifiers):
        touched.update(
            VulnerabilityAlias.objects.filter(identifier__in=part).values_list(
                "vulnerability_id", flat=True
            )
        )
    involved = {(row.identifier, row.source): row for row in changed}
    stored_rows = Advisory.objects.filter(vulnerability_id__in=touched).only(
        "id",
        "identifier",
        "source",
        "aliases",
        "vulnerability_id",
        "modified",
        "summary",
        "details",
        "severities",
        "published",
        "withdrawn",
    )
    for row in stored_rows:
        involved.setdefault((row.identifier, row.source), row)
    groups = group_aliases(
        CoreAdvisory(
            id=row.identifier, source="", modified=row.modified, aliases=tuple(row.aliases)
        )
        for row in involved.values()
    )
    current = save_groups(groups, list(involved.values()))
    moved: dict[int, list[int]] = defaultdict(list)
    changed_keys = {(row.identifier, row.source) for row in changed}
    for key, row in involved.items():
        target = current[groups.group_of(row.identifier)]
        if key in changed_keys:
            row.vulnerability = target
        elif row.vulnerability_id != target.pk:
            moved[target.pk].append(row.pk)
    for target_pk, advisory_ids in moved.items():
        Advisory.objects.filter(pk__in=advisory_ids).update(vulnerability_id=target_pk)
    kept = {row.pk for row in current.values()}
    for old in Vulnerability.objects.filter(pk__in=touched - kept):
        old.merged_into = current.get(groups.group_of(old.canonical_id))
        old.members = []
        old.save(update_fields=["merged_into", "members"])
    kev_flags.refresh(touched | kept)


def save_groups(groups: AliasGroups, rows: list[Advisory]) -> dict[str, Vulnerability]:
    """Create or update one `Vulnerability` per group of `rows`, with its aliases."""
    by_group: dict[str, list[Advisory]] = defaultdict(list)
    for row in rows:
        by_group[groups.group_of(row.identifier)].append(row)
    canonical_ids = sorted(by_group)
    existing = {
        row.canonical_id: row
        for part in _chunks(canonical_ids)
        for row in Vulnerability.objects.filter(canonical_id__in=part)
    }
    current: dict[str, Vulnerability] = {}
    created: list[Vulnerability] = []
    for canonical in canonical_ids:
        vulnerability = existing.get(canonical) or Vulnerability(canonical_id=canonical)
        vulnerability.members = list(groups.members(canonical))
        vulnerability.merged_into = None
        summarise(vulnerability, by_group[canonical])
        if vulnerability.pk is None:
            created.append(vulnerability)
        else:
            vulnerability.save(update_fields=["members", "merged_into", *SUMMARY_FIELDS])
        current[canonical] = vulnerability
    Vulnerability.objects.bulk_create(created, batch_size=500)
    members = sorted({member for row in current.values() for member in row.members})
    for part in _chunks(members):
        VulnerabilityAlias.objects.filter(identifier__in=part).delete()
    VulnerabilityAlias.objects.bulk_create(
        [
            VulnerabilityAlias(identifier=member, vulnerability=row)
            for row in current.values()
            for member in row.members
        ],
        batch_size=1000,
    )
    return current


def summarise(vulnerability: Vulnerability, advisories: list[Advisory]) -> None:
    """Summary, severity and dates of a group from its advisories (withdrawn ones last)."""
    members = sorted(
        advisories,
        key=lambda item: (item.withdrawn is not None, SOURCE_PREFERENCE.index(item.source)),
    )
    texts = [item.summary or item.details.split("\n", 1)[0] for item in members]
    vulnerability.summary = next((text for text in texts if text), "")[:1000]
    vulnerability.severity, vulnerability.score = worst_severity(
        [severity for item in members for severity in item.severities]
    )
    published = [item.published for item in members if item.published]
    vulnerability.published = min(published) if published else None
    vulnerability.modified = max(item.modified for item in members) if members else None
