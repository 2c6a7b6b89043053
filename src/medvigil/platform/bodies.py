"""Every object of a JSON body is an object, at any depth, as the operation's schema says.

django-ninja's `Schema` reads any value through its attributes (it is made to
read ORM objects), so a string, a number, a list or a null sent where a nested
object is expected became an object of defaults, which then overwrote stored
data: `{"statement": "x"}` was a statement with every field at its default.
The parser (`medvigil.platform.parsing`) already refuses a body that is not an
object; here each operation's body is checked against the JSON schema of its
body model, the one the OpenAPI document publishes, before the model reads
it: a value that is not an object where only an object (or null, when the
schema allows it) may stand is a 422 naming the field (`body.statement`,
`body.items[2].details`). Other mismatches stay pydantic's to report.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.params.models import BodyModel

from medvigil.platform.refusals import Kind, Refusal

JSON_TYPES: tuple[tuple[type, str], ...] = (
    (bool, "boolean"),  # before int: a bool is an int in Python
    (int, "integer"),
    (float, "number"),
    (str, "string"),
    (list, "array"),
    (dict, "object"),
)


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    for python_type, name in JSON_TYPES:
        if isinstance(value, python_type):
            return name
    return "unknown"


def resolve(schema: dict[str, Any], definitions: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = definitions[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def alternatives(schema: dict[str, Any], definitions: dict[str, Any]) -> list[dict[str, Any]]:
    """The schemas a value may match: references followed, unions and single allOf opened."""
    schema = resolve(schema, definitions)
    for union in ("anyOf", "oneOf"):
        if union in schema:
            return [found for inner in schema[union] for found in alternatives(inner, definitions)]
    if len(schema.get("allOf", [])) == 1:  # pydantic wraps a described reference this way
        return alternatives(schema["allOf"][0], definitions)
    return [schema]


def types_of(schema: dict[str, Any]) -> set[str] | None:
    """The JSON types a schema allows; None when it does not restrict them."""
    declared = schema.get("type")
    if declared is None:
        return {"object"} if "properties" in schema else None
    found = {declared} if isinstance(declared, str) else set(declared)
    if "number" in found:
        found.add("integer")
    return found


def misplaced(schema: dict[str, Any], value: Any, where: str, definitions: dict[str, Any]) -> str:
    """The path of the first non-object value where the schema wants an object ('' if none)."""
    choices = alternatives(schema, definitions)
    kind = json_type(value)
    allowed = [choice for choice in choices if (types_of(choice) or {kind}) & {kind}]
    wants_object = any("object" in (types_of(choice) or set()) for choice in choices)
    if not allowed:
        return where if wants_object else ""  # another type mismatch: pydantic reports it
    found = ""
    for choice in allowed:
        found = inside(choice, value, where, definitions)
        if not found:
            return ""
    return found


def inside(schema: dict[str, Any], value: Any, where: str, definitions: dict[str, Any]) -> str:
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for key, inner in value.items():
            field = properties.get(key, extra if isinstance(extra, dict) else None)
            if field is not None:
                found = misplaced(field, inner, f"{where}.{key}", definitions)
                if found:
                    return found
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for index, inner in enumerate(value):
            found = misplaced(schema["items"], inner, f"{where}[{index}]", definitions)
            if found:
                return found
    return ""


def refuse_misplaced(schema: dict[str, Any], data: dict[str, Any], single: str | None) -> None:
    """Refuse `data` (the body as the body model reads it) when an object is not an object."""
    definitions = schema.get("$defs", {})
    if single:  # the whole body is one parameter: its path starts at the body itself
        field = schema.get("properties", {}).get(single)
        found = misplaced(field, data.get(single), "body", definitions) if field else ""
    else:
        found = inside(schema, data, "body", definitions)
    if found:
        message = f"{found} must be a JSON object."
        raise Refusal(message, Kind.INVALID, {found: message})


def shaped(model: type[BodyModel]) -> type[BodyModel]:
    """`model` with its body's objects checked before it reads them."""
    schema = model.model_json_schema()
    single = getattr(model, "__read_from_single_attr__", None)

    def get_request_data(
        cls: type[BodyModel], request: HttpRequest, api: NinjaAPI, path_params: dict[str, Any]
    ) -> dict[str, Any] | None:
        data = super(guarded, cls).get_request_data(request, api, path_params)
        if isinstance(data, dict):
            refuse_misplaced(schema, data, single)
        return data

    guarded: type[BodyModel] = type(
        model.__name__, (model,), {"get_request_data": classmethod(get_request_data)}
    )
    return guarded


def guard_bodies(api: NinjaAPI) -> None:
    """Give every operation of `api` whose body is JSON the check above (call once, when built).

    Multipart bodies (a file with JSON fields) are left as they are: each of
    their fields is parsed on its own, and none of them is a nested object.
    """
    for bound in api._get_bound_routers():
        for path_view in bound.path_operations.values():
            for operation in path_view.operations:
                operation.models = [
                    shaped(model)
                    if issubclass(model, BodyModel) and not hasattr(model, "__ninja_body_params__")
                    else model
                    for model in operation.models
                ]
