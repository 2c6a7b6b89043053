"""Advisories and CVE ids follow the team of the case's products (issue 19, defect 5)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from medvigil.disclosure.advisories import services as advisory_services
from medvigil.disclosure.advisories.models import Advisory
from medvigil.platform.roles import Role
from tests import factories
from tests.disclosure.advisory_helpers import advisory_data, cve_data, people_and_case

pytestmark = pytest.mark.django_db
BODY = {"title": "Changed by a stranger", "summary": "Nothing."}


def test_product_security_of_another_team_neither_sees_nor_writes_the_advisory() -> None:
    world = people_and_case()
    advisory_services.record_cve(world.case, world.reviewer, cve_data())
    advisory = advisory_services.create_advisory(world.case, world.author, advisory_data(world))
    stranger = factories.user(
        roles={Role.PRODUCT_SECURITY.value}, teams=[factories.team("Another team")]
    )
    client = factories.sign_in(Client(), stranger)
    base = "/api/v1/disclosure/advisories"
    edited = client.put(f"{base}/{advisory.pk}", json.dumps(BODY), "application/json")
    created = client.post(f"{base}/cases/{world.case.pk}", json.dumps(BODY), "application/json")
    assert (edited.status_code, created.status_code) == (404, 404)
    assert world.case.number not in created.content.decode()
    assert client.get(f"{base}/{advisory.pk}").status_code == 404
    assert client.get(base).json()["items"] == []
    page = client.get(f"/advisories/manage/{advisory.pk}/")
    posted = client.post(f"/advisories/manage/{advisory.pk}/", {"title": "x", "summary": "y"})
    new = client.post(f"/advisories/manage/cases/{world.case.pk}/new", BODY)
    assert (page.status_code, posted.status_code, new.status_code) == (404, 404, 404)
    listed = client.get("/advisories/manage/").content.decode()
    assert world.case.number not in listed
    assert advisory.tracking_id not in listed
    advisory.refresh_from_db()
    assert advisory.title == advisory_data(world).title
    assert Advisory.objects.count() == 1
    # The author's own team still works on both.
    author = factories.sign_in(Client(), world.author)
    assert author.get(f"{base}/{advisory.pk}").status_code == 200
    assert author.get(f"/advisories/manage/{advisory.pk}/").status_code == 200
