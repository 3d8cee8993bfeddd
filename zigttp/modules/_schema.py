"""The JSON-Schema subset shared by `zigttp:validate` and `zigttp:decode`.

Supported keywords (upstream-reference §3.2): `type` (string, number, integer, boolean, array,
object, null), `required`, `properties`, `additionalProperties: false`, `items`, `enum`,
`minLength`, `maxLength`, `minimum`, `maximum`, `format` (email, uuid, uri, date, date-time;
upstream's `iso-date`/`iso-datetime` are aliases). Other keywords are ignored, as JSON Schema
does with unknown keywords; a malformed supported keyword makes the schema invalid.

Errors are `{path, message}` with upstream's messages ("type mismatch", "string too short",
"string too long", "below minimum", "above maximum", "value not in enum", "missing required
field", "invalid <format> format", "unexpected field"); `path` is `""` for the root, `a.b`,
`a[0]`. Lengths count code points, like JS `.length` for text without astral characters.

Every check runs on client input (a body near the 1 MiB cap), so each is linear in the input:
no backtracking regex (the old email pattern was quadratic: 40 KB froze a worker for 15 s).

Compiled schemas live in a per-server-state registry in each process (`registry(ctx)`); every
runtime runs the handler's top-level `schemaCompile` calls itself, so no sharing is needed.
"""

from __future__ import annotations

import math
import re
import threading
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

