"""The neutral report description and its canonical JSON."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medvigil.reports.document import (
    Facts,
    Figure,
    Paragraph,
    Report,
    Section,
    Table,
    report_from_json,
    report_to_json,
)

text = st.text(max_size=40)


@st.composite
def tables(draw: st.DrawFn) -> Table:
    width = draw(st.integers(min_value=1, max_value=4))
    rows = draw(st.lists(st.tuples(*[text] * width), max_size=5))
    flagged = draw(st.frozensets(st.integers(min_value=0, max_value=max(len(rows) - 1, 0))))
    return Table(
        draw(text),
        tuple(draw(text) for _ in range(width)),
        tuple(rows),
        frozenset(i for i in flagged if i < len(rows)),
    )


blocks = st.one_of(
    st.builds(Paragraph, text),
    st.builds(Facts, st.lists(st.tuples(text, text), max_size=4).map(tuple)),
    tables(),
    st.builds(Figure, text, text, st.one_of(st.none(), st.binary(max_size=20))),
)
reports = st.builds(
    Report,
    title=text,
    subject=text,
    identifier=text,
    generated_at=st.datetimes(timezones=st.just(UTC)),
    sections=st.lists(
        st.builds(Section, text, st.lists(blocks, max_size=3).map(tuple)), max_size=3
    ).map(tuple),
)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(reports)
def test_every_report_survives_its_json_unchanged(report: Report) -> None:
    assert report_from_json(report_to_json(report)) == report


def test_the_json_is_canonical_so_the_same_report_has_the_same_bytes() -> None:
    report = Report(
        "T",
        "S",
        "ID",
        datetime(2026, 1, 1, tzinfo=UTC),
        (Section("A", (Facts((("b", "2"), ("a", "1"))),)),),
    )
    assert report_to_json(report) == report_to_json(report_from_json(report_to_json(report)))
    assert '"items":[["b","2"],["a","1"]]' in report_to_json(report)


def test_a_row_with_the_wrong_number_of_cells_is_refused() -> None:
    with pytest.raises(ValueError, match="row 2 has 1 cells for 2 columns"):
        Table("Risks", ("Id", "Level"), (("R-1", "high"), ("R-2",)))


def test_an_unknown_block_type_is_refused() -> None:
    stored = report_to_json(
        Report("T", "S", "ID", datetime(2026, 1, 1, tzinfo=UTC), (Section("A", (Paragraph("x"),)),))
    )
    with pytest.raises(ValueError, match="unknown report block type 'video'"):
        report_from_json(stored.replace('"paragraph"', '"video"'))
