"""What changed between two sets of components (two versions of a product).

Components are paired by identity: the purl without version, qualifiers and
subpath when there is one, else the group and name (case folded). A pair is
*changed* when its version differs, when a hash algorithm present on both
sides gives different values, or when the licences differ; otherwise it is
unchanged. When one identity appears several times on a side (two versions
of one npm package), identical entries are matched first and the rest are
paired in version order; what is left over is added or removed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from medvigil.core.sbom.model import Component
from medvigil.core.sbom.purl import purl_identity


@dataclass(frozen=True, slots=True)
class ComponentChange:
    """One component present on both sides with different content."""

    identity: str
    before: Component
    after: Component
    changed_fields: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ComponentDiff:
    added: tuple[Component, ...]
    removed: tuple[Component, ...]
    changed: tuple[ComponentChange, ...]
    unchanged: int


def component_identity(component: Component) -> str:
    """The key two versions of the same package share."""
    if component.purl:
        return purl_identity(component.purl)
    group = (component.group or "").strip().lower()
    return f"{group}/{component.name.strip().lower()}" if group else component.name.strip().lower()


def changed_fields(before: Component, after: Component) -> tuple[str, ...]:
    """Which of version, hashes and licences differ between two paired components."""
    fields = []
    if before.version != after.version:
        fields.append("version")
    before_hashes, after_hashes = dict(before.hashes), dict(after.hashes)
    if any(
        before_hashes[name] != after_hashes[name] for name in before_hashes.keys() & after_hashes
    ):
        fields.append("hashes")
    if set(before.licenses) != set(after.licenses):
        fields.append("licenses")
    return tuple(fields)


def diff_components(before: Iterable[Component], after: Iterable[Component]) -> ComponentDiff:
    """Added, removed and changed components from `before` to `after`, in `after`'s order."""
    before_groups = _by_identity(before)
    after_groups = _by_identity(after)
    added: list[Component] = []
    removed: list[Component] = []
    changed: list[ComponentChange] = []
    unchanged = 0
    for identity in [*after_groups, *(key for key in before_groups if key not in after_groups)]:
        old = list(before_groups.get(identity, ()))
        new = list(after_groups.get(identity, ()))
        leftover_new = []
        for component in new:
            match = next((item for item in old if not changed_fields(item, component)), None)
            if match is None:
                leftover_new.append(component)
            else:
                old.remove(match)
                unchanged += 1
        old.sort(key=_version_key)
        leftover_new.sort(key=_version_key)
        for previous, current in zip(old, leftover_new, strict=False):
            changed.append(
                ComponentChange(identity, previous, current, changed_fields(previous, current))
            )
        paired = min(len(old), len(leftover_new))
        removed.extend(old[paired:])
        added.extend(leftover_new[paired:])
    return ComponentDiff(tuple(added), tuple(removed), tuple(changed), unchanged)


def _by_identity(components: Iterable[Component]) -> dict[str, list[Component]]:
    groups: dict[str, list[Component]] = {}
    for component in components:
        groups.setdefault(component_identity(component), []).append(component)
    return groups


def _version_key(component: Component) -> str:
    return component.version or ""
