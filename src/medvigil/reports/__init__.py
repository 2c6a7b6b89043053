"""Issued reports: documents built from live data, frozen, signed and rendered.

A capability describes a report as a `document.Report` (headings, facts,
tables, figures) and registers how to build it for a product version
(`kinds.register_kind`). Issuing stores the report's snapshot; signatures
vouch for that snapshot, and every rendering (HTML, PDF, DOCX, XLSX) is made
from it, so a signed report never changes under its signatures.
"""
