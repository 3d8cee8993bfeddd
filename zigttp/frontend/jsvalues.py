"""JavaScript value semantics in Python, for the comptime evaluator.

Numbers are Python floats (JS has only doubles); `UNDEFINED` stands for `undefined` and None
for `null`. Conversions follow ECMAScript ToNumber/ToString/ToInt32 closely enough that a
folded expression prints what the engine would have computed, and `literal()` writes values
back as JS source in the format of the reference (§1.12): `7`, `3.141592653589793`, `"a\\n"`,
`[1,2,3]`, `({timeout:30})`.
"""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from typing import Any

JsValue = Any


class _Undefined:
    def __repr__(self) -> str:
        return "undefined"


UNDEFINED = _Undefined()
_IDENT = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
_NUMERIC_STR = re.compile(r"^[+-]?(Infinity|(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?)$")
_STRING_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
INT31 = 2**31 - 1


def format_number(x: float) -> str:
    """ECMAScript Number::toString(10): shortest round-trip digits, JS exponent rules."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "0"
    if x < 0:
        return "-" + format_number(-x)
    _, digit_tuple, exp = Decimal(repr(x)).as_tuple()
    digits = "".join(map(str, digit_tuple)).rstrip("0") or "0"
    exp = int(exp) + (len(digit_tuple) - len(digits))
    k = len(digits)
    n = exp + k
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + digits
    e = n - 1
    mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
    return f"{mantissa}e{'+' if e > 0 else '-'}{abs(e)}"


def to_string(v: JsValue) -> str:
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float | int):
        return format_number(float(v))
    if v is None:
        return "null"
    if v is UNDEFINED:
        return "undefined"
    if isinstance(v, list):
        return ",".join("" if e is None or e is UNDEFINED else to_string(e) for e in v)
    return "[object Object]"


def to_number(v: JsValue) -> float:
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, float | int):
        return float(v)
    if v is None:
        return 0.0
    if isinstance(v, str):
        return _string_to_number(v.strip())
    if isinstance(v, list):
        return to_number(to_string(v))
    return math.nan


def _string_to_number(s: str) -> float:
    if not s:
        return 0.0
    if re.fullmatch(r"0[xX][0-9a-fA-F]+", s):
        return float(int(s, 16))
    if re.fullmatch(r"0[oO][0-7]+", s):
        return float(int(s[2:], 8))
    if re.fullmatch(r"0[bB][01]+", s):
        return float(int(s[2:], 2))
    return float(s) if _NUMERIC_STR.match(s) else math.nan


def to_int32(v: JsValue) -> int:
    n = to_uint32(v)
    return n - 2**32 if n >= 2**31 else n


def to_uint32(v: JsValue) -> int:
    x = to_number(v)
    if math.isnan(x) or math.isinf(x):
        return 0
    return int(x) % 2**32


def to_integer(v: JsValue) -> float:
    """ToIntegerOrInfinity."""
    x = to_number(v)
    if math.isnan(x):
        return 0.0
    return x if math.isinf(x) else float(math.trunc(x))


def truthy(v: JsValue) -> bool:
    if isinstance(v, float | int) and not isinstance(v, bool):
        return not (v == 0 or math.isnan(v))
    if isinstance(v, str):
        return v != ""
    return not (v is None or v is UNDEFINED or v is False)


def strict_equals(a: JsValue, b: JsValue) -> bool:
    if _kind(a) != _kind(b):
        return False
    if isinstance(a, list | dict):
        return a is b
    return bool(a == b)


def loose_equals(a: JsValue, b: JsValue) -> bool:
    nullish = (None, UNDEFINED)
    if a in nullish or b in nullish:
        return a in nullish and b in nullish
    if _kind(a) == _kind(b):
        return strict_equals(a, b)
    if isinstance(a, list | dict) or isinstance(b, list | dict):
        return to_string(a) == to_string(b)
    return to_number(a) == to_number(b)


def _kind(v: JsValue) -> str:
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, float | int):
        return "number"
    if v is None:
        return "null"
    if v is UNDEFINED:
        return "undefined"
    return type(v).__name__


def literal(v: JsValue, top: bool = True) -> str:
    """JS source for a folded value (objects parenthesised at top level)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float | int):
        x = float(v)
        if x.is_integer() and abs(x) < INT31:
            return str(int(x))
        return format_number(x)
    if isinstance(v, str):
        return quote(v)
    if v is None:
        return "null"
    if v is UNDEFINED:
        return "undefined"
    if isinstance(v, list):
        return "[" + ",".join(literal(e, False) for e in v) + "]"
    body = ",".join(f"{_key(k)}:{literal(e, False)}" for k, e in v.items())
    return f"({{{body}}})" if top else f"{{{body}}}"


def quote(s: str) -> str:
    out = []
    for ch in s:
        if ch in _STRING_ESCAPES:
            out.append(_STRING_ESCAPES[ch])
        elif ord(ch) < 0x20 or ch in "\u2028\u2029":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _key(k: str) -> str:
    return k if _IDENT.match(k) else json.dumps(k)


def from_json(v: Any) -> JsValue:
    """json.loads result → comptime values (every number is a double)."""
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, int | float):
        return float(v)
    if isinstance(v, list):
        return [from_json(e) for e in v]
    return {k: from_json(e) for k, e in v.items()}
