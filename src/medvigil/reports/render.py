"""Renderers of a `Report` with its signatures: HTML, PDF (WeasyPrint), DOCX and XLSX.

PDF rendering never fetches a URL: figures are embedded as data URIs and the
fetcher allows only the `data:` scheme, so report content cannot make the
server reach the network or read files.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from typing import Any

from django.template.loader import render_to_string

from medvigil.audit.signatures import SignatureView
from medvigil.reports.document import Facts, Figure, Paragraph, Report, Table

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def html_context(report: Report, signatures: Sequence[SignatureView]) -> dict[str, Any]:
    sections = []
    for section in report.sections:
        blocks = []
        for block in section.blocks:
            kind = type(block).__name__.lower()
            entry: dict[str, Any] = {"kind": kind, "block": block}
            if isinstance(block, Figure):
                entry["source"] = svg_data_uri(block.svg)
            if isinstance(block, Table):
                entry["rows"] = [
                    {"cells": row, "flagged": index in block.flagged}
                    for index, row in enumerate(block.rows)
                ]
            blocks.append(entry)
        sections.append({"heading": section.heading, "blocks": blocks})
    return {"report": report, "sections": sections, "signatures": list(signatures)}


def to_html(report: Report, signatures: Sequence[SignatureView] = ()) -> str:
    """A standalone HTML document (styles included) of the report."""
    return render_to_string("reports/standalone.html", html_context(report, signatures))


def to_pdf(report: Report, signatures: Sequence[SignatureView] = ()) -> bytes:
    # Each renderer's library is heavy: imported when its format is asked for.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    document = HTML(string=to_html(report, signatures), url_fetcher=fetcher)
    return bytes(document.write_pdf())


def signature_lines(signatures: Sequence[SignatureView]) -> list[str]:
    lines = []
    for view in signatures:
        moment = view.signed_at.strftime("%Y-%m-%d %H:%M UTC")
        line = f"{view.meaning_label} by {view.printed_name} ({view.signer_username}) on {moment}"
        if view.reason:
            line += f"; reason: {view.reason}"
        line += "; valid" if view.valid else "; INVALIDATED: the report changed after signing"
        lines.append(line)
    return lines or ["Not signed."]


def to_docx(report: Report, signatures: Sequence[SignatureView] = ()) -> bytes:
    # Each renderer's library is heavy: imported when its format is asked for.
    from docx import Document
    from docx.shared import Cm

    document = Document()
    document.core_properties.title = report.title
    document.core_properties.subject = report.subject
    document.add_heading(report.title, level=0)
    document.add_paragraph(f"{report.subject} — {report.identifier}")
    document.add_paragraph(f"Generated {report.generated_at:%Y-%m-%d %H:%M} UTC")
    for section in report.sections:
        document.add_heading(section.heading, level=1)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                document.add_paragraph(block.text)
            elif isinstance(block, Facts):
                for label, value in block.items:
                    paragraph = document.add_paragraph()
                    paragraph.add_run(f"{label}: ").bold = True
                    paragraph.add_run(value)
            elif isinstance(block, Table):
                add_docx_table(document, block)
            elif block.png is not None:
                document.add_picture(io.BytesIO(block.png), width=Cm(16))
                document.add_paragraph(block.caption, style="Caption")
            else:
                document.add_paragraph(f"{block.caption} (diagram in the PDF edition)")
    document.add_heading("Electronic signatures", level=1)
    for line in signature_lines(signatures):
        document.add_paragraph(line)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def add_docx_table(document: Any, block: Table) -> None:
    document.add_paragraph(block.caption, style="Caption")
    table = document.add_table(rows=1, cols=len(block.columns))
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, block.columns, strict=True):
        cell.text = heading
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for index, row in enumerate(block.rows):
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = f"⚠ {value}" if index in block.flagged and cell is cells[0] else value


def spreadsheet_safe(value: str) -> str:
    """Cells starting like a formula are stored as text so a spreadsheet never evaluates them."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def sheet_title(caption: str, taken: set[str]) -> str:
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in caption).strip() or "Table"
    title, number = cleaned[:31], 2
    while title.lower() in taken:
        suffix = f" ({number})"
        title, number = cleaned[: 31 - len(suffix)] + suffix, number + 1
    taken.add(title.lower())
    return title


def to_xlsx(report: Report) -> bytes:
    """One sheet per table (flagged rows filled amber), preceded by a sheet naming the report."""
    # Each renderer's library is heavy: imported when its format is asked for.
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook()
    cover = workbook.active
    cover.title = "Report"
    for line in (
        ("Title", report.title),
        ("Subject", report.subject),
        ("Identifier", report.identifier),
        ("Generated", f"{report.generated_at:%Y-%m-%d %H:%M} UTC"),
    ):
        cover.append([spreadsheet_safe(value) for value in line])
    flagged_fill = PatternFill(fill_type="solid", start_color="FFE8A3", end_color="FFE8A3")
    taken = {"report"}
    for table in report.tables():
        sheet = workbook.create_sheet(sheet_title(table.caption, taken))
        sheet.append(list(table.columns) + (["Flagged"] if table.flagged else []))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for index, row in enumerate(table.rows):
            flag = ["yes" if index in table.flagged else ""] if table.flagged else []
            sheet.append([spreadsheet_safe(value) for value in row] + flag)
            if index in table.flagged:
                for cell in sheet[sheet.max_row]:
                    cell.fill = flagged_fill
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
