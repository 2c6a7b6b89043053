"""Any notification or party input through the API: stored whole, or refused storing nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medvigil.disclosure.notifications.models import Notification
from medvigil.disclosure.parties.models import CaseParty
from tests.disclosure.conftest import signed_in, submitted

pytestmark = pytest.mark.django_db
FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def case(db: Any) -> Any:
    return submitted().case


moments = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.datetimes(timezones=st.none() | st.timezones()).map(lambda moment: moment.isoformat()),
    st.integers(),
)
notification_payloads = st.fixed_dictionaries(
    {
        "recipient": st.sampled_from(["fda", "cisa", "enisa", "bsi", "", "FDA", "nobody"]),
        "rule": st.sampled_from(["cra-early-warning", "fda-806", "coordinator", "x", ""]),
    },
    optional={
        "started_at": moments,
        "sent_at": moments,
        "content": st.text(max_size=200),
        "reference": st.text(max_size=250),
        "recipient_name": st.text(max_size=250) | st.integers(),
    },
)


@FUZZ
@given(payload=notification_payloads)
def test_any_notification_payload_is_stored_whole_or_refused(
    psirt: Any, case: Any, payload: Any
) -> None:
    before = Notification.objects.count()
    url = f"/api/v1/disclosure/cases/{case.pk}/notifications"
    response = signed_in(psirt).post(url, json.dumps(payload), content_type="application/json")
    assert response.status_code in (201, 400, 422), response.content
    stored = Notification.objects.count() - before
    assert stored == (1 if response.status_code == 201 else 0)
    if response.status_code == 201:
        assert response.json()["recipient"] == payload["recipient"]


party_payloads = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["supplier", "coordinator", "hospital", "manufacturer", "x"]),
        "name": st.text(max_size=250),
    },
    optional={
        "account": st.none() | st.text(max_size=20),
        "with_link": st.booleans(),
        "sees_report": st.booleans(),
    },
)


@FUZZ
@given(payload=party_payloads)
def test_any_party_payload_is_stored_whole_or_refused(psirt: Any, case: Any, payload: Any) -> None:
    before = CaseParty.objects.count()
    url = f"/api/v1/disclosure/cases/{case.pk}/parties"
    response = signed_in(psirt).post(url, json.dumps(payload), content_type="application/json")
    assert response.status_code in (201, 400, 409, 422), response.content
    assert CaseParty.objects.count() - before == (1 if response.status_code == 201 else 0)
