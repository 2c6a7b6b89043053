"""The security risk management report, built from live data.

It follows the premarket documentation the FDA guidance (2023, section V and
Appendix 2) and AAMI TIR57 ask for: the system's architecture views, the
threats, the risks before and after controls, the controls with their
verification, the residual risk evaluation with any benefit-risk analysis,
the open (blocking) issues and the traceability from threat to verification.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.utils import timezone

from medvigil.audit.signatures import signature_status
from medvigil.core import risk as risk_engine
from medvigil.core.risk import Traceability
from medvigil.core.threats import render_png
from medvigil.portfolio.models import ProductVersion
from medvigil.reports.document import Facts, Figure, Paragraph, Report, Section, Table
from medvigil.riskfile import selectors, services
from medvigil.riskfile.models import SecurityRisk, VulnerabilityLink
from medvigil.riskfile.reports.traceability import label, subject, traceability_section
from medvigil.riskfile.traceability import traceability


def summary_section(version: ProductVersion, result: Traceability) -> Section:
    model = selectors.threat_model(version)
    risks = list(selectors.risks(version))
    threats = selectors.threats(version).exclude(status="retired")
    controls = list(selectors.controls(version))
    passed = sum(
        1
        for control in controls
        if (latest := control.verifications.first()) and latest.result == "passed"
    )
    facts = Facts(
        (
            ("Product", f"{version.product.name} ({version.product.model_number})"),
            ("Version", version.version),
            ("Lifecycle phase", label(version.phase)),
            ("Threat model", model.name if model else "none uploaded"),
            ("Threats in play", str(threats.count())),
            ("Security risks", str(len(risks))),
            ("Controls", str(len(controls))),
            ("Controls verified (latest passed)", str(passed)),
            ("Blocking issues", str(len(selectors.blocking_issues(version)))),
            ("Traceability rows with a gap", str(len(result.flagged))),
            (
                "Risks flagged for re-evaluation",
                str(sum(risk.reevaluation_needed for risk in risks)),
            ),
        )
    )
    scope = Paragraph(
        "Security risk management of this version following AAMI TIR57 and ISO 14971: threats "
        "found in the architecture (STRIDE per element and interaction), their exploitability "
        "and impact on confidentiality, integrity, availability, privacy and patient safety, "
        "the controls chosen by FDA premarket guidance category, their verification, and the "
        "residual risk evaluation."
    )
    return Section("Summary", (facts, scope))


def architecture_section(version: ProductVersion) -> Section:
    model = selectors.threat_model(version)
    if model is None:
        return Section("Architecture", (Paragraph("No threat model has been uploaded."),))
    blocks: list[Facts | Figure | Paragraph | Table] = []
    if model.diagram_svg:
        png = render_png(services.parsed(model))
        blocks.append(
            Figure(
                f"Data-flow diagram of {model.name} with trust boundaries", model.diagram_svg, png
            )
        )
    rows = []
    for element in model.elements.all():
        attributes = element.attributes
        functions = (
            "emergency access"
            if element.serves_emergency_access
            else ("clinical" if element.serves_clinical_function else "")
        )
        rows.append(
            (
                element.identifier,
                element.name,
                label(element.kind),
                ", ".join(attributes.get("exposure", [])),
                ", ".join(attributes.get("data_classes", [])),
                functions,
            )
        )
    blocks.append(
        Table(
            "Architecture elements",
            ("Id", "Name", "Kind", "Exposure", "Data classes", "Function served"),
            tuple(rows),
        )
    )
    return Section("Architecture", tuple(blocks))


def threats_section(version: ProductVersion) -> Section:
    rows = tuple(
        (
            threat.identifier,
            label(threat.stride),
            threat.shown_title,
            ", ".join(threat.targets),
            threat.get_status_display(),
            threat.decision,
            ", ".join(threat.capec + threat.cwe),
        )
        for threat in selectors.threats(version).exclude(status="retired")
    )
    columns = ("Id", "STRIDE", "Threat", "Targets", "Status", "Decision", "CAPEC / CWE")
    return Section("Threats", (Table("Threats", columns, rows),))


def risk_row(risk: SecurityRisk) -> tuple[str, ...]:
    residual_exploitability = risk.residual_exploitability or risk.exploitability
    residual_severity = risk.residual_severity or risk.severity
    return (
        risk.identifier,
        risk.threat.identifier if risk.threat else "",
        risk.title,
        label(risk.exploitability),
        label(risk.severity),
        label(risk.region),
        label(residual_exploitability),
        label(residual_severity),
        label(risk.residual_region),
    )


def risks_section(version: ProductVersion) -> Section:
    risks = list(selectors.risks(version))
    columns = (
        "Risk",
        "Threat",
        "Title",
        "Exploitability",
        "Severity",
        "Region",
        "Residual exploitability",
        "Residual severity",
        "Residual region",
    )
    impacts = tuple(
        (risk.identifier, *(label(getattr(risk, area)) for area in risk_engine.IMPACT_AREAS))
        for risk in risks
    )
    unacceptable = frozenset(
        index for index, risk in enumerate(risks) if risk.residual_region == "unacceptable"
    )
    return Section(
        "Security risks before and after controls",
        (
            Table(
                "Risk estimates before and after controls",
                columns,
                tuple(risk_row(risk) for risk in risks),
                unacceptable,
            ),
            Table(
                "Impact by area",
                ("Risk", *(label(area) for area in risk_engine.IMPACT_AREAS)),
                impacts,
            ),
        ),
    )


def controls_section(version: ProductVersion) -> Section:
    rows, flagged = [], set()
    for index, control in enumerate(selectors.controls(version)):
        latest = control.verifications.first()
        reviews = "; ".join(
            f"{review.element}: {'available' if review.function_stays_available else 'NOT'} "
            f"({review.rationale})"
            for review in control.impact_reviews.all()
        )
        if latest is None or latest.result != "passed":
            flagged.add(index)
        rows.append(
            (
                control.identifier,
                control.name,
                control.get_category_display(),
                control.get_implementation_display(),
                control.requirement,
                ", ".join(risk.identifier for risk in control.risks.all()),
                f"{latest.test_reference} ({latest.performed_on.isoformat()})" if latest else "",
                latest.get_result_display() if latest else "none",
                latest.evidence_sha256 if latest else "",
                reviews,
            )
        )
    columns = (
        "Control",
        "Name",
        "Category",
        "Implementation",
        "Requirement",
        "Risks",
        "Latest verification",
        "Result",
        "Evidence SHA-256",
        "Impact reviews",
    )
    table = Table("Controls", columns, tuple(rows), frozenset(flagged))
    return Section("Controls and their verification", (table,))


def residual_section(version: ProductVersion) -> Section:
    risks = list(selectors.risks(version))
    before = Counter(risk.region for risk in risks)
    after = Counter(risk.residual_region for risk in risks)
    rows = tuple(
        (risk_engine.REGION_LABELS[region], str(before[region]), str(after[region]))
        for region in risk_engine.REGIONS
    )
    unsigned = [
        issue.subject
        for issue in selectors.blocking_issues(version)
        if issue.rule == "benefit-risk"
    ]
    if after["unacceptable"] == 0:
        verdict = "No residual risk remains in the unacceptable region."
    elif not unsigned:
        verdict = (
            "Residual risks in the unacceptable region are each justified by a signed "
            "benefit-risk analysis (below)."
        )
    else:
        verdict = (
            f"Residual risks {', '.join(unsigned)} remain unacceptable without a signed "
            "benefit-risk analysis: the risk file is not complete."
        )
    return Section(
        "Residual risk evaluation",
        (
            Table("Risks per region", ("Region", "Before controls", "After controls"), rows),
            Paragraph(verdict),
        ),
    )


def signatures_text(record: object) -> str:
    views = signature_status(record)  # type: ignore[arg-type]
    return (
        "; ".join(
            f"{view.printed_name}, {view.meaning_label}, "
            f"{view.signed_at:%Y-%m-%d %H:%M} UTC ({view.status})"
            for view in views
        )
        or "not signed"
    )


def benefit_risk_section(version: ProductVersion) -> Section:
    rows = []
    for risk in selectors.risks(version):
        analysis = getattr(risk, "benefit_risk", None)
        if analysis is not None:
            rows.append(
                (
                    risk.identifier,
                    label(risk.residual_region),
                    analysis.benefits,
                    analysis.conclusion,
                    signatures_text(analysis),
                )
            )
    columns = ("Risk", "Residual region", "Benefits", "Conclusion", "Signatures")
    return Section("Benefit-risk analyses", (Table("Benefit-risk records", columns, tuple(rows)),))


def issues_section(version: ProductVersion) -> Section:
    issues = selectors.blocking_issues(version)
    rows = tuple((issue.rule, issue.subject, issue.message) for issue in issues)
    flagged_risks = [
        risk for risk in selectors.risks(version) if risk.reevaluation_needed or risk.needs_review
    ]
    reviews = tuple(
        (risk.identifier, risk.reevaluation_reason or risk.review_reason) for risk in flagged_risks
    )
    return Section(
        "Blocking issues and open reviews",
        (
            Table(
                "Blocking issues",
                ("Rule", "Subject", "What to record"),
                rows,
                frozenset(range(len(rows))),
            ),
            Table("Risks flagged for review or re-evaluation", ("Risk", "Reason"), reviews),
        ),
    )


def link_rows(links: Iterable[VulnerabilityLink]) -> tuple[tuple[str, ...], ...]:
    return tuple(
        (
            link.vulnerability.canonical_id,
            link.threat.identifier if link.threat else "",
            link.risk.identifier if link.risk else "",
            link.rationale,
            "yes" if link.exploitability.get("kev_added") else "no",
            str(link.exploitability.get("epss_probability") or ""),
            "; ".join(link.last_reasons),
        )
        for link in links
    )


def vulnerabilities_section(version: ProductVersion) -> Section:
    links = VulnerabilityLink.objects.filter(version=version).select_related(
        "vulnerability", "threat", "risk"
    )
    columns = (
        "Vulnerability",
        "Threat",
        "Risk",
        "Rationale",
        "In KEV",
        "EPSS",
        "Last exploitability change",
    )
    return Section(
        "Vulnerabilities linked to the risk file",
        (Table("Linked vulnerabilities", columns, link_rows(links)),),
    )


def build_risk_management(version: ProductVersion) -> Report:
    result = traceability(version)
    return Report(
        title="Security risk management report",
        subject=subject(version),
        identifier=f"SRMR-{version.product.model_number}-{version.version}",
        generated_at=timezone.now(),
        sections=(
            summary_section(version, result),
            architecture_section(version),
            threats_section(version),
            risks_section(version),
            controls_section(version),
            residual_section(version),
            benefit_risk_section(version),
            issues_section(version),
            vulnerabilities_section(version),
            traceability_section(result),
        ),
    )
