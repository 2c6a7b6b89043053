"""Secrets at rest and in caches (issue 19, defect 12).

Before: the home was created 0755 and the SQLite database (sessions, second-factor
keys, recovery codes) 0644; responses to signed-in users had no Cache-Control.
"""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from django.test import Client

from medvigil.configuration import read_configuration
from tests import factories


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_home_is_private_to_its_owner(tmp_path: Path) -> None:
    home = tmp_path / "home"
    read_configuration({"MEDVIGIL_HOME": str(home)})
    assert mode(home) == 0o700
    assert mode(home / "medvigil.sqlite3") == 0o600
    assert mode(home / "secret_key") == 0o600
    assert mode(home / "disclosure_key") == 0o600


def test_an_open_home_is_closed_on_start_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    home = tmp_path / "home"
    (home / "documents" / "sbom").mkdir(parents=True)
    (home / "static").mkdir()
    for folder in (home, home / "documents", home / "documents" / "sbom"):
        folder.chmod(0o755)
    for path in (home / "medvigil.sqlite3", home / "secret_key", home / "documents/sbom/a.json"):
        path.write_text("x" * 60)
        path.chmod(0o644)
    (home / "static" / "site.css").write_text("")
    read_configuration({"MEDVIGIL_HOME": str(home)})
    for folder in (home, home / "documents", home / "documents" / "sbom"):
        assert mode(folder) == 0o700, folder
    for path in (home / "medvigil.sqlite3", home / "secret_key", home / "documents/sbom/a.json"):
        assert mode(path) == 0o600, path
    assert "medvigil.sqlite3 was readable by other users" in caplog.text


def test_stored_documents_are_written_for_their_owner_only(settings: object) -> None:
    assert getattr(settings, "FILE_UPLOAD_PERMISSIONS") == 0o600  # noqa: B009
    assert getattr(settings, "FILE_UPLOAD_DIRECTORY_PERMISSIONS") == 0o700  # noqa: B009


@pytest.mark.django_db
def test_responses_to_a_signed_in_user_or_a_token_or_a_secret_link_are_not_stored() -> None:
    client = factories.sign_in(Client(), factories.user(administrator=True))
    for url in ("/", "/api/v1/portfolio/products", "/api/v1/no-such-thing"):
        assert "no-store" in client.get(url).get("Cache-Control", ""), url
    anonymous = Client()
    assert "no-store" in anonymous.get("/disclosure/follow-up/abc").get("Cache-Control", "")
    assert "no-store" in anonymous.get("/password-reset/MQ/abc-def/").get("Cache-Control", "")
    with_token = anonymous.get("/api/v1/portfolio/products", HTTP_AUTHORIZATION="Bearer nothing")
    assert "no-store" in with_token.get("Cache-Control", "")
