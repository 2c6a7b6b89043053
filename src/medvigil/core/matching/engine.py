"""The advisory index: built once from many advisories, asked once per component.

Lookups are dictionary hits: OSV packages by (ecosystem, normalised name),
NVD criteria by (CPE vendor, product). The first time a component asks for
a package name, every affected package under that name is compiled
(versions parsed, events sorted) and its bounds sorted into a
`bounds.PackageTable`, kept for the life of the index: later components
place their version with two binary searches and only the advisories whose
intervals hold it are evaluated (and explained). Parsed versions are cached
process-wide by `parse_version`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from medvigil.core.advisories import Advisory, AffectedPackage, CpeConfiguration
from medvigil.core.matching import ecosystems
from medvigil.core.matching.bounds import PackageTable, build_table
from medvigil.core.matching.cpe import is_concrete_identity, parse_cpe, unescape
from medvigil.core.matching.cpe_configurations import match_configuration
from medvigil.core.matching.ecosystems import (
    normalise_name,
    parse_ecosystem,
    release_compatible,
)
from medvigil.core.matching.keys import configuration_keys
from medvigil.core.matching.product_cpes import product_configurations
from medvigil.core.matching.purl_match import PackageIdentity, identity_from_purl
from medvigil.core.matching.ranges import CompiledPackage, compile_package, evaluate
from medvigil.core.matching.result import EVERY_VERSION, Confidence, Match, Rule, Verdict
from medvigil.core.matching.versions import UnorderableVersion, Version, parse_version

# Orderings of distribution packages (deb, rpm, apk): never matched by upstream CPE.
DISTRIBUTION_ORDERINGS = frozenset({ecosystems.DEBIAN, ecosystems.RPM, ecosystems.ALPINE})


@dataclass(slots=True)
class _PackageEntry:
    advisory: Advisory
    index: int
    package: AffectedPackage
    release: str | None
    compiled: CompiledPackage | None = None  # filled on first use


@dataclass(frozen=True, slots=True)
class _ConfigurationEntry:
    advisory: Advisory
    index: int
    configuration: CpeConfiguration


@dataclass(frozen=True, slots=True)
class AdvisoryIndex:
    """Advisories keyed for matching. Build with `AdvisoryIndex.build`; then `match`.

    Withdrawn advisories are left out: they never match. The index is safe
    to share between threads for reading (compiling twice is harmless).
    """

    packages: dict[tuple[str, str], list[_PackageEntry]] = field(repr=False)
    configurations: dict[tuple[str, str], list[_ConfigurationEntry]] = field(repr=False)
    advisory_count: int
    # Filled per package name on first use; a race only builds a table twice.
    tables: dict[tuple[str, str], PackageTable] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, advisories: list[Advisory] | tuple[Advisory, ...]) -> AdvisoryIndex:
        packages: dict[tuple[str, str], list[_PackageEntry]] = defaultdict(list)
        configurations: dict[tuple[str, str], list[_ConfigurationEntry]] = defaultdict(list)
        count = 0
        for advisory in advisories:
            if advisory.is_withdrawn:
                continue
            count += 1
            for index, package in enumerate(advisory.affected):
                reference = parse_ecosystem(package.ecosystem)
                name = normalise_name(reference.base, package.name)
                entry = _PackageEntry(advisory, index, package, reference.release)
                packages[(reference.base, name)].append(entry)
            # CVE 5 products with CPEs follow NVD's configurations, numbered after them.
            every = (*advisory.cpe_configurations, *product_configurations(advisory))
            for index, configuration in enumerate(every):
                for key in configuration_keys(configuration):
                    configurations[key].append(_ConfigurationEntry(advisory, index, configuration))
        return cls(dict(packages), dict(configurations), count)

    def extended(self, advisories: list[Advisory] | tuple[Advisory, ...]) -> AdvisoryIndex:
        """This index with more advisories; tables already compiled are kept for the
        names the new advisories leave alone. Matching through it equals matching
        through an index built from all the advisories at once."""
        more = AdvisoryIndex.build(advisories)
        packages = dict(self.packages)
        for key, entries in more.packages.items():
            packages[key] = [*packages.get(key, ()), *entries]
        configurations = dict(self.configurations)
        for key, found in more.configurations.items():
            configurations[key] = [*configurations.get(key, ()), *found]
        tables = {key: table for key, table in self.tables.items() if key not in more.packages}
        count = self.advisory_count + more.advisory_count
        return AdvisoryIndex(packages, configurations, count, tables)

    def match(
        self,
        component_purl: str | None,
        component_cpe: str | None,
        version: str | None,
        *,
        include_hints: bool = False,
        include_candidates: bool = False,
    ) -> tuple[Match, ...]:
        """The advisories affecting a component, best identity first.

        The purl decides when it names an OSV ecosystem; the CPE is used only
        for a component without such a purl, or for NVD-only advisories of a
        registry package (never for a distribution package: see
        `DISTRIBUTION_ORDERINGS`). `version` overrides the version
        inside the purl or CPE. With `include_hints`, not-affected verdicts
        that carry a hint (above `last_affected`, unordered version) are
        returned too. With `include_candidates`, CPE criteria naming every
        version of the product come back as not-affected `CPE_EVERY_VERSION`
        verdicts: candidates for a person's review, never findings. Raises
        `InvalidPurl` or `InvalidCpe` for malformed input.
        """
        identity = identity_from_purl(component_purl) if component_purl else None
        if identity is None:
            if not component_cpe:
                return ()
            return self._match_cpe(component_cpe, version, None, include_candidates)
        version = version or identity.version
        found = self._match_package(identity, version, include_hints)
        if not component_cpe or identity.ecosystem.ordering in DISTRIBUTION_ORDERINGS:
            # A distribution package is judged by its distribution's own data only:
            # distributions backport fixes, so upstream CPE ranges would be false alarms.
            return found
        # NVD-only advisories (no OSV package) still reach a purl component
        # through its CPE, ordered as its ecosystem orders versions.
        known = {name for match in found for name in (match.advisory.id, *match.advisory.aliases)}
        extra = tuple(
            match
            for match in self._match_cpe(
                component_cpe, version, identity.ecosystem.ordering, include_candidates
            )
            if not match.advisory.affected
            and known.isdisjoint((match.advisory.id, *match.advisory.aliases))
        )
        return found + extra

    def _match_package(
        self, identity: PackageIdentity, version: str | None, include_hints: bool
    ) -> tuple[Match, ...]:
        if not version:
            return ()
        entries = self.packages.get(identity.key)
        if not entries:
            return ()
        table = self._table(identity.key, entries)
        candidates = table.candidates(table.places(version))
        found: list[Match] = []
        seen: set[tuple[str, int]] = set()
        if include_hints:
            candidates.update(table.hinting)
        for position in sorted(candidates):
            entry = entries[position]
            if not release_compatible(entry.release, identity.release):
                continue
            assert entry.compiled is not None  # compiled with the table
            verdict = evaluate(entry.compiled, version)
            if verdict.affected and identity.ecosystem.release_scoped and identity.release is None:
                verdict = _lowered(verdict, "the component's distribution release is unknown")
            if verdict.affected or (include_hints and verdict.hint):
                marker = (entry.advisory.id, entry.index)
                if marker not in seen:
                    seen.add(marker)
                    found.append(Match(entry.advisory, "purl", entry.index, verdict))
        return tuple(found)

    def _table(self, key: tuple[str, str], entries: list[_PackageEntry]) -> PackageTable:
        table = self.tables.get(key)
        if table is None:
            for entry in entries:
                if entry.compiled is None:
                    entry.compiled = compile_package(entry.package)
            table = build_table([entry.compiled for entry in entries if entry.compiled])
            self.tables[key] = table
        return table

    def _match_cpe(
        self,
        component_cpe: str,
        version: str | None,
        ordering: str | None,
        include_candidates: bool = False,
    ) -> tuple[Match, ...]:
        component = parse_cpe(component_cpe)
        if not is_concrete_identity(component):
            return ()
        text = version or unescape(component.version)
        if text in ("*", "-", ""):
            text = ""
        component = component.with_version(text) if text else component
        ordering = ordering or ecosystems.GENERIC
        parsed: Version | None = None
        if text:
            try:
                parsed = parse_version(ordering, text)
            except UnorderableVersion:
                parsed = None
        key = (component.unescaped_vendor, component.unescaped_product)
        found: list[Match] = []
        seen: set[tuple[str, int]] = set()
        for entry in self.configurations.get(key, ()):
            marker = (entry.advisory.id, entry.index)
            if marker in seen:
                continue
            result = match_configuration(entry.configuration, component, parsed, ordering)
            if result is None or (result.every_version and not include_candidates):
                continue
            seen.add(marker)
            explanation = f"CPE {result.criterion.criteria}" + _bounds_text(result.criterion)
            if entry.index >= len(entry.advisory.cpe_configurations):
                explanation = "CVE record's affected product: " + explanation
            if result.assumed_platforms:
                explanation += "; assumed running on " + " or ".join(result.assumed_platforms)
            if result.every_version:
                explanation += "; " + EVERY_VERSION
                verdict = Verdict(False, Rule.CPE_EVERY_VERSION, Confidence.LOW, explanation)
            else:
                verdict = Verdict(True, Rule.CPE_CRITERIA, Confidence.MEDIUM, explanation)
            found.append(Match(entry.advisory, "cpe", entry.index, verdict))
        return tuple(found)


def _bounds_text(criterion: object) -> str:
    parts = []
    for label, attribute in (
        (">=", "version_start_including"),
        (">", "version_start_excluding"),
        ("<=", "version_end_including"),
        ("<", "version_end_excluding"),
    ):
        value = getattr(criterion, attribute)
        if value:
            parts.append(f"{label} {value}")
    return f" ({', '.join(parts)})" if parts else ""


def _lowered(verdict: Verdict, reason: str) -> Verdict:
    return Verdict(
        verdict.affected,
        verdict.rule,
        Confidence.MEDIUM if verdict.confidence == Confidence.HIGH else verdict.confidence,
        f"{verdict.explanation}; {reason}",
        verdict.range_index,
        verdict.introduced,
        verdict.upper_bound,
        verdict.upper_bound_kind,
        verdict.listed_version,
        verdict.hint,
    )
