"""Signed checkpoints outside the database catch what the chain alone cannot: a cut tail, a
history rewritten with every later hash recomputed, and a checkpoint file that was altered."""

from __future__ import annotations

import json
import stat
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from medvigil.audit import checkpoints
from medvigil.audit.context import Actor
from medvigil.audit.selectors import chain_report
from medvigil.audit.services import checkpoint_if_due, record, take_checkpoint, verify_chain
from tests.audit.tampering import delete_tail, rewrite_and_rehash

pytestmark = pytest.mark.django_db
ALTERED = "the checkpoint file was altered"


def fill(count: int) -> None:
    actor = Actor(label="writer")
    for number in range(count):
        record("product-changed", ("portfolio.product", str(number)), actor=actor)


def problems() -> list[tuple[int | None, str]]:
    report = chain_report()
    return [(problem.sequence, problem.message) for problem in report.checkpoint_problems]


def test_an_intact_chain_matches_its_checkpoints() -> None:
    fill(10)
    take_checkpoint()
    fill(5)
    take_checkpoint()
    report = chain_report()
    assert report.intact
    assert (report.checked, report.checkpoints_checked, report.checkpoint_problems) == (15, 2, ())


@pytest.mark.parametrize("cut", [1, 50])
def test_a_cut_tail_is_reported_with_the_first_missing_event(cut: int) -> None:
    fill(80)
    take_checkpoint()
    delete_tail(cut)
    assert verify_chain().intact  # the chain alone cannot see it
    head = 80 - cut
    report = chain_report()
    assert not report.intact
    assert problems() == [
        (
            head + 1,
            f"events after #{head} are missing: the chain ends at #{head}, a checkpoint saw #80 "
            f"(taken {checkpoints.last(report.checkpoint_file).taken_at})",  # type: ignore[union-attr]
        )
    ]


def test_a_rehashed_history_is_reported_from_the_first_rewritten_event() -> None:
    fill(10)
    take_checkpoint()
    fill(20)
    take_checkpoint()
    rewrite_and_rehash(17, action="nothing-happened")
    assert verify_chain().intact  # the chain alone cannot see it
    found = problems()
    assert [sequence for sequence, _ in found] == [17]
    assert found[0][1].startswith("the history was rewritten event #17: a checkpoint saw #30")


def test_a_rewrite_before_a_checkpoint_is_named_by_every_later_checkpoint() -> None:
    fill(5)
    take_checkpoint()
    fill(5)
    take_checkpoint()
    rewrite_and_rehash(3, actor_label="someone")
    assert [sequence for sequence, _ in problems()] == [3, 6]
    assert chain_report().first_affected == 3


def test_a_checkpoint_without_listed_hashes_bounds_the_rewrite(monkeypatch: Any) -> None:
    monkeypatch.setattr(checkpoints, "MOST_LISTED", 5)
    fill(4)
    take_checkpoint()
    fill(8)
    take_checkpoint()
    rewrite_and_rehash(9, action="nothing-happened")
    assert problems()[0][0] == 5
    assert "rewritten at or after event #5" in problems()[0][1]


def test_an_altered_checkpoint_line_is_itself_reported(settings: Any) -> None:
    fill(3)
    take_checkpoint()
    path = Path(settings.AUDIT_CHECKPOINT_FILE)
    document = json.loads(path.read_text())
    document["sequence"] = 2
    path.write_text(json.dumps(document) + "\n" + "not json\n")
    assert problems() == [
        (None, f"checkpoint line 1: its signature does not verify ({ALTERED})"),
        (None, "checkpoint line 2 cannot be read"),
    ]


def test_a_checkpoint_signed_with_another_key_is_reported(settings: Any) -> None:
    fill(1)
    take_checkpoint()
    settings.AUDIT_CHECKPOINT_KEY = "another key, at least thirty-two characters long"
    [(sequence, message)] = problems()
    assert sequence is None
    assert "checkpoint line 1 was signed with another key" in message


def test_the_key_file_and_the_checkpoint_file_are_private(settings: Any) -> None:
    fill(1)
    take_checkpoint()
    for path in (settings.AUDIT_CHECKPOINT_KEY_FILE, settings.AUDIT_CHECKPOINT_FILE):
        assert stat.S_IMODE(Path(path).stat().st_mode) == 0o600


def test_the_key_stays_out_of_the_checkpoints_and_the_database(settings: Any) -> None:
    fill(2)
    take_checkpoint()
    key = Path(settings.AUDIT_CHECKPOINT_KEY_FILE).read_text()
    assert key not in Path(settings.AUDIT_CHECKPOINT_FILE).read_text()


def test_workers_checkpoint_when_the_head_moved_and_the_last_is_old_enough(
    settings: Any, monkeypatch: Any
) -> None:
    settings.AUDIT_CHECKPOINT_MINUTES = 60
    assert checkpoint_if_due() is None  # an empty chain
    fill(2)
    first = checkpoint_if_due()
    assert first is not None
    assert first.sequence == 2
    fill(1)
    assert checkpoint_if_due() is None  # the last one is too recent
    later = timezone.now() + timedelta(minutes=61)
    monkeypatch.setattr(timezone, "now", lambda: later)
    second = checkpoint_if_due()
    assert second is not None
    assert (second.sequence, second.since) == (3, 2)
    assert checkpoint_if_due() is None  # the head did not move
    settings.AUDIT_CHECKPOINT_MINUTES = 0
    fill(1)
    monkeypatch.setattr(timezone, "now", lambda: later + timedelta(days=1))
    assert checkpoint_if_due() is None  # switched off
