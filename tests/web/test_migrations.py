"""Migrations run from empty and back on the database the suite runs on."""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command
from django.db import connection


def test_the_suite_runs_on_the_expected_database(db: None) -> None:
    expected = os.environ.get("MEDVIGIL_EXPECT_DATABASE", "sqlite")
    assert connection.vendor == expected


@pytest.mark.django_db(transaction=True)
def test_platform_tables_can_be_removed_and_created_again() -> None:
    call_command("migrate", "web", "zero", verbosity=0)
    assert "web_workerheartbeat" not in connection.introspection.table_names()
    call_command("migrate", verbosity=0)
    assert "web_workerheartbeat" in connection.introspection.table_names()
