"""The rule library: typed data loaded from YAML, conditions in a small declarative language.

A condition is a mapping with exactly one operator (never code, never eval):

    all: [condition, ...]        every condition holds
    any: [condition, ...]        at least one holds
    not: condition               the condition does not hold
    equals: {fact: value}        a text fact equals the value
    in: {fact: [values]}         a text fact is one of the values
    contains: {fact: value}      a set fact contains the value
    intersects: {fact: [values]} a set fact shares a value with the list
    empty: fact                  a set fact is empty
    is_true: fact / is_false: fact

Facts are declared in `medvigil.core.threats.facts`; a rule naming an unknown
fact, a value outside the fact's vocabulary, or an operator of the wrong type
for the fact is refused by `load_rules` with the path of the bad field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from medvigil.core.threats.document import Problem, ThreatModelError
from medvigil.core.threats.facts import ELEMENT_FACTS, FLOW_FACTS, Facts, FactType

STRIDE = (
    "spoofing",
    "tampering",
    "repudiation",
    "information_disclosure",
    "denial_of_service",
    "elevation_of_privilege",
)
STRIDE_LETTERS = dict(zip(STRIDE, "STRIDE", strict=True))
CONTROL_CATEGORIES = (
    "authentication",
    "authorization",
    "cryptography",
    "integrity",
    "confidentiality",
    "event_detection_and_logging",
    "resiliency_and_recovery",
    "updatability_and_patchability",
)
CONTROL_CATEGORY_LABELS = {
    "authentication": "Authentication",
    "authorization": "Authorization",
    "cryptography": "Cryptography",
    "integrity": "Code, Data, and Execution Integrity",
    "confidentiality": "Confidentiality",
    "event_detection_and_logging": "Event Detection and Logging",
    "resiliency_and_recovery": "Resiliency and Recovery",
    "updatability_and_patchability": "Updatability and Patchability",
}
# The FDA's Appendix 1 heading for the last category.
CONTROL_CATEGORY_ALIASES = {"firmware_and_software_updates": "updatability_and_patchability"}
SCOPES = ("element", "data_flow")
MERGES = ("endpoints", "flow")
PLACEHOLDER = re.compile(r"\{([a-z_.]+)\}")
RULE_ID = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")
CAPEC = re.compile(r"^CAPEC-\d+$")
CWE = re.compile(r"^CWE-\d+$")
OPERATOR_KINDS = {
    "equals": "text",
    "in": "text",
    "contains": "set",
    "intersects": "set",
    "empty": "set",
    "is_true": "flag",
    "is_false": "flag",
}


class RuleError(ThreatModelError):
    """A rule file is not valid; `problems` name the path of each bad field."""


@dataclass(frozen=True)
class Condition:
    operator: str
    fact: str = ""
    values: tuple[str, ...] = ()
    parts: tuple[Condition, ...] = ()

    def holds(self, facts: Facts) -> bool:
        if self.operator == "all":
            return all(part.holds(facts) for part in self.parts)
        if self.operator == "any":
            return any(part.holds(facts) for part in self.parts)
        if self.operator == "not":
            return not self.parts[0].holds(facts)
        value = facts[self.fact]
        if self.operator in ("equals", "in"):
            return value in self.values
        if self.operator in ("contains", "intersects"):
            return isinstance(value, frozenset) and bool(value & set(self.values))
        if self.operator == "empty":
            return isinstance(value, frozenset) and not value
        return value is (self.operator == "is_true")


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    stride: str
    scope: str
    when: Condition
    description: str
    capec: tuple[str, ...] = ()
    cwe: tuple[str, ...] = ()
    controls: tuple[str, ...] = ()
    merge: str = "endpoints"

    def applies(self, facts: Facts) -> bool:
        return self.when.holds(facts)


def render(template: str, facts: Facts) -> str:
    """Fill `{fact}` placeholders; set facts are joined with ', ' in sorted order."""

    def value(match: re.Match[str]) -> str:
        found = facts[match.group(1)]
        if isinstance(found, frozenset):
            return ", ".join(sorted(found)) or "none"
        if isinstance(found, bool):
            return "yes" if found else "no"
        return found

    return PLACEHOLDER.sub(value, template)


class RuleReader:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def condition(self, data: Any, path: str, facts: dict[str, FactType]) -> Condition:
        if not isinstance(data, dict) or len(data) != 1:
            self.fail(path, "a condition is a mapping with exactly one operator")
            return Condition("all")
        operator, argument = next(iter(data.items()))
        here = f"{path}.{operator}"
        if operator in ("all", "any"):
            if not isinstance(argument, list) or not argument:
                self.fail(here, "expected a non-empty list of conditions")
                return Condition(operator)
            parts = tuple(
                self.condition(part, f"{here}[{index}]", facts)
                for index, part in enumerate(argument)
            )
            return Condition(operator, parts=parts)
        if operator == "not":
            return Condition("not", parts=(self.condition(argument, here, facts),))
        if operator not in OPERATOR_KINDS:
            self.fail(
                here, f"unknown operator; use one of all, any, not, {', '.join(OPERATOR_KINDS)}"
            )
            return Condition("all")
        if operator in ("empty", "is_true", "is_false"):
            fact, values = argument, []
        elif isinstance(argument, dict) and len(argument) == 1:
            fact, raw = next(iter(argument.items()))
            values = raw if isinstance(raw, list) else [raw]
            if operator in ("in", "intersects") and not isinstance(raw, list):
                self.fail(here, "expected {fact: [values]}")
        else:
            self.fail(here, "expected {fact: value}")
            return Condition("all")
        declared = facts.get(fact) if isinstance(fact, str) else None
        if declared is None:
            self.fail(here, f"unknown fact {fact!r}")
            return Condition("all")
        if declared.kind != OPERATOR_KINDS[operator]:
            self.fail(
                here,
                f"{operator} needs a {OPERATOR_KINDS[operator]} fact; {fact} is a {declared.kind}",
            )
        for value in values:
            if not isinstance(value, str | int) or isinstance(value, bool):
                self.fail(here, f"{value!r} is not a text value")
            elif declared.vocabulary is not None and str(value) not in declared.vocabulary:
                self.fail(here, f"{value!r} is not one of {', '.join(declared.vocabulary)}")
        return Condition(operator, fact, tuple(str(value) for value in values))

    def references(
        self, data: dict[str, Any], key: str, path: str, pattern: re.Pattern[str]
    ) -> tuple[str, ...]:
        values = data.get(key, [])
        if not isinstance(values, list) or not all(
            isinstance(value, str) and pattern.match(value) for value in values
        ):
            self.fail(f"{path}.{key}", f"expected a list like [{pattern.pattern[2:7]}-123]")
            return ()
        return tuple(values)

    def rule(self, data: Any, path: str) -> Rule | None:
        allowed = (
            "id",
            "title",
            "stride",
            "scope",
            "when",
            "description",
            "capec",
            "cwe",
            "controls",
            "merge",
        )
        if not isinstance(data, dict):
            self.fail(path, "a rule is a mapping")
            return None
        for key in data:
            if key not in allowed:
                self.fail(f"{path}.{key}", f"unknown field; expected one of {', '.join(allowed)}")
        rule_id = data.get("id")
        if not isinstance(rule_id, str) or not RULE_ID.match(rule_id):
            self.fail(f"{path}.id", f"{rule_id!r} is not a rule id like MV-S-PROCESS-1")
        scope = data.get("scope")
        if scope not in SCOPES:
            self.fail(f"{path}.scope", f"{scope!r} is not one of {', '.join(SCOPES)}")
            return None
        facts = ELEMENT_FACTS if scope == "element" else FLOW_FACTS
        stride = data.get("stride")
        if stride not in STRIDE:
            self.fail(f"{path}.stride", f"{stride!r} is not one of {', '.join(STRIDE)}")
        texts = {}
        for key in ("title", "description"):
            text = data.get(key)
            if not isinstance(text, str) or not text.strip():
                self.fail(f"{path}.{key}", "is required text")
                text = ""
            for name in PLACEHOLDER.findall(text):
                if name not in facts:
                    self.fail(f"{path}.{key}", f"unknown placeholder {{{name}}}")
            texts[key] = text
        controls = data.get("controls", [])
        if (
            not isinstance(controls, list)
            or not controls
            or any(value not in CONTROL_CATEGORIES for value in controls)
        ):
            self.fail(f"{path}.controls", f"expected a list of {', '.join(CONTROL_CATEGORIES)}")
            controls = []
        merge = data.get("merge", "endpoints")
        if merge not in MERGES:
            self.fail(f"{path}.merge", f"{merge!r} is not one of {', '.join(MERGES)}")
        return Rule(
            id=str(rule_id),
            title=texts["title"],
            stride=str(stride),
            scope=scope,
            when=self.condition(data.get("when"), f"{path}.when", facts),
            description=texts["description"],
            capec=self.references(data, "capec", path, CAPEC),
            cwe=self.references(data, "cwe", path, CWE),
            controls=tuple(controls),
            merge=str(merge),
        )


def load_rules(text: str, source: str = "rules") -> tuple[Rule, ...]:
    """Rules from one YAML document `{rules: [...]}`; raises RuleError naming bad fields."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise RuleError([Problem(source, f"not valid YAML: {error}")]) from error
    reader = RuleReader()
    if not isinstance(document, dict) or not isinstance(document.get("rules"), list):
        raise RuleError([Problem(source, "expected a mapping with a list 'rules'")])
    rules = [
        reader.rule(data, f"{source}: rules[{index}]")
        for index, data in enumerate(document["rules"])
    ]
    seen: set[str] = set()
    for index, rule in enumerate(rules):
        if rule is not None and rule.id in seen:
            reader.fail(f"{source}: rules[{index}].id", f"rule {rule.id} is defined twice")
        if rule is not None:
            seen.add(rule.id)
    if reader.problems:
        raise RuleError(reader.problems)
    return tuple(rule for rule in rules if rule is not None)


LIBRARY_FILES = ("elements.yaml", "interactions.yaml")


@cache
def default_rules() -> tuple[Rule, ...]:
    """The library shipped in medvigil/core/threats/library/ (read once)."""
    rules: list[Rule] = []
    folder = resources.files("medvigil.core.threats").joinpath("library")
    for name in LIBRARY_FILES:
        rules.extend(load_rules(folder.joinpath(name).read_text(encoding="utf-8"), name))
    identifiers = [rule.id for rule in rules]
    duplicated = sorted({rule_id for rule_id in identifiers if identifiers.count(rule_id) > 1})
    if duplicated:
        raise RuleError([Problem("library", f"rules defined twice: {', '.join(duplicated)}")])
    return tuple(rules)
