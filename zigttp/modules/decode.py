"""`zigttp:decode`: parse request input, coerce it to a schema and validate, in one call.

`decodeJson(schema, body)`, `decodeForm(schema, body)` (application/x-www-form-urlencoded,
`+` as space) and `decodeQuery(schema, req.query)` return `{ok: true, value}` with the coerced
value or `{ok: false, errors: [{path, message}]}` like `zigttp:validate`. `schema` is the name
of a schema registered with `schemaCompile` (shared registry) or an inline schema object.
Form and query values are strings, so they are always coerced (`"42"` → 42 for an integer
field); a repeated form key becomes an array when its property is an array, else last wins.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from zigttp.modules._result import Result, bad_arg, errs, want_dict, want_str
from zigttp.modules._schema import Registry, SchemaError, compile_schema, registry
from zigttp.modules._spec import ModuleContext, ModuleSpec
from zigttp.modules.validate import INVALID_JSON, NOT_FOUND, check, parse_json


def _schema(reg: Registry, fn: str, schema: Any) -> dict[str, Any] | None:
    if isinstance(schema, str):
        return reg.get(schema)
    if isinstance(schema, dict):
        try:
            return compile_schema(schema)
        except SchemaError as problem:
            raise bad_arg(fn, "schema", f"a valid schema ({problem})") from None
    raise bad_arg(fn, "schema", "a schema name or a schema object")


def form_to_object(body: str, schema: dict[str, Any]) -> dict[str, Any]:
    properties = schema.get("properties", {})
    value: dict[str, Any] = {}
    for key, item in parse_qsl(body, keep_blank_values=True):
        if properties.get(key, {}).get("type") == "array":
            value.setdefault(key, []).append(item)
        else:
            value[key] = item
    return value


def create(ctx: ModuleContext) -> dict[str, Any]:
    reg = registry(ctx.state_dir)

    def decode_json(schema: Any, body: Any) -> Result:
        compiled = _schema(reg, "decodeJson", schema)
        text = want_str("decodeJson", "body", body)
        if compiled is None:
            return errs([NOT_FOUND])
        parsed, value = parse_json(text)
        return check(compiled, value, coerced=True) if parsed else errs([INVALID_JSON])

    def decode_form(schema: Any, body: Any) -> Result:
        compiled = _schema(reg, "decodeForm", schema)
        text = "" if body is None else want_str("decodeForm", "body", body)
        if compiled is None:
            return errs([NOT_FOUND])
        return check(compiled, form_to_object(text, compiled), coerced=True)

    def decode_query(schema: Any, query: Any) -> Result:
        compiled = _schema(reg, "decodeQuery", schema)
        value = {} if query is None else want_dict("decodeQuery", "query", query)
        if compiled is None:
            return errs([NOT_FOUND])
        return check(compiled, dict(value), coerced=True)

    return {"decodeJson": decode_json, "decodeForm": decode_form, "decodeQuery": decode_query}


EXPORTS = ("decodeJson", "decodeForm", "decodeQuery")
MODULE = ModuleSpec(
    name="decode",
    exports=EXPORTS,
    create=create,
    traceable=frozenset(EXPORTS),
    pure=frozenset(EXPORTS),
    effects=False,
)
