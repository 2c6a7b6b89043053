"""Portfolio-wide component search: which product versions contain this component?

A query (`medvigil.core.components`) is answered in two steps. The database
finds the candidates through an index: the folded name (`LOWER(name)`), the
purl identity (`identity`), or a CPE's vendor and product (a range over
`LOWER(cpe)`, see the migration `0002_component_search_indexes`). The core
then keeps the candidates whose version satisfies the constraints, in the
order of each component's own ecosystem. Only visible versions are searched.

Open findings are counted by whoever registers a counter (`vulns` does, in its
`ready()`): `sbom` sits below `vulns` and never imports it. Where each hit's
version is deployed comes from the installed base (`portfolio.Deployment`),
limited to the deployments the person may see.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import CharField, Q, QuerySet, TextField
from django.db.models.functions import Collate, Lower

from medvigil.core.components import (
    ComponentQuery,
    InvalidQuery,
    QueryKind,
    parse_component_query,
)
from medvigil.platform import permissions
from medvigil.platform.pagination import DEFAULT_LIMIT, decode_cursor, encode_cursor
from medvigil.platform.refusals import Kind, Refusal
from medvigil.platform.roles import Role
from medvigil.portfolio.models import Deployment
from medvigil.sbom.models import Component

# `name__lower=…` compiles to LOWER(name) = …, the expression the index holds.
TextField.register_lookup(Lower)
CharField.register_lookup(Lower)

# Counts open findings per component id, for the components a person may see
# (person None: the whole portfolio, for the command line).
FindingCounter = Callable[[Any, Sequence[int]], Mapping[int, int]]
_FINDING_COUNTERS: list[FindingCounter] = []


def register_finding_counter(counter: FindingCounter) -> None:
    """Called by the app that owns findings, once, in its `ready()`."""
    if counter not in _FINDING_COUNTERS:
        _FINDING_COUNTERS.append(counter)


@dataclass(frozen=True)
class ComponentHit:
    """One component instance that matches: `component.document.version.product` are loaded."""

    component: Component
    open_findings: int | None
    # (organisation, units) for each deployment of the hit's version the person may see
    deployed_at: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class SearchResult:
    query: ComponentQuery
    total: int
    version_count: int
    hits: list[ComponentHit]
    next_cursor: str | None


def may_search(person: Any) -> bool:
    """Inside users and customers search; researchers and suppliers see no portfolio."""
    return permissions.is_inside(person) or permissions.has_role(person, Role.CUSTOMER)


def require_searcher(person: Any) -> None:
    if not may_search(person):
        raise PermissionDenied("The component search is for inside users and customers.")


def read_query(text: str) -> ComponentQuery:
    """The parsed query, or a refusal naming the `q` field."""
    try:
        return parse_component_query(text)
    except InvalidQuery as error:
        raise Refusal(error.message, Kind.INVALID, {"q": error.message}) from error


def _prefix_range(expression: str, prefix: str) -> Q:
    # Every text that starts with `prefix` sorts between it and its successor
    # in a byte-wise order: BINARY on SQLite, COLLATE "C" on PostgreSQL.
    following = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return Q(**{f"{expression}__gte": prefix, f"{expression}__lt": following})


def cpe_key_expression() -> Any:
    """The expression the CPE index holds, per database (see the migration)."""
    if connection.vendor == "postgresql":
        return Collate(Lower("cpe"), "C")
    return Lower("cpe")


def candidates(query: ComponentQuery, rows: QuerySet[Component]) -> QuerySet[Component]:
    """The components the index finds for the query's key, before versions are checked."""
    if query.prefix:
        field = "name__lower" if query.kind is QueryKind.NAME else "identity"
        starts = Q(**{f"{field}__startswith": query.key})
        if connection.vendor == "sqlite":
            # SQLite compares BINARY: the range is exact and served by the index.
            return rows.filter(_prefix_range(field, query.key) & starts)
        return rows.filter(starts)
    if query.kind is QueryKind.NAME:
        return rows.filter(name__lower=query.key)
    if query.kind is QueryKind.PURL:
        return rows.filter(identity=query.key)
    assert query.cpe is not None
    parts = ("a", "o", "h") if query.cpe.part == "*" else (query.cpe.part,)
    vendor, product = query.cpe.vendor, query.cpe.product
    ranges = Q()
    for part in parts:
        ranges |= _prefix_range("cpe_key", f"cpe:2.3:{part}:{vendor}:{product}:")
        ranges |= _prefix_range("cpe_key", f"cpe:/{part}:{vendor}:{product}")
    # `cpe > ''` is the partial index's condition: the planner needs it to use the index.
    return rows.filter(cpe__gt="").annotate(cpe_key=cpe_key_expression()).filter(ranges)


