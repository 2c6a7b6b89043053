"""How statuses and justifications translate between CycloneDX and OpenVEX/CSAF.

CycloneDX's nine justifications and six states do not map one to one onto
the five OpenVEX/CSAF justifications and four statuses. The tables below are
this project's reading of the two specifications (CycloneDX 1.6
``impactAnalysisJustification``; OpenVEX 0.2.0 "Status Justifications"),
following the state mapping of CycloneDX's own CISA use-case examples; the
native value is always kept beside the translated one.
"""

from __future__ import annotations

from medvigil.core.vex.model import VexStatus

CYCLONEDX_STATES: dict[str, VexStatus] = {
    "resolved": "fixed",
    "resolved_with_pedigree": "fixed",
    "exploitable": "affected",
    "in_triage": "under_investigation",
    "not_affected": "not_affected",
    # A false positive: the component does not hold what was matched.
    "false_positive": "not_affected",
}
STATE_FOR_STATUS: dict[VexStatus, str] = {
    "fixed": "resolved",
    "affected": "exploitable",
    "under_investigation": "in_triage",
    "not_affected": "not_affected",
}

JUSTIFICATION_FROM_CYCLONEDX = {
    "code_not_present": "vulnerable_code_not_present",
    "code_not_reachable": "vulnerable_code_not_in_execute_path",
    "requires_configuration": "vulnerable_code_cannot_be_controlled_by_adversary",
    "requires_dependency": "vulnerable_code_not_present",
    "requires_environment": "vulnerable_code_cannot_be_controlled_by_adversary",
    "protected_by_compiler": "inline_mitigations_already_exist",
    "protected_at_runtime": "inline_mitigations_already_exist",
    "protected_at_perimeter": "inline_mitigations_already_exist",
    "protected_by_mitigating_control": "inline_mitigations_already_exist",
}
JUSTIFICATION_TO_CYCLONEDX = {
    "component_not_present": "code_not_present",
    "vulnerable_code_not_present": "code_not_present",
    "vulnerable_code_not_in_execute_path": "code_not_reachable",
    "vulnerable_code_cannot_be_controlled_by_adversary": "requires_environment",
    "inline_mitigations_already_exist": "protected_by_mitigating_control",
}
CYCLONEDX_RESPONSES = ("can_not_fix", "will_not_fix", "update", "rollback", "workaround_available")
