"""`Vulnerability.kev_listed`: whether any id of the group is in the KEV catalog.

Kept as a column so that lists filter and show KEV through a join on the
vulnerability row instead of a subquery per row through the aliases. Two
writers change the answer: the KEV import (new entries) and the alias
grouping (a group gains or loses ids); both call `refresh`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef

from medvigil.vulns.models import KevEntry, Vulnerability, VulnerabilityAlias

CHUNK = 1000


def listed() -> Exists:
    """True for a vulnerability row one of whose ids is in the KEV catalog."""
    return Exists(
        VulnerabilityAlias.objects.filter(
            vulnerability_id=OuterRef("pk"),
            identifier__in=KevEntry.objects.values("cve_id"),
        )
    )


def refresh(vulnerability_ids: Iterable[int] | None = None) -> int:
    """Recompute the flag of these vulnerabilities (all when None); rows whose flag changed."""
    if vulnerability_ids is None:
        return refresh_rows(Vulnerability.objects.all())
    ids = sorted(set(vulnerability_ids))
    return sum(
        refresh_rows(Vulnerability.objects.filter(pk__in=ids[start : start + CHUNK]))
        for start in range(0, len(ids), CHUNK)
    )


def refresh_rows(rows: object) -> int:
    changed = 0
    for value in (True, False):
        matching = rows.filter(kev_listed=not value)  # type: ignore[attr-defined]
        target = matching.filter(listed()) if value else matching.exclude(listed())
        changed += target.update(kev_listed=value)
    return changed


def listed_identifiers(cve_ids: Iterable[str]) -> int:
    """Mark the groups of newly listed CVE ids (a KEV import); rows changed."""
    ids = sorted(set(cve_ids))
    changed = 0
    for start in range(0, len(ids), CHUNK):
        groups = VulnerabilityAlias.objects.filter(identifier__in=ids[start : start + CHUNK])
        changed += Vulnerability.objects.filter(
            pk__in=groups.values("vulnerability_id"), kev_listed=False
        ).update(kev_listed=True)
    return changed
