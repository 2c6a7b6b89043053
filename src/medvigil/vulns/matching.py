"""Matching SBOM components against the stored advisories: findings opened, updated, closed.

Each component examined is matched against every advisory that names its
package (ecosystem, normalised name) or CPE (vendor, product), through
`medvigil.core.matching.AdvisoryIndex`, so its set of findings is complete
whatever triggered the run. What differs is which components are examined:
one SBOM after its import (`match_document`), one version (`match_version`),
only the components whose keys appear in changed advisories after a feed
import (`rematch_keys`), or all of them (`rematch_all`, scheduled).

Findings are never deleted here: a finding that no longer matches is closed
with the reason (withdrawn advisory, regrouped vulnerability, no longer in
range) and opened again if it matches later. A CPE criterion that names every
version of a product makes a *candidate* (state `candidate`), kept apart from
open findings until a bounded match makes it one. Components are matched a
chunk at a time (`MATCH_CHUNK_SIZE`, one transaction each); each chunk's
changes are written set-based and audited as one batch event naming every
finding it changed and why (`medvigil.vulns.reconcile`), and each run adds
one audit event with its counts. The full re-match is split into tasks of
component ranges that several workers run at once (`medvigil.vulns.chunks`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from medvigil.audit.services import record
from medvigil.core.matching import AdvisoryIndex, InvalidCpe, InvalidPurl, Rule
from medvigil.portfolio.models import ProductVersion
from medvigil.sbom.models import Component, SbomDocument
from medvigil.vulns import identity_facts as identities
from medvigil.vulns.models import (
    Advisory,
    AffectedEntry,
    ComponentMatchKey,
    MatchKeyKind,
)
from medvigil.vulns.provenance import StoredAdvisory, provenance
from medvigil.vulns.reconcile import Reconciler
from medvigil.vulns.records import NO_KEY, Key, advisory_from_json, component_keys, cpe_key

KEY_QUERY_SIZE = 200
EVERY_VERSION = str(Rule.CPE_EVERY_VERSION)
# Matches that wait for a person's review: a CPE naming every version, a mapped product name.
CANDIDATE_RULES = (EVERY_VERSION, identities.PRODUCT_MAPPING_RULE)


@dataclass
class MatchReport:
    examined: int = 0
    opened: int = 0
    candidates: int = 0
    reopened: int = 0
    closed: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: MatchReport) -> None:
        for name, value in asdict(other).items():
            setattr(self, name, getattr(self, name) + value)


def keys_filter(keys: Iterable[Key]) -> Q:
    """Rows with one of `keys`, as `name IN (...)` per (kind, namespace): index-friendly."""
    names: dict[tuple[str, str], list[str]] = {}
    for kind, namespace, name in keys:
        names.setdefault((kind, namespace), []).append(name)
    return reduce(
        or_,
        (
            Q(kind=kind, namespace=namespace, name__in=sorted(chosen))
            for (kind, namespace), chosen in names.items()
        ),
    )


def _chunks(values: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


class Matcher:
    """One matching run; advisories loaded once are kept for the rest of the run."""

    def __init__(self, scope: str) -> None:
        self.scope = scope
        self.report = MatchReport()
        self.advisories: dict[int, StoredAdvisory] = {}
        self.by_key: dict[Key, list[int]] = {}
        self.descriptions: dict[int, tuple[str, str, str, str]] = {}
        # "confirmation:<pk>" / "mapping:<pk>" → why findings resting on it are closed.
        self.withdrawn_reasons: dict[str, str] = {}
        # One index for the whole run, extended as chunks load advisories.
        self.index = AdvisoryIndex.build([])
        self.indexed: set[int] = set()
        self.by_object: dict[int, StoredAdvisory] = {}

    def run(self, component_ids: Iterable[int], chunk_size: int | None = None) -> MatchReport:
        chunk_size = chunk_size or settings.MATCH_CHUNK_SIZE
        chunk: list[int] = []
        for component_id in component_ids:
            chunk.append(component_id)
            if len(chunk) >= chunk_size:
                self.match_chunk(chunk)
                chunk = []
        if chunk:
            self.match_chunk(chunk)
        record(
            "vulns.matching.ran",
            ("vulns.finding", ""),
            details={"scope": self.scope, **asdict(self.report)},
        )
        return self.report

    def load(self, keys: set[Key]) -> None:
        missing = [key for key in keys if key not in self.by_key and key != NO_KEY]
        for key in missing:
            self.by_key[key] = []
        for part in _chunks(missing, KEY_QUERY_SIZE):
            for advisory_id, kind, namespace, name in AffectedEntry.objects.filter(
                keys_filter(part)
            ).values_list("advisory_id", "kind", "namespace", "name"):
                self.by_key[(kind, namespace, name)].append(advisory_id)
        wanted = {pk for key in missing for pk in self.by_key[key]} - set(self.advisories)
        for part in _chunks(sorted(wanted), 500):
            for pk, identifier, source, vulnerability_id, engine_record in Advisory.objects.filter(
                pk__in=part
            ).values_list("pk", "identifier", "source", "vulnerability_id", "record"):
                self.advisories[pk] = StoredAdvisory(
                    pk, identifier, source, vulnerability_id, advisory_from_json(engine_record)
                )

    def match_chunk(self, component_ids: list[int]) -> None:
        described = list(
            Component.objects.filter(pk__in=component_ids).values_list(
                "pk",
                "purl",
                "cpe",
                "version",
                "document__version_id",
                "name",
                "identity",
                "supplier",
            )
        )
        facts = identities.facts_for([(row[0], row[6], row[7], row[1]) for row in described])
        # A CPE a person confirmed for the identity stands in for the one the SBOM lacks.
        rows = [
            (pk, purl, cpe or (facts[pk].cpe if pk in facts else "") or "", version, owner)
            for pk, purl, cpe, version, owner, *_rest in described
        ]
        self.descriptions = {row[0]: (row[5], row[3], row[1], row[2]) for row in described}
        described_cpe = {row[0]: row[2] for row in described}
        keys = {
            pk: identities.keys_with_facts(
                component_keys(purl, cpe), facts.get(pk), cpe_key(cpe) if cpe else None
            )
            for pk, purl, cpe, _version, _owner in rows
        }
        store_missing_keys(keys)
        self.load({key for found in keys.values() for key in found})
        wanted: dict[tuple[int, int], list[dict[str, Any]]] = {}
        owners = {pk: owner for pk, _purl, _cpe, _version, owner in rows}
        candidates = sorted(
            {
                advisory
                for found in keys.values()
                for key in found
                for advisory in self.by_key.get(key, ())
            }
        )
        self.index_advisories(candidates)
        for pk, purl, cpe, version, _owner in rows:
            if keys[pk] == {NO_KEY}:
                continue
            confirmed = facts[pk].confirmation if pk in facts and not described_cpe[pk] else None
            try:
                matches = self.index.match(
                    purl or None, cpe or None, version or None, include_candidates=True
                )
            except (InvalidPurl, InvalidCpe):
                continue
            # The run's index holds every advisory loaded so far: keep those naming this component.
            named = {advisory for key in keys[pk] for advisory in self.by_key.get(key, ())}
            for match in matches:
                advisory = self.by_object[id(match.advisory)]
                if advisory.vulnerability_id is None or advisory.pk not in named:
                    continue
                entry = provenance(advisory, match)
                if confirmed is not None and match.method == "cpe":
                    entry["confirmation"] = confirmed
                    entry["explanation"] += (
                        f"; CPE confirmed by a person (confirmation {confirmed})"
                    )
                wanted.setdefault((advisory.vulnerability_id, pk), []).append(entry)
            for key, mapping in (facts[pk].products if pk in facts else {}).items():
                for advisory_pk in self.by_key.get(key, ()):
                    advisory = self.advisories[advisory_pk]
                    if advisory.vulnerability_id is None or advisory.engine.is_withdrawn:
                        continue
                    found = identities.product_provenance(advisory, key, mapping)
                    wanted.setdefault((advisory.vulnerability_id, pk), []).extend(found)
        reconciler = Reconciler(
            self.scope, self.report, self.descriptions, self.withdrawn_reason, CANDIDATE_RULES
        )
        with transaction.atomic():
            reconciler.run(component_ids, owners, wanted)
        self.report.examined += len(rows)

    def index_advisories(self, wanted: list[int]) -> None:
        """Add to the run's index the advisories it lacks (compiled tables are kept)."""
        missing = [pk for pk in wanted if pk not in self.indexed]
        if not missing:
            return
        engines = [self.advisories[pk].engine for pk in missing]
        self.index = self.index.extended(engines)
        self.indexed.update(missing)
        self.by_object.update(
            {id(self.advisories[pk].engine): self.advisories[pk] for pk in missing}
        )

    def withdrawn_reason(self, entries: list[dict[str, Any]]) -> str:
        for entry in entries:
            for kind in ("confirmation", "mapping"):
                if kind in entry and f"{kind}:{entry[kind]}" in self.withdrawn_reasons:
                    return self.withdrawn_reasons[f"{kind}:{entry[kind]}"]
        return ""