TYPES = frozenset({"string", "number", "integer", "boolean", "array", "object", "null"})
FORMAT_ALIASES = {"iso-date": "date", "iso-datetime": "date-time"}
_UUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_NUMERIC = re.compile(r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$")


class SchemaError(ValueError):
    """A schema that uses a supported keyword wrongly."""


def _check_count(schema: dict[str, Any], key: str) -> None:
    value = schema.get(key)
    if value is not None and not (type(value) is int and value >= 0):
        raise SchemaError(f"{key} must be a non-negative integer")


def compile_schema(schema: Any) -> dict[str, Any]:
    """Check a parsed schema (recursively) and return it with format aliases normalised."""
    if not isinstance(schema, dict):
        raise SchemaError("schema must be an object")
    compiled = dict(schema)
    if "type" in schema and schema["type"] not in TYPES:
        raise SchemaError(f"unknown type {schema['type']!r}")
    for key in ("minLength", "maxLength"):
        _check_count(schema, key)
    for key in ("minimum", "maximum"):
        value = schema.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise SchemaError(f"{key} must be a number")
    if "format" in schema:
        compiled["format"] = FORMAT_ALIASES.get(schema["format"], schema["format"])
        if compiled["format"] not in FORMATS:
            raise SchemaError(f"unknown format {schema['format']!r}")
    required = schema.get("required", [])
    if not isinstance(required, list) or not all(isinstance(r, str) for r in required):
        raise SchemaError("required must be an array of strings")
    if "enum" in schema and not isinstance(schema["enum"], list):
        raise SchemaError("enum must be an array")
    properties = schema.get("properties", {})
    if not isinstance(properties, dict):
        raise SchemaError("properties must be an object")
    compiled["properties"] = {name: compile_schema(sub) for name, sub in properties.items()}
    if "items" in schema:
        compiled["items"] = compile_schema(schema["items"])
    return compiled


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _is_datetime(text: str) -> bool:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return len(text) >= 19 and text[10] in "Tt"


def _is_email(text: str) -> bool:
    """`local@domain.tld`: one `@`, no whitespace, a dot inside the domain. One pass each."""
    local, at, domain = text.partition("@")
    if not (local and at and "@" not in domain and "." in domain[1:-1]):
        return False
    return not any(c.isspace() for c in text)


def _is_uri(text: str) -> bool:
    parts = urlsplit(text)
    return bool(parts.scheme and (parts.netloc or parts.path)) and " " not in text


FORMATS = {
    "email": _is_email,
    "uuid": lambda s: bool(_UUID.match(s)),
    "uri": _is_uri,
    "date": _is_date,
    "date-time": _is_datetime,
}


def type_matches(expected: str, value: Any) -> bool:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    checks = {
        "string": isinstance(value, str),
        "number": number and math.isfinite(value),
        "integer": number and math.isfinite(value) and value == int(value),
        "boolean": isinstance(value, bool),
        "array": isinstance(value, list),
        "object": isinstance(value, dict),
        "null": value is None,
    }
    return checks[expected]


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def validate(schema: dict[str, Any], value: Any, path: str = "") -> list[dict[str, str]]:
    """Every violation of `schema` by `value`, in document order."""
    errors: list[dict[str, str]] = []

    def fail(message: str, where: str = path) -> None:
        errors.append({"path": where, "message": message})

    if "type" in schema and not type_matches(schema["type"], value):
        fail("type mismatch")
        return errors
    if isinstance(value, str):
        _validate_string(schema, value, fail)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            fail("below minimum")
        if "maximum" in schema and value > schema["maximum"]:
            fail("above maximum")
    if "enum" in schema and not any(_same(value, option) for option in schema["enum"]):
        fail("value not in enum")
    if isinstance(value, dict):
        errors.extend(_validate_object(schema, value, path))
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            errors.extend(validate(schema["items"], item, f"{path}[{index}]"))
    return errors


def _validate_string(schema: dict[str, Any], value: str, fail: Any) -> None:
    if "minLength" in schema and len(value) < schema["minLength"]:
        fail("string too short")
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        fail("string too long")
    if "format" in schema and not FORMATS[schema["format"]](value):
        fail(f"invalid {schema['format']} format")


def _validate_object(schema: dict[str, Any], value: dict[str, Any], path: str) -> list[Any]:
    errors = [
        {"path": _join(path, name), "message": "missing required field"}
        for name in schema.get("required", [])
        if name not in value
    ]
    properties = schema.get("properties", {})
    for name, item in value.items():
        if name in properties:
            errors.extend(validate(properties[name], item, _join(path, name)))
        elif schema.get("additionalProperties") is False:
            errors.append({"path": _join(path, name), "message": "unexpected field"})
    return errors


def _same(value: Any, option: Any) -> bool:
    """JSON equality: `1 == 1.0` but `True != 1`."""
    if isinstance(value, bool) or isinstance(option, bool):
        return value is option
    return bool(value == option)


def coerce(schema: dict[str, Any], value: Any) -> Any:
    """Convert strings to the declared scalar type (and numbers to strings); leave the rest."""
    kind = schema.get("type")
    if isinstance(value, str) and kind in ("number", "integer") and _NUMERIC.match(value):
        number = float(value)
        return int(number) if number == int(number) and abs(number) < 2**53 else number
    if isinstance(value, str) and kind == "boolean" and value in ("true", "false"):
        return value == "true"
    if kind == "null" and value == "":
        return None
    if kind == "string" and isinstance(value, int | float) and not isinstance(value, bool):
        return str(int(value)) if value == int(value) else repr(value)  # JS String(n)
    if kind == "array" and isinstance(value, str) and "items" in schema:
        value = [value]  # a single form/query value for an array field
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        return {k: coerce(properties[k], v) if k in properties else v for k, v in value.items()}
    if isinstance(value, list) and "items" in schema:
        return [coerce(schema["items"], item) for item in value]
    return value


class Registry:
    """Named compiled schemas, safe to use from every runtime thread."""

    def __init__(self) -> None:
        self._schemas: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def put(self, name: str, schema: dict[str, Any]) -> None:
        with self._lock:
            self._schemas[name] = schema

    def get(self, name: str) -> dict[str, Any] | None:
        with self._lock:
            return self._schemas.get(name)

    def drop(self, name: str) -> bool:
        with self._lock:
            return self._schemas.pop(name, None) is not None


_registries: dict[str, Registry] = {}
_registries_lock = threading.Lock()


def registry(state_dir: str) -> Registry:
    """The registry of one server in this process (validate and decode share it)."""
    with _registries_lock:
        return _registries.setdefault(state_dir, Registry())
