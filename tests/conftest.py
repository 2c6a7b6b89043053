"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]


def shared_data_directory() -> Path:
    """The public data set the tests read in place (read-only).

    `MEDVIGIL_SHARED_DATA` overrides the default `../shared/data` beside the
    repository. A missing folder is an error, never a skip.
    """
    configured = os.environ.get("MEDVIGIL_SHARED_DATA")
    path = Path(configured) if configured else REPOSITORY.parent / "shared" / "data"
    if not path.is_dir():
        raise RuntimeError(
            f"public test data not found at {path}; set MEDVIGIL_SHARED_DATA to its folder"
        )
    return path


@pytest.fixture(scope="session")
def shared_data() -> Path:
    return shared_data_directory()


@pytest.fixture(autouse=True)
def private_document_store(settings: Any, tmp_path: Path) -> None:
    """Each test writes documents and feed caches into its own folder."""
    settings.MEDIA_ROOT = tmp_path / "documents"
    settings.FEED_CACHE_DIRECTORY = tmp_path / "feeds"
