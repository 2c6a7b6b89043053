"""CycloneDX XML → the JSON shape that `cyclonedx.read_cyclonedx` reads.

Only the elements medvigil uses are translated; the XSD check (done
separately) covers the rest. XML attributes (``bom-ref``, ``type``, ``alg``,
``name`` of a property) become the JSON keys of the same name, wrapped lists
(``<hashes><hash>``) become arrays, and an empty element counts as absent.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from medvigil.core.sbom.cyclonedx import MAX_NESTING
from medvigil.core.sbom.model import SbomFormatError

NAMESPACE_PATTERN = re.compile(r"^\{http://cyclonedx\.org/schema/bom/(\d+\.\d+)\}bom$")

_COMPONENT_TEXT_FIELDS = ("publisher", "group", "name", "version", "purl", "cpe")


class _Translator:
    def __init__(self, namespace: str, filename: str) -> None:
        self.namespace = namespace
        self.filename = filename

    def tag(self, name: str) -> str:
        return f"{{{self.namespace}}}{name}"

    def children(self, element: Element | None, *path: str) -> list[Element]:
        """Elements at `path` below `element` (``"hashes", "hash"``)."""
        if element is None:
            return []
        found = [element]
        for name in path:
            found = [child for parent in found for child in parent.findall(self.tag(name))]
        return found

    def child(self, element: Element | None, name: str) -> Element | None:
        return None if element is None else element.find(self.tag(name))

    def text(self, element: Element | None, name: str) -> str | None:
        child = self.child(element, name)
        if child is None:
            return None
        return (child.text or "").strip() or None

    def put(self, target: dict[str, object], key: str, value: object) -> None:
        if value is not None and value != [] and value != "":
            target[key] = value

    def document(self, root: Element) -> dict[str, object]:
        document: dict[str, object] = {}
        self.put(document, "serialNumber", root.get("serialNumber"))
        metadata = self.child(root, "metadata")
        if metadata is not None:
            document["metadata"] = self.metadata(metadata)
        self.put(
            document,
            "components",
            [self.component(item, 0) for item in self.children(root, "components", "component")],
        )
        self.put(document, "dependencies", self.dependencies(root))
        self.put(
            document,
            "services",
            [self.service(item, 0) for item in self.children(root, "services", "service")],
        )
        return document

    def metadata(self, element: Element) -> dict[str, object]:
        metadata: dict[str, object] = {}
        self.put(metadata, "timestamp", self.text(element, "timestamp"))
        tools = self.child(element, "tools")
        if tools is not None:
            legacy = self.children(tools, "tool")
            if legacy:
                metadata["tools"] = [self.tool(tool, "vendor") for tool in legacy]
            else:
                metadata["tools"] = {
                    "components": [
                        self.tool(tool, "group")
                        for tool in self.children(tools, "components", "component")
                    ],
                    "services": [
                        self.tool(tool, "provider")
                        for tool in self.children(tools, "services", "service")
                    ],
                }
        authors = []
        for author in self.children(element, "authors", "author"):
            entry: dict[str, object] = {}
            self.put(entry, "name", self.text(author, "name"))
            self.put(entry, "email", self.text(author, "email"))
            authors.append(entry)
        self.put(metadata, "authors", authors)
        component = self.child(element, "component")
        if component is not None:
            metadata["component"] = self.component(component, 0)
        return metadata

    def tool(self, element: Element, owner: str) -> dict[str, object]:
        tool: dict[str, object] = {}
        for key in (owner, "name", "version"):
            self.put(tool, key, self.text(element, key))
        return tool

    def component(self, element: Element, depth: int) -> dict[str, object]:
        if depth > MAX_NESTING:
            raise SbomFormatError(
                self.filename, f"components nested deeper than {MAX_NESTING} levels"
            )
        component: dict[str, object] = {}
        self.put(component, "type", element.get("type"))
        self.put(component, "bom-ref", element.get("bom-ref"))
        for key in _COMPONENT_TEXT_FIELDS:
            self.put(component, key, self.text(element, key))
        for key in ("supplier", "manufacturer"):
            name = self.text(self.child(element, key), "name")
            if name:
                component[key] = {"name": name}
        swid = self.child(element, "swid")
        if swid is not None and swid.get("tagId"):
            component["swid"] = {"tagId": swid.get("tagId")}
        self.put(
            component,
            "hashes",
            [
                {"alg": item.get("alg") or "", "content": (item.text or "").strip()}
                for item in self.children(element, "hashes", "hash")
            ],
        )
        self.put(component, "licenses", self.licenses(element))
        self.put(
            component,
            "properties",
            [
                {"name": item.get("name") or "", "value": (item.text or "").strip()}
                for item in self.children(element, "properties", "property")
            ],
        )
        self.put(
            component,
            "components",
            [
                self.component(item, depth + 1)
                for item in self.children(element, "components", "component")
            ],
        )
        return component

    def licenses(self, element: Element) -> list[object]:
        licenses: list[object] = []
        for item in self.children(element, "licenses", "license"):
            entry: dict[str, object] = {}
            self.put(entry, "id", self.text(item, "id"))
            self.put(entry, "name", self.text(item, "name"))
            licenses.append({"license": entry})
        for item in self.children(element, "licenses", "expression"):
            expression = (item.text or "").strip()
            if expression:
                licenses.append({"expression": expression})
        return licenses

    def dependencies(self, root: Element) -> list[object]:
        return [
            {
                "ref": item.get("ref") or "",
                "dependsOn": [
                    target.get("ref") or "" for target in self.children(item, "dependency")
                ],
            }
            for item in self.children(root, "dependencies", "dependency")
        ]

    def service(self, element: Element, depth: int) -> dict[str, object]:
        if depth > MAX_NESTING:
            raise SbomFormatError(
                self.filename, f"services nested deeper than {MAX_NESTING} levels"
            )
        service: dict[str, object] = {}
        self.put(service, "bom-ref", element.get("bom-ref"))
        self.put(
            service,
            "services",
            [
                self.service(item, depth + 1)
                for item in self.children(element, "services", "service")
            ],
        )
        return service


def translate_cyclonedx_xml(root: Element, spec_version: str, filename: str) -> dict[str, object]:
    """The JSON-shaped document for a CycloneDX XML root element."""
    namespace = f"http://cyclonedx.org/schema/bom/{spec_version}"
    return _Translator(namespace, filename).document(root)
