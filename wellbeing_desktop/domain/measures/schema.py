"""A small validator for the subset of JSON Schema the measure definitions use.

The project has no `jsonschema` dependency, and definitions only need: type, required,
properties, additionalProperties (false), items, minItems, enum, minimum, maximum,
exclusiveMinimum, minLength, pattern and local `$ref`s to `#/$defs/...`. Anything else in the
schema is refused, so the schema cannot silently promise a check that is not made.
"""

from __future__ import annotations

import re
from typing import Any

SUPPORTED = frozenset({
    "$schema", "$id", "$defs", "$ref", "title", "description", "type", "required", "properties",
    "additionalProperties", "items", "minItems", "enum", "minimum", "maximum",
    "exclusiveMinimum", "minLength", "pattern",
})

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
}


class SchemaError(Exception):
    """The schema itself uses something this validator does not check."""


def _type_ok(value: Any, name: str) -> bool:
    if name in ("integer", "number") and isinstance(value, bool):
        return False
    if name == "integer" and isinstance(value, float):
        return value.is_integer()
    return isinstance(value, _TYPES[name])


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def check_schema(schema: Any, path: str = "") -> None:
    """Raise `SchemaError` if the schema uses a keyword this validator does not implement."""
    if not isinstance(schema, dict):
        raise SchemaError(f"{path or 'schema'}: not an object")
    for key, value in schema.items():
        if key not in SUPPORTED:
            raise SchemaError(f"{_join(path, key)}: unsupported keyword")
        if key in ("properties", "$defs"):
            for name, sub in value.items():
                check_schema(sub, _join(_join(path, key), name))
        elif key == "items":
            check_schema(value, _join(path, key))


def validate(instance: Any, schema: dict[str, Any]) -> list[tuple[str, str]]:
    """Every problem as (field path, message); empty when the instance is valid."""
    problems: list[tuple[str, str]] = []
    _validate(instance, schema, schema, "", problems)
    return problems


def _resolve(ref: str, root: dict[str, Any]) -> dict[str, Any]:
    if not ref.startswith("#/"):
        raise SchemaError(f"only local references are supported: {ref}")
    node: Any = root
    for part in ref[2:].split("/"):
        node = node[part]
    if not isinstance(node, dict):
        raise SchemaError(f"reference {ref} is not a schema")
    return node


def _validate(value: Any, schema: dict[str, Any], root: dict[str, Any], path: str,
              problems: list[tuple[str, str]]) -> None:
    if "$ref" in schema:
        schema = _resolve(schema["$ref"], root)
    where = path or "(top level)"
    expected = schema.get("type")
    if expected is not None and not _type_ok(value, expected):
        problems.append((where, f"must be {'an' if expected[0] in 'aeiou' else 'a'} {expected}"))
        return
    if "enum" in schema and value not in schema["enum"]:
        allowed = ", ".join(repr(v) for v in schema["enum"])
        problems.append((where, f"must be one of {allowed}"))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            problems.append((where, f"must be at least {schema['minimum']}"))
        if "maximum" in schema and value > schema["maximum"]:
            problems.append((where, f"must be at most {schema['maximum']}"))
        if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
            problems.append((where, f"must be more than {schema['exclusiveMinimum']}"))
    if isinstance(value, str):
        if "minLength" in schema and len(value) < schema["minLength"]:
            problems.append((where, "must not be empty" if schema["minLength"] == 1
                             else f"must have at least {schema['minLength']} characters"))
        if "pattern" in schema and not re.search(schema["pattern"], value):
            problems.append((where, f"does not match the pattern {schema['pattern']}"))
    if isinstance(value, list):
        if "minItems" in schema and len(value) < schema["minItems"]:
            problems.append((where, f"needs at least {schema['minItems']} entries"))
        if "items" in schema:
            for index, item in enumerate(value):
                _validate(item, schema["items"], root, _join(path, index), problems)
    if isinstance(value, dict):
        for name in schema.get("required", []):
            if name not in value:
                problems.append((_join(path, name), "is required"))
        properties: dict[str, Any] = schema.get("properties", {})
        for name, item in value.items():
            if name in properties:
                _validate(item, properties[name], root, _join(path, name), problems)
            elif schema.get("additionalProperties") is False:
                problems.append((_join(path, name), "is not a known field"))
