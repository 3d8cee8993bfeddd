"""`zigttp:validate`: named JSON-Schema-subset validation (rules in `_schema.py`).

`schemaCompile(name, schema)` registers a schema given as JSON text (or an object) and returns
false if it is not a valid schema, so a bad schema never silently accepts everything.
`validateJson`/`coerceJson` parse a JSON string first; `validateObject` takes a value.
Every failure is `{ok: false, errors: [{path, message}]}`: invalid JSON is
`[{path: "", message: "invalid JSON"}]` and an unregistered name is
`[{path: "", message: "schema not found"}]`, so handlers only ever inspect `errors`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from zigttp.modules._result import Result, errs, ok, want_str
from zigttp.modules._schema import Registry, SchemaError, coerce, compile_schema, registry, validate
from zigttp.modules._spec import ModuleContext, ModuleSpec

INVALID_JSON = {"path": "", "message": "invalid JSON"}
NOT_FOUND = {"path": "", "message": "schema not found"}


def parse_json(text: str) -> tuple[bool, Any]:
    try:
        return True, json.loads(text)
    except ValueError:
        return False, None


def check(schema: dict[str, Any], value: Any, *, coerced: bool) -> Result:
    candidate = coerce(schema, value) if coerced else value
    problems = validate(schema, candidate)
    return errs(problems) if problems else ok(candidate)


def make_exports(reg: Registry) -> dict[str, Callable[..., Any]]:
    def schema_compile(name: Any, schema: Any) -> bool:
        name = want_str("schemaCompile", "name", name)
        if isinstance(schema, str):
            parsed, schema = parse_json(schema)
            if not parsed:
                return False
        try:
            reg.put(name, compile_schema(schema))
        except SchemaError:
            return False
        return True

    def run(fn: str, name: Any, value: Any, *, from_json: bool, coerced: bool) -> Result:
        schema = reg.get(want_str(fn, "name", name))
        if schema is None:
            return errs([NOT_FOUND])
        if from_json:
            parsed, value = parse_json(want_str(fn, "json", value))
            if not parsed:
                return errs([INVALID_JSON])
        return check(schema, value, coerced=coerced)

    return {
        "schemaCompile": schema_compile,
        "validateJson": lambda n, j: run("validateJson", n, j, from_json=True, coerced=False),
        "validateObject": lambda n, v: run("validateObject", n, v, from_json=False, coerced=False),
        "coerceJson": lambda n, j: run("coerceJson", n, j, from_json=True, coerced=True),
        "schemaDrop": lambda n: reg.drop(want_str("schemaDrop", "name", n)),
    }


def create(ctx: ModuleContext) -> dict[str, Any]:
    return make_exports(registry(ctx.state_dir))


MODULE = ModuleSpec(
    name="validate",
    exports=("schemaCompile", "validateJson", "validateObject", "coerceJson", "schemaDrop"),
    create=create,
    traceable=frozenset({"validateJson", "validateObject", "coerceJson"}),
    pure=frozenset({"validateJson", "validateObject", "coerceJson"}),
    effects=False,
)
