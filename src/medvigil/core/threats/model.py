"""The architecture model of a device: elements, data flows and trust boundaries.

Plain frozen dataclasses, built by `medvigil.core.threats.document.read_model`
from the YAML "threat model as code" and written back by `write_model`. Every
vocabulary (kinds, exposures, data classes…) is a closed set of strings kept
here, so the YAML reader, the rule language and the pages share one list.
"""

from __future__ import annotations

from dataclasses import dataclass

FORMAT = "medvigil-threat-model/1"

ELEMENT_KINDS = ("process", "data_store", "external_entity")
# Exposure: where an attacker must be to reach the element or flow.
EXPOSURES = ("internet", "hospital_network", "local", "physical", "wireless")
NETWORK_EXPOSURES = frozenset({"internet", "hospital_network", "wireless"})
DATA_CLASSES = (
    "phi",
    "personal_data",
    "therapy_commands",
    "therapy_settings",
    "drug_library",
    "alarms",
    "telemetry",
    "credentials",
    "cryptographic_keys",
    "logs",
    "configuration",
    "firmware",
)
SENSITIVE_DATA_CLASSES = frozenset(
    {"phi", "personal_data", "credentials", "cryptographic_keys", "therapy_commands"}
)
COMMAND_DATA_CLASSES = frozenset({"therapy_commands", "therapy_settings", "configuration"})
# How an element authenticates who talks to it, or a flow its sender.
AUTHENTICATION = (
    "none",
    "password",
    "shared_secret",
    "token",
    "certificate",
    "mutual_certificate",
    "physical_presence",
)
WEAK_AUTHENTICATION = frozenset({"none", "shared_secret"})
ENCRYPTION_IN_TRANSIT = ("none", "tls", "dtls", "vpn", "application", "link_layer")
ENCRYPTION_AT_REST = ("none", "full_disk", "database", "field", "hardware")


@dataclass(frozen=True)
class ClinicalFunction:
    """A clinical function the system performs; elements say which ones they serve."""

    id: str
    name: str
    essential_performance: bool = False
    emergency_access: bool = False


@dataclass(frozen=True)
class TrustBoundary:
    id: str
    name: str
    description: str = ""
    parent: str | None = None


@dataclass(frozen=True)
class Element:
    """A process, data store or external entity of the data-flow diagram."""

    id: str
    name: str
    kind: str
    description: str = ""
    boundary: str | None = None
    in_scope: bool = True
    protocols: tuple[str, ...] = ()
    ports: tuple[int, ...] = ()
    authentication: str = "none"
    encryption_at_rest: str = "none"
    data_classes: tuple[str, ...] = ()
    exposure: tuple[str, ...] = ()
    functions: tuple[str, ...] = ()
    logging: bool = False


@dataclass(frozen=True)
class DataFlow:
    """Data moving from `source` to `destination` (element ids)."""

    id: str
    name: str
    source: str
    destination: str
    description: str = ""
    protocol: str = ""
    port: int | None = None
    authentication: str = "none"
    encryption: str = "none"
    signed: bool = False
    replay_protection: bool = False
    data_classes: tuple[str, ...] = ()
    exposure: tuple[str, ...] = ()


@dataclass(frozen=True)
class ArchitectureModel:
    name: str
    description: str = ""
    assumptions: tuple[str, ...] = ()
    functions: tuple[ClinicalFunction, ...] = ()
    boundaries: tuple[TrustBoundary, ...] = ()
    elements: tuple[Element, ...] = ()
    flows: tuple[DataFlow, ...] = ()

    def element(self, element_id: str) -> Element:
        for element in self.elements:
            if element.id == element_id:
                return element
        raise KeyError(element_id)

    def function(self, function_id: str) -> ClinicalFunction:
        for function in self.functions:
            if function.id == function_id:
                return function
        raise KeyError(function_id)

    def flows_of(self, element_id: str) -> tuple[DataFlow, ...]:
        return tuple(flow for flow in self.flows if element_id in (flow.source, flow.destination))

    def emergency_elements(self) -> frozenset[str]:
        """Ids of the elements (and flows) that serve an emergency-access function."""
        emergency = {function.id for function in self.functions if function.emergency_access}
        return frozenset(
            element.id for element in self.elements if emergency & set(element.functions)
        )

    def clinical_elements(self) -> frozenset[str]:
        """Ids of the elements that serve any clinical function."""
        return frozenset(element.id for element in self.elements if element.functions)
