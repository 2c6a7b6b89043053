"""Portfolio-wide component search: the query language and the version test.

Public surface:

- `parse_component_query(text)` → `ComponentQuery` or raises `InvalidQuery`
- `ComponentQuery.accepts(version, purl, cpe)` → whether one component matches
- `component_ordering(purl)` → the version ordering a component is compared in

See docs/components.md for the language.
"""

from medvigil.core.components.query import (
    MAXIMUM_QUERY_LENGTH,
    ComponentQuery,
    Constraint,
    InvalidQuery,
    QueryKind,
    component_ordering,
    parse_component_query,
)

__all__ = [
    "MAXIMUM_QUERY_LENGTH",
    "ComponentQuery",
    "Constraint",
    "InvalidQuery",
    "QueryKind",
    "component_ordering",
    "parse_component_query",
]
