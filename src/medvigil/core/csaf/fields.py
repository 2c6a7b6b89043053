"""Fields shared by the document and its vulnerabilities: text, URLs, dates, notes."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from medvigil.core.csaf.model import Acknowledgment, CsafBuildError, Note, Reference
from medvigil.core.csaf.vocabulary import NOTE_CATEGORIES

_URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$")


def timestamp(moment: datetime) -> str:
    """A CSAF date-time: UTC, second precision."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise CsafBuildError("dates must carry a time zone")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def text(value: str, field: str) -> str:
    if not value.strip():
        raise CsafBuildError(f"{field} must not be blank")
    return value


def url(value: str, field: str) -> str:
    if not _URL.match(value):
        raise CsafBuildError(f"{field} must be an http(s) URL, not {value!r}")
    return value


def notes(items: tuple[Note, ...], field: str) -> list[dict[str, Any]]:
    built = []
    for note in items:
        if note.category not in NOTE_CATEGORIES:
            raise CsafBuildError(f"{field}: note category {note.category!r} is unknown")
        entry: dict[str, Any] = {"category": note.category, "text": text(note.text, field)}
        if note.title is not None:
            entry["title"] = text(note.title, f"{field} title")
        if note.audience is not None:
            entry["audience"] = text(note.audience, f"{field} audience")
        built.append(entry)
    return built


def references(items: tuple[Reference, ...], field: str) -> list[dict[str, Any]]:
    return [
        {
            "category": "self" if reference.self_reference else "external",
            "summary": text(reference.summary, f"{field} summary"),
            "url": url(reference.url, field),
        }
        for reference in items
    ]


def acknowledgments(items: tuple[Acknowledgment, ...], field: str) -> list[dict[str, Any]]:
    built = []
    for acknowledgment in items:
        entry: dict[str, Any] = {}
        if acknowledgment.names:
            entry["names"] = [text(name, f"{field} name") for name in acknowledgment.names]
        if acknowledgment.organization is not None:
            entry["organization"] = text(acknowledgment.organization, f"{field} organization")
        if not entry:
            raise CsafBuildError(f"{field}: an acknowledgment names a person or organization")
        if acknowledgment.summary is not None:
            entry["summary"] = text(acknowledgment.summary, f"{field} summary")
        if acknowledgment.urls:
            entry["urls"] = [url(link, field) for link in acknowledgment.urls]
        built.append(entry)
    return built
