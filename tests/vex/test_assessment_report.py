"""The vulnerability assessment report: each finding with status, reasoning, scores, control."""

from __future__ import annotations

import io

import openpyxl
import pypdf
import pytest

from medvigil.audit.signatures import sign, signature_status
from medvigil.reports import kinds, render
from medvigil.reports.services import issue_report
from medvigil.triage import remediation, scoring
from medvigil.vex.assessment_report import COLUMNS, KIND, build
from tests import factories
from tests.vex.conftest import Portfolio, decide_every_state

pytestmark = pytest.mark.django_db


def assessed(portfolio: Portfolio) -> dict[str, object]:
    chosen = decide_every_state(portfolio)
    values = scoring.ScoreInput(
        harm_severity="serious",
        harm_rationale="A wrong dose could be programmed.",
        control_status="uncontrolled",
        control_rationale="No compensating control in the field yet.",
    )
    scoring.save_scores(chosen["affected"], portfolio.engineer, values)
    remediation.save_plan(
        chosen["affected"],
        portfolio.engineer,
        remediation.PlanInput(fix_in_version="1.2.1", compensating_controls="Block USB."),
    )
    return chosen


def test_the_kind_is_offered_for_every_version() -> None:
    assert kinds.kind(KIND).label == "Vulnerability assessment report"


def test_the_report_states_each_finding_and_flags_what_needs_attention(
    portfolio: Portfolio,
) -> None:
    chosen = assessed(portfolio)
    portfolio.application.refresh_from_db()
    report = build(portfolio.application)
    findings = portfolio.findings(portfolio.application)
    (table, uncontrolled) = report.tables()
    assert table.columns == COLUMNS
    assert len(table.rows) == len(findings)
    by_component = {(row[0].split(" ")[0], row[1]): row for row in table.rows}
    not_affected = chosen["not_affected"]
    row = by_component[(not_affected.vulnerability.canonical_id, not_affected.component.purl)]
    assert row[2] == "Not affected"
    assert row[3] == (
        "Vulnerable code not in execute path: "
        "The parser is only reached with configuration files signed at the factory."
    )
    affected = chosen["affected"]
    row = by_component[(affected.vulnerability.canonical_id, affected.component.purl)]
    assert row[2] == "Affected"
    assert "Update to 1.2.1" in row[3]
    assert "Block USB." in row[3]
    assert row[5] == "serious"
    assert row[6] == "uncontrolled"
    assert " / approved " in row[7]  # approved by signature
    assert "KEV: no" in row[4]
    fixed = chosen["fixed"]
    assert by_component[(fixed.vulnerability.canonical_id, fixed.component.purl)][3] == (
        "Fixed in 1.2.0."
    )
    # Flagged: the uncontrolled one and every finding still under investigation.
    flagged_rows = {table.rows[index][2] for index in table.flagged}
    assert flagged_rows == {"Affected", "Under investigation"}
    assert len(table.flagged) == len(findings) - 2
    assert uncontrolled.rows[0][2:4] == ("1.2.1", "Block USB.")
    facts = dict(report.sections[0].blocks[0].items)  # type: ignore[union-attr]
    assert facts["Known vulnerabilities"] == str(len(findings))
    assert facts["Uncontrolled risks"] == "1"
    assert facts["Installed base"] == str(portfolio.application.installed_base)


def test_issued_and_signed_it_renders_as_html_pdf_and_xlsx(portfolio: Portfolio) -> None:
    assessed(portfolio)
    issued = issue_report(
        portfolio.engineer, KIND, portfolio.application, build(portfolio.application)
    )
    sign(portfolio.approver, issued, "approved", factories.PASSWORD)
    signatures = signature_status(issued)
    report = issued.document()
    findings = portfolio.findings(portfolio.application)

    html = render.to_html(report, signatures)
    for finding in findings:
        assert finding.vulnerability.canonical_id in html
        assert finding.component.purl in html
    assert "Approved" in html

    reader = pypdf.PdfReader(io.BytesIO(render.to_pdf(report, signatures)))
    pages = len(reader.pages)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert f"Page {pages} of {pages}" in text
    assert "Vulnerability assessment of Infusion Centre 1.2.0" in text
    assert "CVE-2017-16137" in text

    workbook = openpyxl.load_workbook(io.BytesIO(render.to_xlsx(report)))
    assert workbook.sheetnames[0] == "Report"
    rows = list(workbook.worksheets[1].iter_rows(values_only=True))
    assert rows[0][: len(COLUMNS)] == COLUMNS
    assert len(rows) - 1 == len(findings)
    assert {row[0].split(" ")[0] for row in rows[1:]} == {
        finding.vulnerability.canonical_id for finding in findings
    }
