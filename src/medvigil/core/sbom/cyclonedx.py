"""CycloneDX reader: a document in the JSON shape → `SbomDocument`.

The XML reader translates XML into this same shape first, so both
serialisations follow one set of rules. Schema validation happens before,
and its findings are warnings; this reader is the structural gate: a field
it reads must have the JSON type the specification gives it, or the whole
document is refused, because a component read half-right is worse than an
error the sender can fix.
"""

from __future__ import annotations

from collections.abc import Iterator

from medvigil.core.sbom.assembly import assemble_component, document_warnings, parse_timestamp
from medvigil.core.sbom.model import Component, SbomDocument, SbomFormatError, Serialisation

# Deeper nesting of components than this is refused rather than walked.
MAX_NESTING = 64


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


class _Fields:
    """Typed access to JSON values; a wrong type is an error naming the field."""

    def __init__(self, filename: str) -> None:
        self.filename = filename

    def fail(self, path: str, message: str) -> SbomFormatError:
        return SbomFormatError(self.filename, f"{path}: {message}")

    def mapping(self, value: object, path: str) -> dict[str, object]:
        if not isinstance(value, dict):
            raise self.fail(path, f"must be an object, not {_json_type(value)}")
        return value

    def text(self, mapping: dict[str, object], key: str, path: str) -> str | None:
        value = mapping.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.fail(_join(path, key), f"must be a string, not {_json_type(value)}")
        return value

    def required_text(self, mapping: dict[str, object], key: str, path: str) -> str:
        value = self.text(mapping, key, path)
        if value is None:
            raise self.fail(_join(path, key), "is required")
        return value

    def array(self, mapping: dict[str, object], key: str, path: str) -> list[object]:
        value = mapping.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(_join(path, key), f"must be an array, not {_json_type(value)}")
        return value

    def objects(
        self, mapping: dict[str, object], key: str, path: str
    ) -> Iterator[tuple[str, dict[str, object]]]:
        for index, item in enumerate(self.array(mapping, key, path)):
            item_path = f"{_join(path, key)}[{index}]"
            yield item_path, self.mapping(item, item_path)

    def entity_name(self, mapping: dict[str, object], key: str, path: str) -> str | None:
        value = mapping.get(key)
        if value is None:
            return None
        return self.text(self.mapping(value, _join(path, key)), "name", _join(path, key))


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    return names.get(type(value), "a number")


def read_cyclonedx(
    data: object,
    *,
    filename: str,
    serialisation: Serialisation,
    spec_version: str,
    max_components: int,
    warnings: tuple[str, ...] = (),
) -> SbomDocument:
    """Read a CycloneDX document already decoded to JSON values."""
    fields = _Fields(filename)
    root = fields.mapping(data, "document")
    metadata_value = root.get("metadata")
    metadata = fields.mapping(metadata_value, "metadata") if metadata_value is not None else {}
    collected = list(warnings)

    created = None
    timestamp = fields.text(metadata, "timestamp", "metadata")
    if timestamp is not None:
        created, timestamp_warning = parse_timestamp(timestamp, "metadata.timestamp")
        if timestamp_warning:
            collected.append(timestamp_warning)

    primary = None
    nested_in_primary: list[object] = []
    primary_value = metadata.get("component")
    if primary_value is not None:
        primary_object = fields.mapping(primary_value, "metadata.component")
        primary = _component(primary_object, "metadata.component", fields)
        nested_in_primary = fields.array(primary_object, "components", "metadata.component")

    components: list[Component] = []
    walks = (
        _components(nested_in_primary, "metadata.component.components", fields),
        _components(fields.array(root, "components", ""), "components", fields),
    )
    for component in (component for walk in walks for component in walk):
        components.append(component)
        if len(components) > max_components:
            raise fields.fail(
                "components", f"more than {max_components} components: over the limit"
            )

    dependencies = tuple(_dependencies(root, fields))
    known = [primary.reference] if primary else []
    known.extend(_service_references(root, fields))
    component_tuple = tuple(components)
    return SbomDocument(
        format="CycloneDX",
        spec_version=spec_version,
        serialisation=serialisation,
        serial=fields.text(root, "serialNumber", ""),
        name=primary.name if primary else None,
        authors=tuple(_authors(metadata, fields)),
        tools=tuple(_tools(metadata, fields)),
        created=created,
        components=component_tuple,
        dependencies=dependencies,
        primary_component_ref=primary.reference if primary else None,
        primary_component=primary,
        warnings=document_warnings(component_tuple, dependencies, known, collected),
    )


