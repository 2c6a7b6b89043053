"""Builders of test data that go through the same paths as users do."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from medvigil.accounts import services as account_services
from medvigil.accounts.models import Organisation, Team
from medvigil.platform.roles import Role

PASSWORD = "correct horse battery staple 42"
_numbers = itertools.count(1)


def team(name: str | None = None) -> Team:
    return account_services.create_team(name=name or f"Team {next(_numbers)}")


def organisation(kind: str = "customer", name: str | None = None) -> Organisation:
    return account_services.create_organisation(
        name=name or f"{kind.title()} organisation {next(_numbers)}", kind=kind
    )


def user(
    *,
    administrator: bool = False,
    username: str | None = None,
    roles: Iterable[str] | None = None,
    teams: Iterable[Team] = (),
    organisation: Organisation | None = None,
) -> Any:
    """A user with a usable password; a Viewer unless roles (or administrator) are given."""
    name = username or f"user{next(_numbers)}"
    chosen = set(roles) if roles is not None else {Role.VIEWER.value}
    if administrator:
        chosen = {Role.ADMINISTRATOR.value}
    return account_services.create_account(
        username=name,
        email=f"{name}@example.org",
        roles=chosen,
        password=PASSWORD,
        teams=teams,
        organisation=organisation,
        printed_name=f"{name.title()} Example",
    )


def sign_in(client: Client, person: Any) -> Client:
    """A session as after password and, for inside users, the authenticator code."""
    client.force_login(person)
    device, _ = TOTPDevice.objects.get_or_create(
        user=person, confirmed=True, defaults={"name": "test authenticator"}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def sbom_version(
    *, owner: Team | None = None, model_number: str | None = None, version: str = "1.0"
) -> Any:
    """A product version (with its product) made through the portfolio services."""
    from medvigil.portfolio import services as portfolio_services
    from medvigil.portfolio.models import Product

    number = next(_numbers)
    model = model_number or f"MODEL-{number}"
    product = Product.objects.filter(model_number=model).first()
    if product is None:
        owning_team = owner or team()
        creator = user(roles=[Role.PRODUCT_SECURITY.value], teams=[owning_team])
        product = portfolio_services.create_product(
            user=creator,
            team=owning_team,
            values={"name": f"Device {number}", "model_number": model},
        )
    creator = product.created_by or user(administrator=True)
    return portfolio_services.create_version(product, user=creator, values={"version": version})


def sbom_document(version: Any, path: Any, role: str = "firmware", user: Any = None) -> Any:
    """An SBOM file imported into `version` through the service."""
    from pathlib import Path

    from medvigil.sbom import services as sbom_services

    source = Path(path)
    return sbom_services.import_sbom(version, source.read_bytes(), source.name, role, user)


def product(*, owner: Team | None = None, **values: Any) -> Any:
    """A product made through the portfolio service, owned by `owner` (a new team by default)."""
    from medvigil.portfolio import services as portfolio_services

    number = next(_numbers)
    chosen = {"name": f"Device {number}", "model_number": f"MODEL-{number}", **values}
    return portfolio_services.create_product(user=None, team=owner or team(), values=chosen)


def version(of: Any, *, label: str | None = None, phase: str = "design", **values: Any) -> Any:
    """A version of product `of`, created directly in `phase` (dated today)."""
    from medvigil.portfolio import services as portfolio_services

    chosen = {"version": label or f"{next(_numbers)}.0", **values}
    return portfolio_services.create_version(of, user=None, values=chosen, phase=phase)


def demo_feed_folder() -> Any:
    """The small real vulnerability feed kept in the project (OSV, KEV subset, EPSS)."""
    from medvigil.vulns.demo import demo_feed_folder as folder

    return folder()


def feed_import(target: Any, kind: str = "auto", **options: Any) -> Any:
    """A feed file, folder or bytes imported through the service (no re-match queued)."""
    from medvigil.vulns import services as vulns_services

    options.setdefault("rematch", False)
    return vulns_services.import_feed(target, kind, **options)
