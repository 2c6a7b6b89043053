"""Import a Threagile model (threagile.yaml) into medvigil's architecture model.

What maps: technical assets (external-entity, process, datastore) become
elements, trust boundaries (with the assets inside and nested boundaries)
become boundaries, communication links become data flows with their protocol
and authentication, and `encryption` on an asset becomes encryption at rest.
Data assets have no medical data classes in Threagile; an asset whose id or
name mentions accounts, credentials or passwords becomes `credentials`, one
that mentions logs becomes `logs`, code becomes `firmware`, and any other
confidential or strictly confidential asset becomes `personal_data`. Clinical
functions do not exist in Threagile and are left empty.

Raises ThreatModelError naming the path of anything it cannot map.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from medvigil.core.threats.document import Problem, ThreatModelError, read_model, write_model
from medvigil.core.threats.model import ArchitectureModel

KINDS = {"external-entity": "external_entity", "process": "process", "datastore": "data_store"}
AUTHENTICATION = {
    "none": "none",
    "credentials": "password",
    "session-id": "token",
    "token": "token",
    "client-certificate": "certificate",
    "two-factor": "password",
    "externalized": "token",
}
ENCRYPTED_PROTOCOLS = re.compile(
    r"(https|ldaps|ssh|sftp|ftps|tls|smtp-encrypted|wss|jdbc-encrypted)"
)
AT_REST = {
    "none": "none",
    "transparent": "full_disk",
    "data-with-symmetric-shared-key": "field",
    "data-with-asymmetric-shared-key": "field",
    "data-with-enduser-individual-key": "field",
}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:64] or "x"


def data_class(asset_id: str, asset: dict[str, Any]) -> str | None:
    words = f"{asset_id} {asset.get('description', '')}".lower()
    if re.search(r"account|credential|password", words):
        return "credentials"
    if "log" in words.split() or asset_id.endswith("logs"):
        return "logs"
    if "code" in words:
        return "firmware"
    if asset.get("confidentiality") in ("confidential", "strictly-confidential"):
        return "personal_data"
    return None


def classes(ids: Any, known: dict[str, str | None]) -> list[str]:
    found = [known.get(str(item)) for item in ids or []]
    return sorted({value for value in found if value})


def convert(document: dict[str, Any]) -> dict[str, Any]:
    data = {
        str(value.get("id")): data_class(str(value.get("id")), value)
        for value in (document.get("data_assets") or {}).values()
    }
    boundary_of: dict[str, str] = {}
    boundaries = []
    parents: dict[str, str] = {}
    for boundary in (document.get("trust_boundaries") or {}).values():
        for nested in boundary.get("trust_boundaries_nested") or []:
            parents[str(nested)] = str(boundary["id"])
        for asset in boundary.get("technical_assets_inside") or []:
            boundary_of[str(asset)] = str(boundary["id"])
    for name, boundary in (document.get("trust_boundaries") or {}).items():
        entry = {
            "id": str(boundary["id"]),
            "name": str(name),
            "description": str(boundary.get("type", "")),
        }
        if str(boundary["id"]) in parents:
            entry["parent"] = parents[str(boundary["id"])]
        boundaries.append(entry)
    elements, flows = [], []
    for name, asset in (document.get("technical_assets") or {}).items():
        identifier = str(asset.get("id"))
        element: dict[str, Any] = {
            "id": identifier,
            "name": str(name),
            "kind": KINDS.get(str(asset.get("type")), "?"),
            "description": str(asset.get("description") or ""),
            "in_scope": not asset.get("out_of_scope", False),
            "encryption_at_rest": AT_REST.get(str(asset.get("encryption", "none")), "none"),
            "data_classes": classes(
                [
                    *(asset.get("data_assets_processed") or []),
                    *(asset.get("data_assets_stored") or []),
                ],
                data,
            ),
            "exposure": ["internet"] if asset.get("internet") else [],
        }
        if identifier in boundary_of:
            element["boundary"] = boundary_of[identifier]
        elements.append(element)
        for link_name, link in (asset.get("communication_links") or {}).items():
            protocol = str(link.get("protocol", ""))
            flows.append(
                {
                    "id": f"{identifier}.{slug(link_name)}",
                    "name": str(link_name),
                    "source": identifier,
                    "destination": str(link.get("target")),
                    "description": str(link.get("description") or ""),
                    "protocol": protocol,
                    "authentication": AUTHENTICATION.get(str(link.get("authentication")), "?"),
                    "encryption": "tls"
                    if ENCRYPTED_PROTOCOLS.fullmatch(protocol)
                    else ("vpn" if link.get("vpn") else "none"),
                    "data_classes": classes(
                        [
                            *(link.get("data_assets_sent") or []),
                            *(link.get("data_assets_received") or []),
                        ],
                        data,
                    ),
                }
            )
    return {
        "format": "medvigil-threat-model/1",
        "name": str(document.get("title") or "Threagile"),
        "description": str(
            document.get("technical_overview", {}).get("description", "")
            if isinstance(document.get("technical_overview"), dict)
            else ""
        ),
        "boundaries": boundaries,
        "elements": elements,
        "flows": flows,
    }


class _NoAliasDumper(yaml.SafeDumper):
    """Writes shared values out in full: the model reader refuses aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def read_threagile(text: str) -> ArchitectureModel:
    """A Threagile YAML model as medvigil's model; raises ThreatModelError."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ThreatModelError([Problem("", f"not valid YAML: {error}")]) from error
    if not isinstance(document, dict) or "technical_assets" not in document:
        raise ThreatModelError([Problem("", "not a Threagile model (no technical_assets)")])
    try:
        converted = convert(document)
    except (KeyError, TypeError, AttributeError) as error:
        raise ThreatModelError([Problem("", f"cannot convert: {error!r}")]) from error
    return read_model(yaml.dump(converted, Dumper=_NoAliasDumper, sort_keys=False))


def threagile_to_yaml(text: str) -> str:
    return write_model(read_threagile(text))
