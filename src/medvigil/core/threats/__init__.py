"""Threat modelling engine: architecture model, YAML format, rule library, generation, diagram.

Pure: takes text and dataclasses, returns dataclasses (the diagram runs
graphviz's `dot`). See docs/riskfile.md for the YAML format and the rules.
"""

from medvigil.core.threats.document import Problem, ThreatModelError, read_model, write_model
from medvigil.core.threats.generation import Reconciliation, Threat, generate, reconcile, threat_id
from medvigil.core.threats.model import (
    ArchitectureModel,
    ClinicalFunction,
    DataFlow,
    Element,
    TrustBoundary,
)
from medvigil.core.threats.rules import (
    CONTROL_CATEGORIES,
    CONTROL_CATEGORY_LABELS,
    STRIDE,
    Rule,
    RuleError,
    default_rules,
    load_rules,
)

__all__ = [
    "CONTROL_CATEGORIES",
    "CONTROL_CATEGORY_LABELS",
    "STRIDE",
    "ArchitectureModel",
    "ClinicalFunction",
    "DataFlow",
    "Element",
    "Problem",
    "Reconciliation",
    "Rule",
    "RuleError",
    "Threat",
    "ThreatModelError",
    "TrustBoundary",
    "default_rules",
    "generate",
    "load_rules",
    "read_model",
    "reconcile",
    "threat_id",
    "write_model",
]
