"""Read the CISA Known Exploited Vulnerabilities catalog (JSON, and its CSV twin).

KEV carries no version data: it is joined to findings on the CVE id. Dates
are calendar dates (``YYYY-MM-DD``), kept as `date`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from medvigil.core.advisories.model import AdvisoryFormatError
from medvigil.core.advisories.nvd import cve_identifier
from medvigil.core.documents import CWE_ID, Node, decode_json

_CSV_COLUMNS = (
    "cveID",
    "vendorProject",
    "product",
    "vulnerabilityName",
    "dateAdded",
    "shortDescription",
    "requiredAction",
    "dueDate",
    "knownRansomwareCampaignUse",
    "notes",
    "cwes",
)


@dataclass(frozen=True, slots=True)
class KevEntry:
    """One catalogued CVE. `known_ransomware_campaign_use` is True for "Known"."""

    cve_id: str
    vendor: str
    product: str
    name: str
    date_added: date
    due_date: date
    required_action: str
    short_description: str = ""
    known_ransomware_campaign_use: bool = False
    notes: str = ""
    cwe_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class KevCatalog:
    """The catalog as released: its version (``2025.08.25``), date and entries."""

    version: str | None
    date_released: datetime | None
    entries: tuple[KevEntry, ...]

    def by_cve(self) -> dict[str, KevEntry]:
        return {entry.cve_id: entry for entry in self.entries}


def read_kev_catalog(document: object, *, source: str) -> KevCatalog:
    """A `KevCatalog` from the decoded KEV JSON file."""
    root = Node(document, source)
    entries = tuple(_entry(item) for item in root.field("vulnerabilities").items())
    count = root.optional("count")
    if count is not None and count.number() != len(entries):
        raise count.error(f"count says {count.value} entries, the catalog has {len(entries)}")
    return KevCatalog(
        version=root.required_text("catalogVersion"),
        date_released=root.field("dateReleased").timestamp(),
        entries=entries,
    )


def read_kev_json(data: bytes | str, *, source: str) -> KevCatalog:
    """A `KevCatalog` from the bytes of ``known_exploited_vulnerabilities.json``."""
    return read_kev_catalog(decode_json(data, source), source=source)


def read_kev_csv(data: bytes | str, *, source: str) -> KevCatalog:
    """A `KevCatalog` from ``known_exploited_vulnerabilities.csv`` (no version or date)."""
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except (UnicodeDecodeError, csv.Error) as error:
        raise AdvisoryFormatError(f"not a readable CSV file: {error}", source=source) from None
    if not rows or tuple(rows[0][: len(_CSV_COLUMNS) - 2]) != _CSV_COLUMNS[:-2]:
        raise AdvisoryFormatError("expected the KEV header line", source=source, path="line 1")
    header = rows[0]
    entries = []
    for number, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        if len(row) != len(header):
            raise AdvisoryFormatError(
                f"expected {len(header)} columns, found {len(row)}",
                source=source,
                path=f"line {number}",
            )
        record: dict[str, object] = dict(zip(header, row, strict=True))
        record["cwes"] = [cwe.strip() for cwe in str(record.get("cwes", "")).split(",") if cwe]
        line = Node([record], source)
        entries.append(_entry(next(line.items())))
    return KevCatalog(version=None, date_released=None, entries=tuple(entries))


def _entry(node: Node) -> KevEntry:
    ransomware = node.optional_text("knownRansomwareCampaignUse", "Unknown") or "Unknown"
    if ransomware not in {"Known", "Unknown"}:
        raise node.field("knownRansomwareCampaignUse").error(
            f"expected Known or Unknown, found {ransomware!r}"
        )
    cwe_ids = []
    for item in node.array("cwes"):
        text = item.text().strip()
        if not CWE_ID.match(text):
            raise item.error(f"not a CWE id: {text!r}")
        cwe_ids.append(text)
    return KevEntry(
        cve_id=cve_identifier(node.field("cveID")),
        vendor=node.required_text("vendorProject"),
        product=node.required_text("product"),
        name=node.required_text("vulnerabilityName"),
        date_added=node.field("dateAdded").day(),
        due_date=node.field("dueDate").day(),
        required_action=node.required_text("requiredAction"),
        short_description=node.optional_text("shortDescription", "") or "",
        known_ransomware_campaign_use=ransomware == "Known",
        notes=node.optional_text("notes", "") or "",
        cwe_ids=tuple(cwe_ids),
    )
