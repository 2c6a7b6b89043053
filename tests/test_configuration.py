"""Settings come from the environment, with safe defaults and clear refusals."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from medvigil.configuration import ConfigurationError, read_configuration


def environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {"MEDVIGIL_HOME": str(tmp_path / "home"), **extra}


def test_defaults_are_an_embedded_secure_installation(tmp_path: Path) -> None:
    configuration = read_configuration(environment(tmp_path))
    assert configuration.home == (tmp_path / "home").resolve()
    assert configuration.database["ENGINE"] == "django.db.backends.sqlite3"
    assert configuration.database["NAME"] == str(configuration.home / "medvigil.sqlite3")
    assert configuration.debug is False
    assert configuration.behind_tls is False
    assert configuration.allowed_hosts == ("127.0.0.1", "localhost", "[::1]")


def test_home_defaults_to_dot_medvigil_in_the_user_home(tmp_path: Path) -> None:
    configuration = read_configuration({"HOME": str(tmp_path)})
    assert configuration.home == tmp_path / ".medvigil"
    assert (tmp_path / ".medvigil" / "secret_key").exists()


def test_secret_key_is_generated_once_private_and_reused(tmp_path: Path) -> None:
    first = read_configuration(environment(tmp_path)).secret_key
    key_file = tmp_path / "home" / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first) >= 50
    assert read_configuration(environment(tmp_path)).secret_key == first


def test_given_secret_key_wins_and_nothing_is_written(tmp_path: Path) -> None:
    key = "k" * 60
    configuration = read_configuration(environment(tmp_path, MEDVIGIL_SECRET_KEY=key))
    assert configuration.secret_key == key
    assert not (tmp_path / "home" / "secret_key").exists()


def test_short_secret_key_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="at least 50 characters"):
        read_configuration(environment(tmp_path, MEDVIGIL_SECRET_KEY="short"))


def test_database_url_selects_postgresql(tmp_path: Path) -> None:
    configuration = read_configuration(
        environment(tmp_path, DATABASE_URL="postgres://medvigil:secret@db.example:5433/medvigil")
    )
    database = configuration.database
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"], database["NAME"]) == (
        "db.example",
        5433,
        "medvigil",
    )
    assert (database["USER"], database["PASSWORD"]) == ("medvigil", "secret")


def test_unsupported_database_url_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="DATABASE_URL must start with"):
        read_configuration(environment(tmp_path, DATABASE_URL="mysql://x@y/z"))


@pytest.mark.parametrize(("word", "expected"), [("1", True), ("yes", True), ("off", False)])
def test_debug_words(tmp_path: Path, word: str, expected: bool) -> None:
    assert read_configuration(environment(tmp_path, MEDVIGIL_DEBUG=word)).debug is expected


def test_unreadable_boolean_is_refused_with_its_name(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="MEDVIGIL_TLS must be true or false"):
        read_configuration(environment(tmp_path, MEDVIGIL_TLS="maybe"))


def test_allowed_hosts_and_trusted_origins_are_lists(tmp_path: Path) -> None:
    configuration = read_configuration(
        environment(
            tmp_path,
            MEDVIGIL_ALLOWED_HOSTS="medvigil.example.org, .example.org",
            MEDVIGIL_TRUSTED_ORIGINS="https://medvigil.example.org",
        )
    )
    assert configuration.allowed_hosts == ("medvigil.example.org", ".example.org")
    assert configuration.trusted_origins == ("https://medvigil.example.org",)


def test_email_goes_to_the_console_unless_a_server_is_given(tmp_path: Path) -> None:
    console = read_configuration(environment(tmp_path))
    assert console.email_backend.endswith("console.EmailBackend")
    smtp = read_configuration(
        environment(tmp_path, MEDVIGIL_EMAIL_HOST="smtp.example.org", MEDVIGIL_EMAIL_PORT="465")
    )
    assert smtp.email_backend.endswith("smtp.EmailBackend")
    assert (smtp.email_host, smtp.email_port) == ("smtp.example.org", 465)


def test_bad_email_port_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="MEDVIGIL_EMAIL_PORT"):
        read_configuration(environment(tmp_path, MEDVIGIL_EMAIL_PORT="99999"))


def test_the_manufacturer_and_its_public_address_name_every_published_document(
    tmp_path: Path,
) -> None:
    unset = read_configuration(environment(tmp_path))
    assert (unset.manufacturer, unset.public_url) == ("the manufacturer", "")
    named = read_configuration(
        environment(
            tmp_path,
            MEDVIGIL_MANUFACTURER=" Acme Medical ",
            MEDVIGIL_PUBLIC_URL="https://psirt.acme.example/",
        )
    )
    assert (named.manufacturer, named.public_url) == ("Acme Medical", "https://psirt.acme.example")


@pytest.mark.parametrize("name", ["MEDVIGIL_PUBLIC_URL", "MEDVIGIL_TRIAGE_WEBHOOK_URL"])
def test_an_address_that_is_not_http_is_refused_with_its_name(tmp_path: Path, name: str) -> None:
    with pytest.raises(ConfigurationError, match=f"{name} must be an http"):
        read_configuration(environment(tmp_path, **{name: "file:///etc/passwd"}))
