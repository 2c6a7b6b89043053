"""The vulnerability assessment report of a product version, a report kind of `medvigil.reports`.

The table an FDA premarket submission and a hospital ask for: each known
vulnerability of the version, its VEX status, the justification or the
plan, its scores, and whether its risk to essential clinical performance is
controlled. Read from `medvigil.triage.selectors.version_statements`, so it
states what the VEX exports state. Rows are flagged when a vulnerability is
still under investigation, its risk is uncontrolled, or a due date has
passed. The issued report carries the signatures given to it.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from django.utils import timezone

from medvigil.portfolio.models import ProductVersion
from medvigil.reports.document import Facts, Paragraph, Report, Section, Table
from medvigil.reports.kinds import register_kind
from medvigil.triage.models import Justification, Status
from medvigil.triage.selectors import VersionStatement, version_statements

KIND = "vulnerability-assessment"
# Eight columns fit an A4 page; the scores share one cell.
COLUMNS = (
    "Vulnerability",
    "Component",
    "Status",
    "Justification or plan",
    "Scores",
    "Patient harm",
    "Risk control",
    "Decided / approved (UTC)",
)
UNCONTROLLED_COLUMNS = (
    "Vulnerability",
    "Component",
    "Fix in version",
    "Compensating controls",
    "Communicate by (UTC)",
    "Remediate by (UTC)",
)


def build(version: ProductVersion) -> Report:
    now = timezone.now()
    statements = version_statements(version)
    rows = [_row(item) for item in statements]
    flagged = frozenset(
        index for index, item in enumerate(statements) if _needs_attention(item, now)
    )
    statuses = Counter(item.status for item in statements)
    uncontrolled = [item for item in statements if _control(item) == "uncontrolled"]
    product = version.product
    summary = Facts(
        items=(
            ("Product", f"{product.name} ({product.model_number})"),
            ("Version", version.version),
            ("Lifecycle phase", version.get_phase_display()),
            ("Installed base", _number(version.installed_base)),
            ("Known vulnerabilities", str(len(statements))),
            *((Status(status).label, str(statuses.get(status, 0))) for status in Status.values),
            ("Uncontrolled risks", str(len(uncontrolled))),
            ("Listed in CISA KEV", str(sum(1 for item in statements if _kev(item)))),
            ("Rows needing attention", str(len(flagged))),
        )
    )
    sections = [
        Section("Summary", (summary, Paragraph(_method()))),
        Section(
            "Known vulnerabilities",
            (
                Table(
                    caption=f"Known vulnerabilities of {product.name} {version.version}",
                    columns=COLUMNS,
                    rows=tuple(rows),
                    flagged=flagged,
                ),
            )
            if rows
            else (Paragraph("No known vulnerability is open for this version."),),
        ),
    ]
    if uncontrolled:
        sections.append(
            Section(
                "Uncontrolled risks and their remediation",
                (
                    Paragraph(
                        "An uncontrolled risk to essential clinical performance is communicated "
                        "to customers within 30 days and remediated within 60 days of learning "
                        "of it (FDA postmarket guidance)."
                    ),
                    Table(
                        caption="Uncontrolled risks",
                        columns=UNCONTROLLED_COLUMNS,
                        rows=tuple(_plan_row(item) for item in uncontrolled),
                        flagged=frozenset(
                            index for index, item in enumerate(uncontrolled) if _overdue(item, now)
                        ),
                    ),
                ),
            )
        )
    return Report(
        title=f"Vulnerability assessment of {product.name} {version.version}",
        subject=str(version),
        identifier=f"VA-{product.model_number}-{version.version}",
        generated_at=now,
        sections=tuple(sections),
    )


def _row(item: VersionStatement) -> tuple[str, ...]:
    identifiers = item.vulnerability_id + (f" ({', '.join(item.aliases)})" if item.aliases else "")
    component = item.component_purl or (f"{item.component_name} {item.component_version}".strip())
    decided = _moment(item.decided_at)
    if item.approved_at is not None:
        decided += f" / approved {_moment(item.approved_at)}"
    return (
        identifiers,
        component,
        Status(item.status).label + (" (awaiting approval)" if item.pending_approval else ""),
        _reasoning(item),
        _scores(item),
        "" if item.scores is None else item.scores.harm_severity,
        _control(item),
        decided,
    )


def _scores(item: VersionStatement) -> str:
    scores = item.scores
    lines = []
    if scores is not None and scores.cvss3_base is not None:
        environmental = (
            "" if scores.cvss3_environmental is None else f" / {scores.cvss3_environmental:.1f}"
        )
        lines.append(f"CVSS 3.1: {scores.cvss3_base:.1f}{environmental}")
    if scores is not None and scores.cvss4_base is not None:
        lines.append(f"CVSS 4.0: {scores.cvss4_base:.1f}")
    if scores is not None and scores.rubric_score is not None:
        lines.append(f"Medical rubric: {scores.rubric_score:.1f}")
    if scores is not None and scores.epss_probability is not None:
        percentile = (scores.epss_percentile or 0) * 100
        lines.append(f"EPSS: {scores.epss_probability:.3f} ({percentile:.0f}th percentile)")
    lines.append(f"KEV: {_kev_text(item)}")
    if scores is not None and scores.ssvc_outcome:
        lines.append(f"SSVC: {scores.ssvc_outcome}")
    return "; ".join(lines)


def _reasoning(item: VersionStatement) -> str:
    if item.status == Status.NOT_AFFECTED:
        label = Justification(item.justification).label if item.justification else ""
        return f"{label}: {item.impact_statement}" if label else item.impact_statement
    if item.status == Status.AFFECTED:
        plan = item.plan
        parts = [item.action_statement]
        if plan is not None and plan.fix_in_version:
            parts.append(f"Fix in {plan.fix_in_version}.")
        if plan is not None and plan.compensating_controls:
            parts.append(f"Compensating controls: {plan.compensating_controls}")
        return " ".join(part for part in parts if part)
    if item.status == Status.FIXED:
        return f"Fixed in {item.fixed_in_version}." if item.fixed_in_version else "Fixed."
    return "Under investigation since " + _moment(item.first_seen) + "."


def _kev(item: VersionStatement) -> bool:
    return item.scores is not None and item.scores.kev_listed


def _kev_text(item: VersionStatement) -> str:
    if not _kev(item) or item.scores is None:
        return "no"
    added = item.scores.kev_date_added
    return f"yes, since {added.isoformat()}" if added else "yes"


def _control(item: VersionStatement) -> str:
    return "" if item.scores is None else item.scores.control_status


def _overdue(item: VersionStatement, now: datetime) -> bool:
    plan = item.plan
    if plan is None:
        return False
    pending = (
        (plan.communicate_due_at, plan.communicated_at),
        (plan.remediate_due_at, plan.remediated_at),
        (plan.due_at, plan.remediated_at),
    )
    return any(due is not None and done is None and due < now for due, done in pending)


def _needs_attention(item: VersionStatement, now: datetime) -> bool:
    return (
        item.status == Status.UNDER_INVESTIGATION
        or _control(item) == "uncontrolled"
        or _overdue(item, now)
    )


def _plan_row(item: VersionStatement) -> tuple[str, ...]:
    plan = item.plan
    return (
        item.vulnerability_id,
        item.component_purl or f"{item.component_name} {item.component_version}".strip(),
        "" if plan is None else plan.fix_in_version,
        "" if plan is None else plan.compensating_controls,
        "" if plan is None else _moment(plan.communicate_due_at),
        "" if plan is None else _moment(plan.remediate_due_at),
    )


def _moment(value: datetime | None) -> str:
    return "" if value is None else value.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


def _number(value: int | None) -> str:
    return "not recorded" if value is None else f"{value:,}".replace(",", " ")


def _method() -> str:
    return (
        "Each open finding of the version is listed once, keyed by component and vulnerability "
        "group. Its status is the effective triage decision (on a released version, once "
        "approved by electronic signature); findings without one are under investigation. "
        "Scores keep their inputs in the triage record: CVSS base and environmental scores, "
        "the medical-device CVSS rubric, EPSS, the CISA KEV listing, the SSVC outcome and the "
        "patient harm severity. Highlighted rows need attention: still under investigation, "
        "an uncontrolled risk, or a due date passed."
    )


register_kind(KIND, "Vulnerability assessment report", build)
