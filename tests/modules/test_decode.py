"""zigttp:decode: JSON, form and query ingress coerced and validated against a schema."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from zigttp.modules import ModuleTypeError

ITEM = {
    "type": "object",
    "required": ["name", "qty"],
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "qty": {"type": "integer", "minimum": 1},
        "gift": {"type": "boolean"},
        "tags": {"type": "array", "items": {"type": "string"}},
    },
}


@pytest.fixture
def d(load: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    load("validate")["schemaCompile"]("item", ITEM)  # same server state → shared registry
    return load("decode")


def test_decode_json_uses_registered_schema(d: dict[str, Any]) -> None:
    assert d["decodeJson"]("item", '{"name":"pen","qty":"2"}') == {
        "ok": True,
        "value": {"name": "pen", "qty": 2},
    }


def test_decode_json_invalid(d: dict[str, Any]) -> None:
    assert d["decodeJson"]("item", "{")["errors"] == [{"path": "", "message": "invalid JSON"}]


def test_decode_form_coerces_and_collects_arrays(d: dict[str, Any]) -> None:
    result = d["decodeForm"]("item", "name=blue+pen&qty=3&gift=true&tags=a&tags=b")
    assert result == {
        "ok": True,
        "value": {"name": "blue pen", "qty": 3, "gift": True, "tags": ["a", "b"]},
    }


def test_decode_form_reports_errors(d: dict[str, Any]) -> None:
    assert d["decodeForm"]("item", "name=&qty=0")["errors"] == [
        {"path": "name", "message": "string too short"},
        {"path": "qty", "message": "below minimum"},
    ]


def test_decode_query_accepts_request_query_object(d: dict[str, Any]) -> None:
    assert d["decodeQuery"]("item", {"name": "pen", "qty": 5, "tags": "x"}) == {
        "ok": True,
        "value": {"name": "pen", "qty": 5, "tags": ["x"]},
    }


def test_inline_schema_object(d: dict[str, Any]) -> None:
    schema = {"type": "object", "properties": {"n": {"type": "number"}}}
    assert d["decodeQuery"](schema, {"n": "1.5"}) == {"ok": True, "value": {"n": 1.5}}


def test_unknown_schema_name(d: dict[str, Any]) -> None:
    assert d["decodeJson"]("ghost", "{}")["errors"] == [{"path": "", "message": "schema not found"}]


def test_bad_inline_schema_raises(d: dict[str, Any]) -> None:
    with pytest.raises(ModuleTypeError, match="decodeJson: argument 'schema'"):
        d["decodeJson"]({"type": "nope"}, "{}")
