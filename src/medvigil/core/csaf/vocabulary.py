"""The closed vocabularies of CSAF 2.0, shared by the reader and the writer."""

from __future__ import annotations

from typing import Literal

DocumentCategory = Literal["csaf_security_advisory", "csaf_vex"]
TrackingStatus = Literal["draft", "interim", "final"]
PublisherCategory = Literal["coordinator", "discoverer", "other", "translator", "user", "vendor"]
NoteCategory = Literal[
    "description", "details", "faq", "general", "legal_disclaimer", "other", "summary"
]
TlpLabel = Literal["WHITE", "GREEN", "AMBER", "RED"]
RemediationCategory = Literal[
    "mitigation", "no_fix_planned", "none_available", "vendor_fix", "workaround"
]
FlagLabel = Literal[
    "component_not_present",
    "inline_mitigations_already_exist",
    "vulnerable_code_cannot_be_controlled_by_adversary",
    "vulnerable_code_not_in_execute_path",
    "vulnerable_code_not_present",
]
ThreatCategory = Literal["exploit_status", "impact", "target_set"]

DOCUMENT_CATEGORIES: tuple[DocumentCategory, ...] = ("csaf_security_advisory", "csaf_vex")
TRACKING_STATUSES: tuple[TrackingStatus, ...] = ("draft", "interim", "final")
PUBLISHER_CATEGORIES: tuple[PublisherCategory, ...] = (
    "coordinator",
    "discoverer",
    "other",
    "translator",
    "user",
    "vendor",
)
NOTE_CATEGORIES: tuple[NoteCategory, ...] = (
    "description",
    "details",
    "faq",
    "general",
    "legal_disclaimer",
    "other",
    "summary",
)
TLP_LABELS: tuple[TlpLabel, ...] = ("WHITE", "GREEN", "AMBER", "RED")
REMEDIATION_CATEGORIES: tuple[RemediationCategory, ...] = (
    "mitigation",
    "no_fix_planned",
    "none_available",
    "vendor_fix",
    "workaround",
)
FLAG_LABELS: tuple[FlagLabel, ...] = (
    "component_not_present",
    "inline_mitigations_already_exist",
    "vulnerable_code_cannot_be_controlled_by_adversary",
    "vulnerable_code_not_in_execute_path",
    "vulnerable_code_not_present",
)
THREAT_CATEGORIES: tuple[ThreatCategory, ...] = ("exploit_status", "impact", "target_set")

CsafProfile = Literal[
    "security_advisory",
    "vex",
    "informational_advisory",
    "security_incident_response",
    "base",
]
# product_status lists, in the order of the CSAF 2.0 specification.
PRODUCT_STATUS_NAMES = (
    "first_affected",
    "first_fixed",
    "fixed",
    "known_affected",
    "known_not_affected",
    "last_affected",
    "recommended",
    "under_investigation",
)
AFFECTED_STATUS_NAMES = ("first_affected", "known_affected", "last_affected")
BRANCH_CATEGORIES = (
    "architecture",
    "host_name",
    "language",
    "legacy",
    "patch_level",
    "product_family",
    "product_name",
    "product_version",
    "product_version_range",
    "service_pack",
    "specification",
    "vendor",
)
RELATIONSHIP_CATEGORIES = (
    "default_component_of",
    "external_component_of",
    "installed_on",
    "installed_with",
    "optional_component_of",
)
REFERENCE_CATEGORIES = ("external", "self")
