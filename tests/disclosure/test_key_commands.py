"""`medvigil disclosure key generate|show|export` as a user runs them, on a real keyring."""

from __future__ import annotations

from pathlib import Path

import gnupg

from medvigil.disclosure.keys import openpgp
from tests.cli import run_cli


def stop_agents(home: Path) -> None:
    openpgp.stop_agent(openpgp.short_path(home / "gnupg"))


def test_the_key_is_created_once_shown_and_exported_for_researchers(
    migrated_home: Path, tmp_path: Path
) -> None:
    try:
        missing = run_cli(migrated_home, "disclosure", "key", "show")
        assert missing.returncode == 1
        assert "No disclosure key" in missing.stderr
        made = run_cli(
            migrated_home,
            "disclosure",
            "key",
            "generate",
            "--name",
            "Acme Medical PSIRT",
            "--email",
            "psirt@acme.example",
        )
        assert made.returncode == 0, made.stderr
        assert "created for Acme Medical PSIRT <psirt@acme.example>" in made.stdout
        again = run_cli(
            migrated_home,
            "disclosure",
            "key",
            "generate",
            "--name",
            "Other",
            "--email",
            "other@acme.example",
        )
        assert again.returncode == 1
        assert "already exists" in again.stderr
        shown = run_cli(migrated_home, "disclosure", "key", "show")
        assert shown.returncode == 0
        fingerprint = shown.stdout.split()[1]
        assert len(fingerprint) == 40
        exported = tmp_path / "psirt.asc"
        written = run_cli(migrated_home, "disclosure", "key", "export", "-o", str(exported))
        assert written.returncode == 0
        (tmp_path / "researcher").mkdir(mode=0o700)
        researcher_home = openpgp.short_path(tmp_path / "researcher")
        researcher = gnupg.GPG(gnupghome=str(researcher_home))
        imported = researcher.import_keys(exported.read_text(encoding="ascii"))
        assert imported.fingerprints == [fingerprint]
        assert not researcher.list_keys(secret=True)  # only the public half left the server
        trail = run_cli(migrated_home, "audit", "export", "--format", "json")
        assert "disclosure.key-created" in trail.stdout
        assert fingerprint in trail.stdout
    finally:
        stop_agents(migrated_home)
        if (tmp_path / "researcher").exists():
            openpgp.stop_agent(openpgp.short_path(tmp_path / "researcher"))


def test_unusable_names_addresses_and_lifetimes_are_refused_and_nothing_is_made(
    migrated_home: Path,
) -> None:
    try:
        for options, reason in (
            (["--name", "PSIRT <x>", "--email", "psirt@acme.example"], "plain ASCII"),
            (["--name", "PSIRT", "--email", "not-an-address"], "not an email address"),
            (
                ["--name", "PSIRT", "--email", "psirt@acme.example", "--expire", "forever"],
                "not a lifetime",
            ),
        ):
            refused = run_cli(migrated_home, "disclosure", "key", "generate", *options)
            assert refused.returncode == 1
            assert reason in refused.stderr
        assert run_cli(migrated_home, "disclosure", "key", "show").returncode == 1
    finally:
        stop_agents(migrated_home)
