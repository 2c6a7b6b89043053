"""A report described without any output format: sections of paragraphs, facts, tables, figures.

Builders return a `Report`; renderers turn it into HTML, PDF, DOCX or XLSX.
The JSON form is what an issued report stores and what signatures vouch for.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Facts:
    """Label and value pairs, shown as a definition list."""

    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    """A table; rows listed in `flagged` are highlighted (a gap, an overdue item)."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    flagged: frozenset[int] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        for number, row in enumerate(self.rows, start=1):
            if len(row) != len(self.columns):
                raise ValueError(
                    f"table {self.caption!r}: row {number} has {len(row)} cells "
                    f"for {len(self.columns)} columns"
                )


@dataclass(frozen=True)
class Figure:
    """A diagram: SVG for HTML and PDF, PNG (optional) for word processors."""

    caption: str
    svg: str
    png: bytes | None = None


Block = Paragraph | Facts | Table | Figure


@dataclass(frozen=True)
class Section:
    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Report:
    title: str
    subject: str
    identifier: str
    generated_at: datetime
    sections: tuple[Section, ...]

    def blocking_issues(self) -> int:
        """How many blocking issues the report states (its "Blocking issues" facts)."""
        total = 0
        for section in self.sections:
            for block in section.blocks:
                if isinstance(block, Facts):
                    total += sum(
                        int(value)
                        for label, value in block.items
                        if label == "Blocking issues" and value.isdigit()
                    )
        return total

    def tables(self) -> list[Table]:
        return [
            block
            for section in self.sections
            for block in section.blocks
            if isinstance(block, Table)
        ]


def block_to_json(block: Block) -> dict[str, Any]:
    if isinstance(block, Paragraph):
        return {"type": "paragraph", "text": block.text}
    if isinstance(block, Facts):
        return {"type": "facts", "items": [list(item) for item in block.items]}
    if isinstance(block, Table):
        return {
            "type": "table",
            "caption": block.caption,
            "columns": list(block.columns),
            "rows": [list(row) for row in block.rows],
            "flagged": sorted(block.flagged),
        }
    png = base64.b64encode(block.png).decode("ascii") if block.png is not None else None
    return {"type": "figure", "caption": block.caption, "svg": block.svg, "png": png}


def block_from_json(data: dict[str, Any]) -> Block:
    kind = data["type"]
    if kind == "paragraph":
        return Paragraph(text=data["text"])
    if kind == "facts":
        return Facts(items=tuple((label, value) for label, value in data["items"]))
    if kind == "table":
        return Table(
            caption=data["caption"],
            columns=tuple(data["columns"]),
            rows=tuple(tuple(row) for row in data["rows"]),
            flagged=frozenset(data["flagged"]),
        )
    if kind == "figure":
        png = base64.b64decode(data["png"]) if data["png"] is not None else None
        return Figure(caption=data["caption"], svg=data["svg"], png=png)
    raise ValueError(f"unknown report block type {kind!r}")


def report_to_json(report: Report) -> str:
    """Canonical JSON (sorted keys, no spaces): the bytes that signatures vouch for."""
    data = {
        "title": report.title,
        "subject": report.subject,
        "identifier": report.identifier,
        "generated_at": report.generated_at.isoformat(),
        "sections": [
            {"heading": section.heading, "blocks": [block_to_json(b) for b in section.blocks]}
            for section in report.sections
        ],
    }
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def report_from_json(text: str) -> Report:
    data = json.loads(text)
    return Report(
        title=data["title"],
        subject=data["subject"],
        identifier=data["identifier"],
        generated_at=datetime.fromisoformat(data["generated_at"]),
        sections=tuple(
            Section(
                heading=section["heading"],
                blocks=tuple(block_from_json(block) for block in section["blocks"]),
            )
            for section in data["sections"]
        ),
    )
