"""zigttp:validate: schema compile/drop and the JSON-Schema subset's error reports."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

USER = {
    "type": "object",
    "required": ["name", "age"],
    "properties": {
        "name": {"type": "string", "minLength": 2, "maxLength": 10},
        "age": {"type": "integer", "minimum": 0, "maximum": 150},
        "email": {"type": "string", "format": "email"},
        "role": {"enum": ["admin", "user"]},
        "tags": {"type": "array", "items": {"type": "string"}},
    },
}


@pytest.fixture
def v(load: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    exports = load("validate")
    assert exports["schemaCompile"]("user", json.dumps(USER)) is True
    return exports


def test_valid_object_is_ok_with_value(v: dict[str, Any]) -> None:
    body = {"name": "Ann", "age": 30, "tags": ["a"]}
    assert v["validateObject"]("user", body) == {"ok": True, "value": body}


def test_validate_json_parses_then_validates(v: dict[str, Any]) -> None:
    assert v["validateJson"]("user", '{"name":"Ann","age":30}')["ok"] is True


def test_errors_carry_path_and_message(v: dict[str, Any]) -> None:
    result = v["validateObject"](
        "user",
        {"name": "A", "age": 200, "email": "nope", "role": "root", "tags": ["x", 1]},
    )
    assert result == {
        "ok": False,
        "errors": [
            {"path": "name", "message": "string too short"},
            {"path": "age", "message": "above maximum"},
            {"path": "email", "message": "invalid email format"},
            {"path": "role", "message": "value not in enum"},
            {"path": "tags[1]", "message": "type mismatch"},
        ],
    }


def test_missing_required_fields(v: dict[str, Any]) -> None:
    assert v["validateObject"]("user", {})["errors"] == [
        {"path": "name", "message": "missing required field"},
        {"path": "age", "message": "missing required field"},
    ]


def test_integer_accepts_integral_float_but_not_fraction(v: dict[str, Any]) -> None:
    assert v["validateObject"]("user", {"name": "Ann", "age": 3.0})["ok"] is True
    assert v["validateObject"]("user", {"name": "Ann", "age": 3.5})["errors"] == [
        {"path": "age", "message": "type mismatch"}
    ]


def test_boolean_is_not_a_number(v: dict[str, Any]) -> None:
    assert v["validateObject"]("user", {"name": "Ann", "age": True})["ok"] is False


def test_invalid_json_and_unknown_schema(v: dict[str, Any]) -> None:
    assert v["validateJson"]("user", "{nope") == {
        "ok": False,
        "errors": [{"path": "", "message": "invalid JSON"}],
    }
    assert v["validateJson"]("ghost", "{}")["errors"] == [{"path": "", "message": "schema not found"}]


def test_coerce_json_converts_strings(v: dict[str, Any]) -> None:
    assert v["coerceJson"]("user", '{"name":"Ann","age":"42"}') == {
        "ok": True,
        "value": {"name": "Ann", "age": 42},
    }
    assert v["coerceJson"]("user", '{"name":"Ann","age":"old"}')["errors"] == [
        {"path": "age", "message": "type mismatch"}
    ]


@pytest.mark.parametrize(
    "schema",
    [
        "not json",
        '"a string"',
        '{"type":"strnig"}',
        '{"type":"string","format":"hostname"}',
        '{"required":"name"}',
        '{"minLength":-1}',
        '{"properties":{"a":{"type":42}}}',
    ],
)
def test_invalid_schema_is_refused(load: Callable[..., dict[str, Any]], schema: str) -> None:
    assert load("validate")["schemaCompile"]("bad", schema) is False


def test_additional_properties_false(load: Callable[..., dict[str, Any]]) -> None:
    v = load("validate")
    v["schemaCompile"]("strict", {"type": "object", "additionalProperties": False})
    assert v["validateObject"]("strict", {"x": 1})["errors"] == [{"path": "x", "message": "unexpected field"}]


@pytest.mark.parametrize(
    ("fmt", "good", "bad"),
    [
        ("uuid", "123e4567-e89b-12d3-a456-426614174000", "123e4567"),
        ("uri", "https://example.com/x", "not a uri"),
        ("date", "2026-04-19", "2026-13-40"),
        ("date-time", "2026-04-19T12:00:00Z", "2026-04-19"),
        ("iso-date", "2026-04-19", "19/04/2026"),
    ],
)
def test_formats(load: Callable[..., dict[str, Any]], fmt: str, good: str, bad: str) -> None:
    v = load("validate")
    v["schemaCompile"]("f", {"type": "string", "format": fmt})
    assert v["validateObject"]("f", good)["ok"] is True
    assert v["validateObject"]("f", bad)["ok"] is False


def test_schema_drop(v: dict[str, Any]) -> None:
    assert v["schemaDrop"]("user") is True
    assert v["schemaDrop"]("user") is False
    assert v["validateObject"]("user", {})["errors"][0]["message"] == "schema not found"


@pytest.mark.parametrize(
    "email,valid",
    [
        ("ann@example.com", True),
        ("a.b+c@sub.example.org", True),
        ("ann@example", False),
        ("ann@.com", False),
        ("ann@example.", False),
        ("@example.com", False),
        ("a@b@c.d", False),
        ("ann smith@example.com", False),
        ("ann@example.com\n", False),
        ("", False),
    ],
)
def test_email_format_is_one_at_no_space_and_a_dotted_domain(
    load: Callable[..., dict[str, Any]], email: str, valid: bool
) -> None:
    validate = load("validate")
    validate["schemaCompile"]("e", {"type": "string", "format": "email"})
    assert validate["validateObject"]("e", email)["ok"] is valid
