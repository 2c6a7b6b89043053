"""Threat modelling engine: architecture model, YAML format, rule library, generation, diagram.

Pure: takes text and dataclasses, returns dataclasses (the diagram runs
graphviz's `dot`). See docs/riskfile.md for the YAML format and the rules.
"""

from medvigil.core.threats.diagram import render_png, render_svg
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
from medvigil.core.threats.threagile import threagile_to_yaml
from medvigil.core.threats.threat_dragon import read_threat_dragon, threats_out

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
    "read_threat_dragon",
    "reconcile",
    "render_png",
    "render_svg",
    "threagile_to_yaml",
    "threat_id",
    "threats_out",
    "write_model",
]
