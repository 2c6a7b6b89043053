"""Demo people: one user per role, all with the demo password, so every view can be tried."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model

from medvigil.accounts import services
from medvigil.accounts.models import Organisation, Team
from medvigil.platform.demo import DEMO_ADMINISTRATOR, demo_password, register_demo_step
from medvigil.platform.roles import Role

DEMO_TEAM = "Device Security"
DEMO_HOSPITAL = "St. Example General Hospital"
DEMO_SUPPLIER = "Embedded Components Ltd."
DEMO_RESEARCH = "Independent Researchers"

# user name, role, printed name, organisation (outside roles)
DEMO_PEOPLE = [
    ("priya", Role.PRODUCT_SECURITY, "Priya Raman", None),
    ("rick", Role.RISK_MANAGER, "Rick Olsen", None),
    ("rachel", Role.REGULATORY, "Rachel Duarte", None),
    ("pascal", Role.PSIRT, "Pascal Nguyen", None),
    ("vera", Role.VIEWER, "Vera Lindqvist", None),
    ("rosa", Role.RESEARCHER, "Rosa Castillo", DEMO_RESEARCH),
    ("carla", Role.CUSTOMER, "Carla Mensah", DEMO_HOSPITAL),
    ("sam", Role.SUPPLIER, "Sam Whitfield", DEMO_SUPPLIER),
]


def team_named(name: str) -> Team:
    existing = Team.objects.filter(name=name).first()
    return existing or services.create_team(name=name, description="Owns the demo devices")


def organisation_named(name: str, kind: str) -> Organisation:
    existing = Organisation.objects.filter(name=name).first()
    return existing or services.create_organisation(name=name, kind=kind)


def administrator_line(model: Any, password: str, team: Team) -> str:
    administrator = model.objects.filter(username=DEMO_ADMINISTRATOR).first()
    if administrator is None:
        services.create_account(
            username=DEMO_ADMINISTRATOR,
            email="admin@example.org",
            roles={Role.ADMINISTRATOR.value},
            password=password,
            teams=[team],
            printed_name="Ada Administrator",
        )
        return f"created administrator {DEMO_ADMINISTRATOR}"
    if not administrator.check_password(password):
        administrator.set_password(password)
        administrator.save(update_fields=["password"])
        return f"reset the password of {DEMO_ADMINISTRATOR} to the demo one"
    return f"administrator {DEMO_ADMINISTRATOR} already present"


def load_people() -> list[str]:
    password, _ = demo_password(Path(settings.MEDVIGIL_HOME))
    team = team_named(DEMO_TEAM)
    organisations = {
        DEMO_HOSPITAL: organisation_named(DEMO_HOSPITAL, Organisation.Kind.CUSTOMER),
        DEMO_SUPPLIER: organisation_named(DEMO_SUPPLIER, Organisation.Kind.SUPPLIER),
        DEMO_RESEARCH: organisation_named(DEMO_RESEARCH, Organisation.Kind.RESEARCH),
    }
    model = get_user_model()
    lines = [administrator_line(model, password, team)]
    lines.append(f"team {DEMO_TEAM}; organisations {', '.join(organisations)}")
    created = 0
    for username, role, printed_name, organisation_name in DEMO_PEOPLE:
        if not model.objects.filter(username=username).exists():
            inside = organisation_name is None
            services.create_account(
                username=username,
                email=f"{username}@example.org",
                roles={role.value},
                password=password,
                teams=[team] if inside else [],
                organisation=organisations[organisation_name] if organisation_name else None,
                printed_name=printed_name,
            )
            created += 1
        lines.append(f"user {username:<7} {role.label} (same password)")
    lines.append(
        f"{created} demo user(s) created; inside users enrol an authenticator at first sign-in"
    )
    return lines


register_demo_step(load_people)
