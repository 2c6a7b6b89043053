"""The kinds of report that capabilities offer for a product version."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from medvigil.reports.document import Report

FORMATS = {
    "pdf": ("application/pdf", "pdf"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "html": ("text/html; charset=utf-8", "html"),
}


@dataclass(frozen=True)
class ReportKind:
    slug: str
    label: str
    build: Callable[[Any], Report]


KINDS: dict[str, ReportKind] = {}


def register_kind(slug: str, label: str, build: Callable[[Any], Report]) -> None:
    """Offer a report for every product version; `build(version)` reads the live data."""
    KINDS[slug] = ReportKind(slug=slug, label=label, build=build)


def kind(slug: str) -> ReportKind:
    """The registered kind; KeyError when there is none."""
    return KINDS[slug]


def all_kinds() -> list[ReportKind]:
    return sorted(KINDS.values(), key=lambda registered: registered.label)