def store_missing_keys(keys: dict[int, set[Key]]) -> None:
    known = set(
        ComponentMatchKey.objects.filter(component_id__in=list(keys)).values_list(
            "component_id", flat=True
        )
    )
    ComponentMatchKey.objects.bulk_create(
        [
            ComponentMatchKey(component_id=pk, kind=kind, namespace=namespace, name=name)
            for pk, found in keys.items()
            if pk not in known
            for kind, namespace, name in found
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )


def match_document(document: SbomDocument) -> MatchReport:
    """Match one SBOM's components (after its import)."""
    ids = list(document.components.order_by("pk").values_list("pk", flat=True))
    return Matcher(f"document {document.pk}").run(ids)


def match_version(version: ProductVersion) -> MatchReport:
    """Match every component of one product version."""
    ids = Component.objects.filter(document__version=version).order_by("pk")
    return Matcher(f"version {version.pk}").run(list(ids.values_list("pk", flat=True)))


def components_with_keys(keys: Iterable[Key]) -> list[int]:
    """The components whose package or CPE key is one of `keys` (via the key index)."""
    wanted = sorted({tuple(key) for key in keys if tuple(key) != NO_KEY and key[0] != "none"})
    found: set[int] = set()
    for part in _chunks(wanted, KEY_QUERY_SIZE):
        found.update(
            ComponentMatchKey.objects.filter(keys_filter(part)).values_list(
                "component_id", flat=True
            )
        )
    return sorted(found)


def rematch_keys(keys: Iterable[Key], scope: str = "changed advisories") -> MatchReport:
    """Re-match only the components named by changed advisories (after a feed import)."""
    return Matcher(scope).run(components_with_keys(keys))


def rematch_all(chunk_size: int | None = None) -> MatchReport:
    """Match every component of the portfolio in this process (one task, or the command line)."""
    ids = list(Component.objects.order_by("pk").values_list("pk", flat=True))
    return Matcher("portfolio").run(ids, chunk_size)


def component_ranges(size: int) -> list[tuple[int, int]]:
    """Every component's id, cut into ranges (first, last) of `size` components, in id order."""
    ids = list(Component.objects.order_by("pk").values_list("pk", flat=True))
    return [
        (ids[start], ids[min(start + size, len(ids)) - 1]) for start in range(0, len(ids), size)
    ]


def rematch_range(first: int, last: int, scope: str, chunk_size: int | None = None) -> MatchReport:
    """Match the components whose id is in [first, last]: one task of the full re-match."""
    ids = Component.objects.filter(pk__gte=first, pk__lte=last).order_by("pk")
    return Matcher(scope).run(list(ids.values_list("pk", flat=True)), chunk_size)


__all__ = [
    "MatchKeyKind",
    "MatchReport",
    "component_ranges",
    "components_with_keys",
    "match_document",
    "match_version",
    "rematch_all",
    "rematch_keys",
    "rematch_range",
]
