"""Threat-model uploads within limits: YAML bombs refused in bounded memory, nothing stored.

Before: a 700 KB model whose 100,000 aliases pointed at one 400 KB text was
read, and writing it back out (as every upload is stored) grew past any
memory bound (40 GB of text); a model holding ``"\\0"`` was read, and
PostgreSQL refused it only when stored.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from medvigil.audit.models import AuditEvent
from medvigil.riskfile.models import ThreatModel
from tests import factories
from tests.bounded import MEGABYTE, run_measured
from tests.riskfile.bombs import BOMBS, EXPECTED
from tests.riskfile.conftest import Place


def test_yaml_bombs_are_refused_within_a_memory_and_time_bound() -> None:
    lines, peak = run_measured(
        """
import json
from medvigil.core.threats import ThreatModelError, read_model, write_model
from tests.riskfile.bombs import BOMBS as bombs
""",
        """
for label, text in bombs.items():
    try:
        write_model(read_model(text))  # what an upload stores
    except ThreatModelError as error:
        problem = error.problems[0]
        print(json.dumps([label, problem.path, problem.message]))
    else:
        print(json.dumps([label, "", "read"]))
""",
        memory_bytes=512 * MEGABYTE,
    )
    refused = {label: (path, message) for label, path, message in map(json.loads, lines)}
    assert set(refused) == set(BOMBS)
    for label, message in EXPECTED.items():
        assert refused[label][1].startswith(message), (label, refused[label])
    assert refused["NUL"][0] == "name"
    assert peak < 300 * MEGABYTE, peak  # before: past the 512 MB bound, the child died


@pytest.mark.django_db
@pytest.mark.parametrize("label", sorted(BOMBS))
def test_a_bomb_uploaded_through_the_api_is_a_problem_and_stores_nothing(
    place: Place, label: str
) -> None:
    stored = ThreatModel.objects.get(version=place.version)
    client = factories.sign_in(Client(), place.engineer)
    events = AuditEvent.objects.count()
    response = client.put(
        f"/api/v1/riskfile/versions/{place.version.pk}/model",
        json.dumps({"yaml": BOMBS[label]}),
        "application/json",
    )
    assert response.status_code == 422, response.content[:300]
    problem = response.json()
    assert problem["type"] == "/api/v1/problems/validation"
    assert problem["errors"][0]["message"].startswith(EXPECTED[label])
    assert ThreatModel.objects.get(version=place.version).document == stored.document
    assert AuditEvent.objects.count() == events
