"""Fixtures of the disclosure tests: a private keyring home, reporters and handlers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from medvigil.disclosure.intake import services
from medvigil.disclosure.keys import openpgp
from medvigil.platform.roles import Role
from tests import factories


@pytest.fixture(autouse=True)
def private_keyring(settings: Any, tmp_path: Path) -> Iterator[Path]:
    """Each test gets its own gpg home (no key unless it asks for one)."""
    home = tmp_path / "gnupg"
    settings.DISCLOSURE_GNUPG_HOME = home
    yield home
    if home.exists():
        openpgp.stop_agent(home)


@pytest.fixture
def disclosure_key(private_keyring: Path) -> str:
    return openpgp.generate_key("PSIRT test key", "psirt@example.org", expire="1d")


@pytest.fixture
def psirt(db: Any) -> Any:
    return factories.user(username="handler", roles={Role.PSIRT.value}, teams=[factories.team()])


def researcher(name: str) -> Any:
    return factories.user(
        username=name,
        roles={Role.RESEARCHER.value},
        organisation=factories.organisation("research", f"{name} research"),
    )


@pytest.fixture
def rosa(db: Any) -> Any:
    return researcher("rosa-test")


@pytest.fixture
def ivan(db: Any) -> Any:
    return researcher("ivan-test")


def submitted(reporter: Any = None, **values: Any) -> services.Receipt:
    data = {"title": "Telnet open", "description": "Port 23 answers with a login prompt.", **values}
    return services.submit_report(
        services.ReportData(**data), reporter_user=reporter, address="198.51.100.7"
    )


def signed_in(person: Any) -> Client:
    return factories.sign_in(Client(), person)
