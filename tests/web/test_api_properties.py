"""Property-based run over the OpenAPI document (schemathesis), as two kinds of token.

Every operation of the document gets generated requests, valid and invalid,
from an administrator's token and from a researcher's (the least privileged
role), over the authorization matrix's world: a portfolio with an SBOM,
findings, a risk file, a disclosure case, advisories and triage decisions.
Path parameters name that world's objects three times out of four. Each
response must not be a server error, must have a documented status and
content type and match its documented schema; a refused request (4xx) must
change no row of any table, the audit trail included. Each request runs in a
savepoint that is rolled back, so every example meets the same world.

Reproduce a failure: the report names the operation, the role and a curl
command; `MEDVIGIL_API_PROPERTY_OPERATION="POST /api/v1/..."` runs only the
operations whose label contains that text.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from typing import Any

import hypothesis
import pytest
import schemathesis
from django.db import transaction
from hypothesis import HealthCheck, Phase, given
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from medvigil.accounts import tokens
from medvigil.api import api
from tests.security.world import build_world
from tests.web.api_properties import (
    InProcessApplication,
    changed_tables,
    fingerprint,
    project_tables,
)

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Examples per operation and token; 142 operations x 2 tokens on a 2-core machine.
EXAMPLES = int(os.environ.get("MEDVIGIL_API_PROPERTY_EXAMPLES", "10"))
ONLY = os.environ.get("MEDVIGIL_API_PROPERTY_OPERATION", "")
# Deterministic: the same examples on every run and machine, nothing stored between runs.
SETTINGS = hypothesis.settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)
ROLES = ("administrator", "researcher")
# A body field that names an object gets the world's object as often as a path does.
BODY_IDENTIFIERS = {"team_id", "version_id", "finding_id", "organisation_id", "risk_id"}


def document_schema() -> Any:
    document = api.get_openapi_schema()
    return schemathesis.openapi.from_dict(document)


def world_values(world: Any, token_id: str) -> dict[str, str]:
    values = dict(world.own)
    values["token_id"] = token_id
    return values


def aim(case: Any, values: dict[str, str]) -> None:
    """Point the case's path (and identifying body fields) at the world's objects."""
    for name in list(case.path_parameters or {}):
        if name in values:
            case.path_parameters[name] = values[name]
    if isinstance(case.body, dict):
        for name in BODY_IDENTIFIERS & set(case.body):
            if isinstance(case.body[name], int) and values.get(name, "").isdigit():
                case.body[name] = int(values[name])


class Run:
    def __init__(self, role: str, secret: str, values: dict[str, str]) -> None:
        self.role = role
        self.headers = {"Authorization": f"Bearer {secret}"}
        self.values = values
        self.application = InProcessApplication()
        self.tables = project_tables()
        self.baseline = fingerprint(self.tables)
        self.statuses: Counter[str] = Counter()

    def send(self, case: Any, aimed: bool) -> None:
        if aimed:
            aim(case, self.values)
        self.application.errors.clear()
        with transaction.atomic():
            response = case.call(app=self.application, headers=self.headers)
            changed = (
                changed_tables(self.baseline, fingerprint(self.tables))
                if 400 <= response.status_code < 500
                else []
            )
            transaction.set_rollback(True)
        self.statuses[f"{response.status_code // 100}xx"] += 1
        detail = "".join(self.application.errors)[-3000:]
        try:
            case.validate_response(response, checks=CHECKS, headers=self.headers)
        except (Exception, BaseExceptionGroup) as error:
            error.add_note(f"as {self.role}\n{detail}")
            raise
        assert changed == [], (
            f"{case.operation.label} as {self.role} refused ({response.status_code}) "
            f"but changed {changed}:\n{case.as_curl_command(headers=self.headers)}"
        )

    def explore(self, operation: Any) -> None:
        cases = st.one_of(
            operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
            operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
        )

        @SETTINGS
        @given(case=cases, aimed=st.sampled_from([True, True, True, False]))
        def example(case: Any, aimed: bool) -> None:
            self.send(case, aimed)

        example()


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_holds_its_documented_contract(role: str) -> None:
    world = build_world()
    user = world.users[role]
    issued = tokens.issue_token(user, name="property run", scope="write", lifetime_days=5)
    # The first use of a token records itself once; later requests only touch its last use.
    tokens.authenticate_token(issued.secret, "127.0.0.1")
    run = Run(role, issued.secret, world_values(world, str(issued.token.pk)))
    schema = document_schema()
    operations = [
        result.ok() for result in schema.get_all_operations() if ONLY in result.ok().label
    ]
    started = time.monotonic()
    failures = []
    for operation in operations:
        try:
            run.explore(operation)
        except (Exception, BaseExceptionGroup) as error:  # schemathesis groups its failures
            notes = "\n".join(getattr(error, "__notes__", []))
            failures.append(f"{operation.label}: {error}\n{notes}")
    elapsed = time.monotonic() - started
    examples = sum(run.statuses.values())
    answers = ", ".join(f"{count} {kind}" for kind, count in sorted(run.statuses.items()))
    print(
        f"API property run as {role}: {len(operations)} operations, "
        f"{examples} examples ({answers}) in {elapsed:.0f} s"
    )
    assert len(operations) > 100 or ONLY
    assert failures == [], f"{len(failures)} operations failed:\n\n" + "\n\n".join(failures)
