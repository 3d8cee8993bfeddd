"""Result values and argument checks shared by every `zigttp:*` module.

Results follow spec §7: `{"ok": True, "value": ...}` or `{"ok": False, "error": ...}`
(validation failures carry `errors`). Argument checks raise `ModuleTypeError` with one message
shape, `"<fn>: argument '<name>' must be <what>"`, which the bridge turns into a JS TypeError.

JS values arrive JSON-decoded, so a JS number is an `int` or a `float` and `true` is a `bool`;
since `bool` is a subclass of `int` in Python, every numeric check rejects bools explicitly.
"""

from __future__ import annotations

import math
from typing import Any

from zigttp.modules._spec import ModuleTypeError

Result = dict[str, Any]


def ok(value: Any) -> Result:
    return {"ok": True, "value": value}


def err(error: Any) -> Result:
    return {"ok": False, "error": error}


def errs(errors: list[Any]) -> Result:
    return {"ok": False, "errors": errors}


def bad_arg(fn: str, name: str, what: str) -> ModuleTypeError:
    return ModuleTypeError(f"{fn}: argument '{name}' must be {what}")


def want_str(fn: str, name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise bad_arg(fn, name, "a string")
    return value


def want_opt_str(fn: str, name: str, value: Any) -> str | None:
    return None if value is None else want_str(fn, name, value)


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def want_number(fn: str, name: str, value: Any, minimum: float | None = None) -> float:
    """A finite JS number, optionally `>= minimum`."""
    if not is_number(value) or not math.isfinite(value):
        raise bad_arg(fn, name, "a finite number")
    if minimum is not None and value < minimum:
        raise bad_arg(fn, name, f"a number >= {minimum:g}")
    return value


def want_opt_number(fn: str, name: str, value: Any) -> float | None:
    return None if value is None else want_number(fn, name, value)


MAX_SAFE_INTEGER = 2**53 - 1  # JS Number.MAX_SAFE_INTEGER; also fits SQLite's INTEGER


def want_int(fn: str, name: str, value: Any, minimum: int | None = None) -> int:
    """An integral JS number (`3.0` is accepted, `2.5` is not) within the JS safe-integer
    range, optionally `>= minimum`."""
    if not is_number(value) or not math.isfinite(value) or value != int(value):
        raise bad_arg(fn, name, "an integer")
    if abs(value) > MAX_SAFE_INTEGER:
        raise bad_arg(fn, name, "a safe integer (|n| <= 2^53 - 1)")
    if minimum is not None and value < minimum:
        raise bad_arg(fn, name, f"an integer >= {minimum}")
    return int(value)


def want_dict(fn: str, name: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise bad_arg(fn, name, "an object")
    return value


def want_opt_dict(fn: str, name: str, value: Any) -> dict[str, Any]:
    return {} if value is None else want_dict(fn, name, value)


def want_str_list(fn: str, name: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise bad_arg(fn, name, "an array of strings")
    return value


def js_number(value: float) -> int | float:
    """A float that JS would print without a fraction comes back as an int (`3.0` → `3`)."""
    if math.isfinite(value) and value == int(value) and abs(value) < 2**53:
        return int(value)
    return value