def _components(items: list[object], path: str, fields: _Fields) -> Iterator[Component]:
    """Components in document order, each followed by its nested ones.

    Walks with an explicit stack so a deeply nested document cannot exhaust
    the interpreter's recursion limit.
    """
    stack: list[tuple[list[object], str, int, int]] = [(items, path, 0, 0)]
    while stack:
        current, current_path, index, depth = stack.pop()
        if index >= len(current):
            continue
        stack.append((current, current_path, index + 1, depth))
        item_path = f"{current_path}[{index}]"
        component = fields.mapping(current[index], item_path)
        yield _component(component, item_path, fields)
        nested = fields.array(component, "components", item_path)
        if nested:
            if depth + 1 > MAX_NESTING:
                raise fields.fail(item_path, f"components nested deeper than {MAX_NESTING} levels")
            stack.append((nested, f"{item_path}.components", 0, depth + 1))


def _component(value: dict[str, object], path: str, fields: _Fields) -> Component:
    hashes = []
    for hash_path, hash_value in fields.objects(value, "hashes", path):
        algorithm = fields.required_text(hash_value, "alg", hash_path)
        hashes.append((algorithm, fields.required_text(hash_value, "content", hash_path)))
    licenses = []
    for choice_path, choice in fields.objects(value, "licenses", path):
        expression = fields.text(choice, "expression", choice_path)
        if expression is not None:
            licenses.append(expression)
        license_value = choice.get("license")
        if license_value is not None:
            license_path = f"{choice_path}.license"
            license_object = fields.mapping(license_value, license_path)
            identifier = fields.text(license_object, "id", license_path)
            license_name = fields.text(license_object, "name", license_path)
            if identifier or license_name:
                licenses.append(identifier or license_name or "")
    properties = []
    for property_path, property_value in fields.objects(value, "properties", path):
        property_name = fields.required_text(property_value, "name", property_path)
        properties.append(
            (property_name, fields.text(property_value, "value", property_path) or "")
        )
    swid_value = value.get("swid")
    swid_tag_id = None
    if swid_value is not None:
        swid_tag_id = fields.text(
            fields.mapping(swid_value, f"{path}.swid"), "tagId", f"{path}.swid"
        )
    # NTIA's survey of formats maps "supplier name" to CycloneDX `publisher` too.
    supplier = (
        fields.entity_name(value, "supplier", path)
        or fields.entity_name(value, "manufacturer", path)
        or fields.text(value, "publisher", path)
    )
    return assemble_component(
        reference=fields.text(value, "bom-ref", path) or path,
        name=fields.required_text(value, "name", path),
        type=fields.text(value, "type", path),
        version=fields.text(value, "version", path),
        group=fields.text(value, "group", path),
        supplier=supplier,
        purl=fields.text(value, "purl", path),
        cpe=fields.text(value, "cpe", path),
        swid_tag_id=swid_tag_id,
        hashes=hashes,
        licenses=licenses,
        properties=tuple(properties),
    )


def _dependencies(
    root: dict[str, object], fields: _Fields
) -> Iterator[tuple[str, tuple[str, ...]]]:
    for path, dependency in fields.objects(root, "dependencies", ""):
        reference = fields.required_text(dependency, "ref", path)
        targets = []
        for index, target in enumerate(fields.array(dependency, "dependsOn", path)):
            if not isinstance(target, str):
                raise fields.fail(f"{path}.dependsOn[{index}]", "must be a string")
            targets.append(target)
        yield reference, tuple(targets)


def _service_references(root: dict[str, object], fields: _Fields) -> Iterator[str]:
    """bom-refs of services, which dependencies may name beside components."""
    pending = list(fields.objects(root, "services", ""))
    while pending:
        path, service = pending.pop()
        reference = fields.text(service, "bom-ref", path)
        if reference:
            yield reference
        if path.count(".services") <= MAX_NESTING:
            pending.extend(fields.objects(service, "services", path))


def _authors(metadata: dict[str, object], fields: _Fields) -> Iterator[str]:
    for path, author in fields.objects(metadata, "authors", "metadata"):
        name = fields.text(author, "name", path) or fields.text(author, "email", path)
        if name:
            yield name


def _tools(metadata: dict[str, object], fields: _Fields) -> Iterator[str]:
    """Tool names from the legacy array (≤ 1.4) or the 1.5+ object form."""
    tools = metadata.get("tools")
    if tools is None:
        return
    if isinstance(tools, list):
        for path, tool in fields.objects(metadata, "tools", "metadata"):
            yield _tool_name(tool, path, fields, "vendor")
        return
    tools_object = fields.mapping(tools, "metadata.tools")
    for key in ("components", "services"):
        for path, tool in fields.objects(tools_object, key, "metadata.tools"):
            yield _tool_name(tool, path, fields, "group" if key == "components" else "provider")


def _tool_name(tool: dict[str, object], path: str, fields: _Fields, owner_key: str) -> str:
    owner = tool.get(owner_key)
    owner_name = fields.text(tool, owner_key, path) if not isinstance(owner, dict) else None
    parts = [owner_name, fields.text(tool, "name", path), fields.text(tool, "version", path)]
    return " ".join(part for part in parts if part)
