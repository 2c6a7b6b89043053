"""The traceability matrix: one row per threat → risk → control path, gaps on the rows."""

from __future__ import annotations

from medvigil.core.risk.traceability import (
    TracedControl,
    TracedRisk,
    TracedThreat,
    TracedVerification,
    trace,
)

PASSED = TracedVerification("TP-12 wireless auth", "passed", "2026-03-01")
FAILED = TracedVerification("TP-13 signature check", "failed", "2026-03-02")


def test_a_complete_chain_has_no_gap_and_every_break_is_named() -> None:
    threats = [
        TracedThreat("TH-1", "Spoofed tablet", "spoofing", "open", risk="SR-1"),
        TracedThreat("TH-2", "Tampered library", "tampering", "open", risk="SR-2"),
        TracedThreat("TH-3", "Log flooding", "denial_of_service", "open"),
        TracedThreat("TH-4", "Old rule", "tampering", "retired"),
        TracedThreat("TH-5", "No wireless here", "spoofing", "not_applicable"),
    ]
    risks = [
        TracedRisk("SR-1", "Spoofed tablet", "unacceptable", "acceptable", ("CTL-1",)),
        TracedRisk("SR-2", "Tampered library", "alarp", "alarp", ("CTL-2", "CTL-3")),
        TracedRisk("SR-3", "Unpatched OS", "unacceptable", "unacceptable"),
        TracedRisk("SR-4", "Cosmetic", "acceptable", "acceptable"),
    ]
    controls = [
        TracedControl(
            "CTL-1",
            "Mutual TLS",
            "authentication",
            "Tablets present a certificate",
            "implemented",
            (PASSED,),
        ),
        TracedControl("CTL-2", "Signed library", "integrity", "", "implemented", (FAILED, PASSED)),
        TracedControl(
            "CTL-3",
            "Bolus lock",
            "authorization",
            "Lock the keypad",
            "planned",
            unreviewed_elements=("pump",),
        ),
        TracedControl(
            "CTL-4", "Syslog", "event_detection_and_logging", "Log logins", "planned", (PASSED,)
        ),
    ]
    result = trace(threats, risks, controls)
    shown = [(row.threat, row.risk, row.control, row.gaps) for row in result.rows]
    assert shown == [
        ("TH-1", "SR-1", "CTL-1", ()),
        ("TH-2", "SR-2", "CTL-2", ("control-without-requirement", "verification-failed")),
        ("TH-2", "SR-2", "CTL-3", ("control-without-verification", "impact-review-missing")),
        ("TH-3", "", "", ("threat-without-risk",)),
        ("TH-5", "", "", ()),
        ("", "SR-3", "", ("risk-without-control",)),
        ("", "SR-4", "", ()),
        ("", "", "CTL-4", ()),
    ]
    assert result.rows[0].verification == "TP-12 wireless auth (2026-03-01)"
    assert result.rows[1].result == "failed"
    assert result.flagged == frozenset({1, 2, 3, 5})
    assert result.gap_counts == {
        "threat-without-risk": 1,
        "risk-without-control": 1,
        "control-without-requirement": 1,
        "control-without-verification": 1,
        "verification-failed": 1,
        "impact-review-missing": 1,
    }


def test_an_empty_risk_file_has_no_rows() -> None:
    assert trace([], [], []).rows == ()
