"""The hash chain: record() appends a verifiable chain; the database refuses changes."""

from __future__ import annotations

import hashlib
import itertools
import json

import pytest
from django.db import DatabaseError, connection, transaction

from medvigil.audit import chain
from medvigil.audit.context import Actor
from medvigil.audit.models import AuditEvent
from medvigil.audit.services import record, verify_chain
from tests import factories
from tests.audit.tampering import triggers_dropped

pytestmark = pytest.mark.django_db


def fill(count: int) -> list[AuditEvent]:
    actor = Actor(label="writer", request_id="r-1", client_address="192.0.2.7")
    return [
        record(
            "product-changed",
            ("portfolio.product", str(number)),
            details={"n": number},
            actor=actor,
        )
        for number in range(1, count + 1)
    ]


def test_record_builds_a_chain_that_verifies() -> None:
    events = fill(5)
    assert [event.sequence for event in events] == [1, 2, 3, 4, 5]
    assert events[0].previous_hash == chain.GENESIS_HASH
    for earlier, later in itertools.pairwise(events):
        assert later.previous_hash == earlier.hash
    verification = verify_chain()
    assert verification.intact
    assert verification.checked == 5


def test_the_hash_is_sha256_of_the_previous_hash_and_the_canonical_json() -> None:
    event = fill(1)[0]
    stored = AuditEvent.objects.values(*chain.CHAINED_FIELDS).get(pk=event.pk)
    document = dict(stored, occurred_at=stored["occurred_at"].isoformat(timespec="microseconds"))
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    expected = hashlib.sha256(chain.GENESIS_HASH.encode() + canonical.encode()).hexdigest()
    assert event.hash == expected
    assert '"actor_label":"writer"' in canonical
    assert '"details":{"n":1}' in canonical


def test_an_event_names_its_user(db: None) -> None:
    user = factories.user(username="writer")
    event = record(
        "product-changed", ("portfolio.product", "1"), actor=Actor(user=user, label="writer")
    )
    assert (event.actor_id, event.actor_label) == (user.pk, "writer")
    assert verify_chain().intact


def test_the_database_refuses_update() -> None:
    fill(2)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(sequence=1).update(action="nothing-happened")
    assert AuditEvent.objects.get(sequence=1).action == "product-changed"


def test_the_database_refuses_delete() -> None:
    fill(2)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(sequence=2).delete()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.count() == 2


def test_altering_an_event_behind_the_triggers_is_detected_at_its_sequence() -> None:
    fill(5)
    with triggers_dropped(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET actor_label = %s WHERE sequence = %s", ["someone", 3]
        )
    verification = verify_chain()
    assert verification.checked == 2
    assert verification.first_break == chain.ChainBreak(
        3, "its content does not match its hash (altered)"
    )


def test_rewriting_an_event_with_a_fresh_hash_breaks_the_next_link() -> None:
    fill(4)
    event = AuditEvent.objects.values(*chain.CHAINED_FIELDS, "previous_hash").get(sequence=2)
    forged = dict(event, action="nothing-happened")
    forged_hash = chain.event_hash(event["previous_hash"], forged)
    with triggers_dropped(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET action = %s, hash = %s WHERE sequence = %s",
            ["nothing-happened", forged_hash, 2],
        )
    assert verify_chain().first_break == chain.ChainBreak(
        3, "its previous hash does not match the event before"
    )


def test_deleting_a_middle_event_is_reported_as_missing() -> None:
    fill(5)
    with triggers_dropped(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE sequence = %s", [3])
    verification = verify_chain()
    assert verification.checked == 2
    assert verification.first_break == chain.ChainBreak(3, "event #3 is missing")


def test_the_triggers_are_back_after_tampering() -> None:
    fill(1)
    with triggers_dropped():
        pass
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().delete()
