"""Renderings of a report: PDF, DOCX, XLSX and HTML carry the same content and signatures."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import docx
import openpyxl
import pypdf
from PIL import Image

from medvigil.audit.signatures import SignatureView
from medvigil.reports import render
from medvigil.reports.document import Facts, Figure, Paragraph, Report, Section, Table

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">'
    '<rect width="120" height="40" fill="#ccc"/>'
    '<text x="5" y="25">pump</text></svg>'
)


def png() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(output, format="PNG")
    return output.getvalue()


SIGNED = SignatureView(
    signer_username="rick",
    printed_name="Rick Risk",
    meaning="approved",
    meaning_label="Approved",
    signed_at=datetime(2026, 11, 2, 9, 30, tzinfo=UTC),
    reason="release 2.1",
    content_hash="0" * 64,
    valid=True,
)


def sample(rows: int = 3) -> Report:
    risks = tuple(
        (f"SR-{n}", '=HYPERLINK("http://evil")' if n == 2 else "high", "open")
        for n in range(1, rows + 1)
    )
    return Report(
        title="Security risk management report",
        subject="Infusion pump 2.1",
        identifier="SRMR-PUMP-2.1",
        generated_at=datetime(2026, 11, 1, 8, 0, tzinfo=UTC),
        sections=(
            Section(
                "Scope",
                (
                    Paragraph("The pump and its tablet."),
                    Facts((("Product", "Infusion pump"), ("Version", "2.1"))),
                ),
            ),
            Section("Architecture", (Figure("Data-flow diagram", SVG, png()),)),
            Section(
                "Risks",
                (
                    Table(
                        "Security risks", ("Risk", "Level", "Status"), risks, flagged=frozenset({0})
                    ),
                ),
            ),
        ),
    )


def pdf_text(content: bytes) -> tuple[int, str]:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_has_every_section_numbered_pages_and_the_signature() -> None:
    pages, text = pdf_text(render.to_pdf(sample(), [SIGNED]))
    assert pages == 1
    for expected in (
        "Security risk management report",
        "Scope",
        "Data-flow diagram",
        "SR-3",
        "Approved",
        "Rick Risk (rick)",
        "Page 1 of 1",
        "SRMR-PUMP-2.1",
    ):
        assert expected in text


def test_a_long_table_flows_onto_more_pages_numbered_of_the_total() -> None:
    pages, text = pdf_text(render.to_pdf(sample(rows=150)))
    assert pages > 1
    assert f"Page {pages} of {pages}" in text
    assert "SR-150" in text
    assert "Not signed." in text


def test_the_pdf_never_fetches_what_the_content_points_at(tmp_path: object) -> None:
    hostile = Report(
        "T",
        "S",
        "ID",
        datetime(2026, 1, 1, tzinfo=UTC),
        (
            Section(
                "A",
                (
                    Figure(
                        "x",
                        '<svg xmlns="http://www.w3.org/2000/svg" '
                        'xmlns:xlink="http://www.w3.org/1999/xlink"><image '
                        'xlink:href="file:///etc/hostname" width="10" height="10"/></svg>',
                    ),
                    Paragraph('<img src="file:///etc/hostname">'),
                ),
            ),
        ),
    )
    _, text = pdf_text(render.to_pdf(hostile))
    assert '<img src="file:///etc/hostname">' in text  # shown as text, never loaded


def test_the_docx_has_headings_tables_picture_and_signatures() -> None:
    document = docx.Document(io.BytesIO(render.to_docx(sample(), [SIGNED])))
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    assert "Risks" in paragraphs
    assert "Electronic signatures" in paragraphs
    assert any(line.startswith("Approved by Rick Risk (rick) on 2026-11-02") for line in paragraphs)
    table = document.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == ["Risk", "Level", "Status"]
    assert table.rows[1].cells[0].text == "⚠ SR-1"
    assert len(document.inline_shapes) == 1


def test_the_workbook_has_a_sheet_per_table_and_never_a_formula() -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(render.to_xlsx(sample())))
    assert workbook.sheetnames == ["Report", "Security risks"]
    sheet = workbook["Security risks"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Risk", "Level", "Status", "Flagged")
    assert rows[1][3] == "yes"
    assert rows[2][3] is None
    assert rows[2][1] == '\'=HYPERLINK("http://evil")'
    assert sheet.cell(row=3, column=2).data_type == "s"


def test_sheet_names_are_legal_and_distinct() -> None:
    taken: set[str] = set()
    first = render.sheet_title("Risks: before/after [controls]", taken)
    second = render.sheet_title("Risks: before/after [controls]", taken)
    assert first == "Risks  before after  controls"
    assert second != first
    assert len(second) <= 31


def test_the_html_escapes_content_and_embeds_the_figure() -> None:
    page = render.to_html(
        Report(
            "T",
            "S",
            "ID",
            datetime(2026, 1, 1, tzinfo=UTC),
            (Section("A", (Paragraph("<script>alert(1)</script>"), Figure("d", SVG))),),
        )
    )
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert 'src="data:image/svg+xml;base64,' in page
