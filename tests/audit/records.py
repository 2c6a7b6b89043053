"""Records that the audit tests point at: a product of a team, and a team member."""

from __future__ import annotations

from typing import Any

from medvigil.accounts.models import Team
from medvigil.platform.roles import Role
from medvigil.portfolio.models import Product
from tests import factories


def team_member(team: Team, role: str = Role.VIEWER, username: str | None = None) -> Any:
    return factories.user(username=username, roles=[role], teams=[team])


def product(name: str = "Infusion pump", created_by: Any = None) -> Product:
    team = Team.objects.filter(name="Pumps").first() or factories.team("Pumps")
    return Product.objects.create(
        name=name,
        model_number=f"{name[:3].upper()}-{Product.objects.count() + 1}",
        intended_use="Delivers fluids to patients.",
        team=team,
        created_by=created_by,
    )