# What a hit shows; the JSON fields (hashes, licences, properties) are left unread.
HIT_FIELDS = (
    "name",
    "version",
    "group",
    "purl",
    "cpe",
    "type",
    "document__filename",
    "document__role",
    "document__version__version",
    "document__version__phase",
    "document__version__product__name",
    "document__version__product__model_number",
)
Row = tuple[str, int, int]  # product name, version id, component id: the list's order


def matching_rows(query: ComponentQuery, rows: QuerySet[Component]) -> list[Row]:
    """Every matching component, in product, version and document order."""
    found = candidates(query, rows).values_list(
        "id", "version", "purl", "cpe", "document__version_id", "document__version__product__name"
    )
    return sorted(
        (product, version_id, component_id)
        for component_id, version, purl, cpe, version_id, product in found
        if query.accepts(version, purl, cpe)
    )


def search(
    person: Any, text: str, *, cursor: str | None = None, limit: int = DEFAULT_LIMIT
) -> SearchResult:
    """One page of the components matching `text` in the versions `person` may see.

    `person` None searches the whole portfolio (the command line, run by the
    operator of the installation).
    """
    rows = Component.objects.all()
    if person is not None:
        require_searcher(person)
        rows = permissions.visible(person, rows)
    query = read_query(text)
    matches = matching_rows(query, rows)
    start = 0
    if cursor:
        product, version_id, component_id = decode_cursor(cursor, 3)
        try:
            start = bisect_right(matches, (product, int(version_id), int(component_id)))
        except ValueError as error:
            message = "The cursor does not belong to this list."
            raise Refusal(message, Kind.UNREADABLE, {"cursor": message}) from error
    window = matches[start : start + limit]
    next_cursor = encode_cursor(window[-1]) if start + limit < len(matches) else None
    return SearchResult(
        query=query,
        total=len(matches),
        version_count=len({version_id for _, version_id, _ in matches}),
        hits=_hits(person, [component_id for _, _, component_id in window]),
        next_cursor=next_cursor,
    )


def _hits(person: Any, component_ids: list[int]) -> list[ComponentHit]:
    loaded = (
        Component.objects.select_related(
            "document", "document__version", "document__version__product"
        )
        .only(*HIT_FIELDS)
        .in_bulk(component_ids)
    )
    counts = _open_findings(person, component_ids)
    deployed = _deployed_at(person, {row.document.version_id for row in loaded.values()})
    return [
        ComponentHit(
            loaded[component_id],
            None if counts is None else counts.get(component_id, 0),
            deployed.get(loaded[component_id].document.version_id, ()),
        )
        for component_id in component_ids
        if component_id in loaded
    ]


def _deployed_at(person: Any, version_ids: set[int]) -> dict[int, tuple[tuple[str, int], ...]]:
    """Deployments of the page's versions, one query: a customer sees only its own."""
    rows = Deployment.objects.filter(version_id__in=version_ids)
    if person is not None:
        rows = permissions.visible(person, rows)
    found: dict[int, list[tuple[str, int]]] = {}
    for version_id, organisation, units in rows.order_by(
        "version_id", "organisation__name", "id"
    ).values_list("version_id", "organisation__name", "units"):
        found.setdefault(version_id, []).append((organisation, units))
    return {version_id: tuple(places) for version_id, places in found.items()}


def _open_findings(person: Any, component_ids: Iterable[int]) -> dict[int, int] | None:
    if not _FINDING_COUNTERS:
        return None
    ids = list(component_ids)
    totals: dict[int, int] = {}
    for counter in _FINDING_COUNTERS:
        for component_id, count in counter(person, ids).items():
            totals[component_id] = totals.get(component_id, 0) + count
    return totals


def hit_shape(hit: ComponentHit) -> dict[str, Any]:
    """One hit as the API and `medvigil components where --format json` give it."""
    component = hit.component
    document = component.document
    version = document.version
    return {
        "product": {
            "id": version.product.pk,
            "name": version.product.name,
            "model_number": version.product.model_number,
        },
        "version": {
            "id": version.pk,
            "version": version.version,
            "phase": version.phase,
            "phase_label": version.get_phase_display(),
        },
        "component": {
            "id": component.pk,
            "name": component.name,
            "version": component.version,
            "group": component.group,
            "purl": component.purl,
            "cpe": component.cpe,
            "type": component.type,
        },
        "document": {"id": document.pk, "filename": document.filename, "role": document.role},
        "open_findings": hit.open_findings,
        "deployed_at": [
            {"organisation": organisation, "units": units}
            for organisation, units in hit.deployed_at
        ],
    }


def result_shape(result: SearchResult) -> dict[str, Any]:
    return {
        "query": result.query.describe(),
        "kind": result.query.kind.value,
        "total": result.total,
        "version_count": result.version_count,
        "items": [hit_shape(hit) for hit in result.hits],
        "next_cursor": result.next_cursor,
    }
