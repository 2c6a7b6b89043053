"""The lifecycle of a version: which phase may follow which.

A version moves forward, one phase at a time, from design to
decommissioned. Three exceptions follow how devices really live:

- verification may go back to development when verification fails;
- deployed and maintenance alternate: a version in the field enters
  maintenance (only corrective releases) and may return to deployed when it
  is put back on sale, and a deployed version may reach end of support
  directly;
- a version that never shipped (design, development, verification) may be
  decommissioned: the project was stopped.

A version may be created directly in any phase (to record a release that
existed before medvigil); its first transition then starts from nothing.
"""

from __future__ import annotations

from medvigil.portfolio.models import LifecyclePhase

Phase = LifecyclePhase

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Phase.DESIGN: frozenset({Phase.DEVELOPMENT, Phase.DECOMMISSIONED}),
    Phase.DEVELOPMENT: frozenset({Phase.VERIFICATION, Phase.DECOMMISSIONED}),
    Phase.VERIFICATION: frozenset({Phase.PRODUCTION, Phase.DEVELOPMENT, Phase.DECOMMISSIONED}),
    Phase.PRODUCTION: frozenset({Phase.DISTRIBUTION}),
    Phase.DISTRIBUTION: frozenset({Phase.DEPLOYED}),
    Phase.DEPLOYED: frozenset({Phase.MAINTENANCE, Phase.END_OF_SUPPORT}),
    Phase.MAINTENANCE: frozenset({Phase.DEPLOYED, Phase.END_OF_SUPPORT}),
    Phase.END_OF_SUPPORT: frozenset({Phase.DECOMMISSIONED}),
    Phase.DECOMMISSIONED: frozenset(),
}

# Customers can own units only of a version that has reached them.
DEPLOYABLE_PHASES = frozenset(
    {Phase.DISTRIBUTION, Phase.DEPLOYED, Phase.MAINTENANCE, Phase.END_OF_SUPPORT}
)

# Reaching a phase fills the matching date when it is still empty.
DATE_SET_ON_ENTRY = {
    Phase.DISTRIBUTION: "release_date",
    Phase.END_OF_SUPPORT: "end_of_support_date",
    Phase.DECOMMISSIONED: "end_of_life_date",
}


def next_phases(phase: str) -> list[str]:
    """The phases a version in `phase` may move to, in lifecycle order."""
    allowed = ALLOWED_TRANSITIONS.get(phase, frozenset())
    return [choice for choice in Phase.values if choice in allowed]


def is_allowed(from_phase: str, to_phase: str) -> bool:
    return to_phase in ALLOWED_TRANSITIONS.get(from_phase, frozenset())


def label(phase: str) -> str:
    return str(Phase(phase).label) if phase in Phase.values else phase
