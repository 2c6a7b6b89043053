"""The traceability report: threat to risk to control to requirement to verification."""

from __future__ import annotations

from django.utils import timezone

from medvigil.core.risk import GAP_LABELS, Traceability
from medvigil.portfolio.models import ProductVersion
from medvigil.reports.document import Facts, Paragraph, Report, Section, Table
from medvigil.riskfile.traceability import traceability

TRACE_COLUMNS = (
    "Threat",
    "Threat title",
    "Risk",
    "Region",
    "Residual region",
    "Control",
    "Category",
    "Requirement",
    "Verification",
    "Result",
    "Gaps",
)


def label(value: str) -> str:
    return value.replace("_", " ").capitalize() if value else ""


def subject(version: ProductVersion) -> str:
    product = version.product
    return f"{product.name} ({product.model_number}) version {version.version}"


def traceability_table(result: Traceability) -> Table:
    rows = tuple(
        (
            row.threat,
            row.threat_title,
            row.risk,
            label(row.region),
            label(row.residual_region),
            row.control,
            row.category,
            row.requirement,
            row.verification,
            label(row.result),
            "; ".join(GAP_LABELS[gap] for gap in row.gaps),
        )
        for row in result.rows
    )
    caption = "Traceability: threat → risk → control → requirement → verification"
    return Table(caption, TRACE_COLUMNS, rows, result.flagged)


def traceability_section(result: Traceability) -> Section:
    counts = result.gap_counts
    facts = Facts(
        (
            ("Rows", str(len(result.rows))),
            ("Rows with a gap", str(len(result.flagged))),
            *((GAP_LABELS[gap].capitalize(), str(count)) for gap, count in counts.items()),
        )
    )
    note = Paragraph(
        "Highlighted rows break the chain: a threat without risk, a risk outside the acceptable "
        "region without control, a control without requirement text, without verification or "
        "whose latest verification did not pass, or a control touching a clinical or "
        "emergency-access function without a review that the function stays available."
    )
    return Section("Traceability", (facts, note, traceability_table(result)))


def build_traceability(version: ProductVersion) -> Report:
    return Report(
        title="Traceability matrix",
        subject=subject(version),
        identifier=f"TRACE-{version.product.model_number}-{version.version}",
        generated_at=timezone.now(),
        sections=(traceability_section(traceability(version)),),
    )


# The security risk management report ---------------------------------------------------
