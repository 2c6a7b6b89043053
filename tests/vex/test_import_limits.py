"""VEX uploads within limits: bombs of each format refused in bounded memory, nothing stored.

Before: an array of three million empty entries (9 MB, under the upload
limit) peaked at 700 MB while its NUL check spelled out the path of every
value; now 272 MB, the decoded JSON itself.
"""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from medvigil.audit.models import AuditEvent
from medvigil.triage.models import Proposal
from medvigil.vex import services
from medvigil.vex.models import SupplierVex
from tests import factories
from tests.bounded import MEGABYTE, run_measured
from tests.vex.bombs import LABELS, bomb, expected
from tests.vex.conftest import Portfolio


def test_bombs_of_each_format_are_refused_within_a_memory_and_time_bound() -> None:
    lines, peak = run_measured(
        """
import json
from medvigil.core.vex import VexFormatError, read_vex
from tests.vex.bombs import LABELS, bomb
""",
        """
for label in LABELS:
    try:
        read_vex(bomb(label), source="upload.json")
    except VexFormatError as error:
        print(json.dumps([label, str(error)]))
    else:
        print(json.dumps([label, "read"]))
""",
        memory_bytes=512 * MEGABYTE,
    )
    refused = dict(map(json.loads, lines))
    assert list(refused) == LABELS
    for label, message in refused.items():
        assert message.startswith("upload.json: ")
        assert expected(label) in message, (label, message)
    assert peak < 400 * MEGABYTE, peak


def post(portfolio: Portfolio, content: bytes, name: str = "upload.json") -> object:
    client = factories.sign_in(Client(), portfolio.engineer)
    return client.post(
        f"/api/v1/vex/versions/{portfolio.application.pk}/documents",
        {"file": SimpleUploadedFile(name, content, "application/json")},
    )


def nothing_stored() -> bool:
    return not (
        SupplierVex.objects.exists()
        or Proposal.objects.exists()
        or AuditEvent.objects.filter(action="vex.imported").exists()
    )


@pytest.mark.django_db
@pytest.mark.parametrize("label", [label for label in LABELS if "wide" not in label])
def test_a_bomb_uploaded_through_the_api_is_a_problem_and_stores_nothing(
    portfolio: Portfolio, label: str
) -> None:
    response = post(portfolio, bomb(label))
    assert response.status_code == 422, response.content[:300]  # type: ignore[attr-defined]
    problem = response.json()  # type: ignore[attr-defined]
    assert problem["type"] == "/api/v1/problems/validation"
    assert problem["errors"][0]["location"] == ["file"]
    assert expected(label) in problem["errors"][0]["message"]
    assert nothing_stored()


@pytest.mark.django_db
def test_an_oversized_upload_is_refused_as_too_large(portfolio: Portfolio) -> None:
    content = b'{"bomFormat": "CycloneDX", "x": "' + b"x" * services.MAX_DOCUMENT_BYTES + b'"}'
    response = post(portfolio, content)
    assert response.status_code == 413  # type: ignore[attr-defined]
    problem = response.json()  # type: ignore[attr-defined]
    assert problem["type"] == "/api/v1/problems/too-large"
    assert "over the limit of 10485760 bytes" in problem["detail"]
    assert nothing_stored()
