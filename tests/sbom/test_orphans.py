"""A file left by an SBOM import killed before its commit is swept; referenced files stay."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from medvigil.sbom.orphans import sweep_orphaned_files
from tests import factories
from tests.conftest import REPOSITORY

pytestmark = pytest.mark.django_db
DEMO_SBOMS = REPOSITORY / "src/medvigil/sbom/demo_data"


def test_files_no_document_references_are_swept_after_the_grace_period() -> None:
    version = factories.sbom_version(version="1.2.0")
    document = factories.sbom_document(version, DEMO_SBOMS / "aic-app-1.2.0.cdx.json")
    # What a killed import leaves: its file written, its document never committed.
    orphan = default_storage.save("sbom/ab/abcdef-killed.cdx.json", ContentFile(b"{}"))

    assert sweep_orphaned_files(now=timezone.now()) == []  # still young: maybe an import running
    later = timezone.now() + timedelta(hours=2)
    assert sweep_orphaned_files(now=later) == [orphan]
    assert not default_storage.exists(orphan)
    assert default_storage.exists(document.file.name)
