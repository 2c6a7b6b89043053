"""CSAF advisories uploaded as feed files: bombs rejected in bounded memory, nothing stored.

Before: a CSAF document holding a number of a million digits raised a bare
ValueError out of the feed reader (a failed import, a 500 for an upload).
"""

from __future__ import annotations

import json

import pytest

from medvigil.vulns import services
from medvigil.vulns.models import Advisory
from tests.bounded import MEGABYTE, run_measured

SETUP = """
import json, os
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medvigil.settings")
django.setup()
from medvigil.vulns.feed_files import read_feed

HEAD = b'{"document": {"csaf_version": "2.0", "category": "csaf_security_advisory", '
BOMBS = {
    "deep": HEAD + b'"x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}",
    "huge": HEAD + b'"x": ' + b"9" * 1_000_000 + b"}}",
    "nul": HEAD + b'"title": "a\\\\u0000"}}',
    "wide": HEAD + b'"x": 1}, "vulnerabilities": [' + b"{}," * 2_999_999 + b"{}]}",
}
"""

CHILD = """
for label, content in BOMBS.items():
    for item in read_feed(content, "auto", f"{label}.json"):
        print(json.dumps([label, type(item).__name__, getattr(item, "reason", "")]))
"""


def test_csaf_bombs_are_rejected_within_a_memory_and_time_bound() -> None:
    lines, peak = run_measured(SETUP, CHILD, memory_bytes=512 * MEGABYTE)
    items = {label: (kind, reason) for label, kind, reason in map(json.loads, lines)}
    assert {label: kind for label, (kind, _) in items.items()} == dict.fromkeys(
        ("deep", "huge", "nul", "wide"), "Rejected"
    )
    assert items["deep"][1].startswith("deep.json: not readable as JSON, YAML or CSV: maximum")
    assert items["huge"][1].startswith("huge.json: not readable as JSON, YAML or CSV: Exceeds")
    assert items["nul"][1].startswith("nul.json: $.document")
    assert items["wide"][1].startswith("wide.json: $.document")
    assert peak < 400 * MEGABYTE, peak


@pytest.mark.django_db
def test_an_uploaded_csaf_bomb_fails_the_import_and_stores_no_advisory() -> None:
    head = b'{"document": {"csaf_version": "2.0", "category": "csaf_security_advisory", '
    result = services.import_feed(head + b'"x": ' + b"9" * 1_000_000 + b"}}", name="huge.json")
    assert result.errors[0]["reason"].startswith("huge.json: not readable as JSON, YAML or CSV")
    assert not Advisory.objects.exists()
