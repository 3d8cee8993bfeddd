"""The functions comptime() may call, with JavaScript semantics: Math, string methods,
`parseInt`, `parseFloat`, `JSON.parse`, and `hash` (FNV-1a, 32-bit, 8 lower-case hex digits).

Everything here is deterministic: `Math.random()` and `Date.now()` are refused by the
evaluator before they get here.
"""

from __future__ import annotations

import json
import math
import re
import struct
from collections.abc import Callable

from zigttp.frontend.jsvalues import (
    UNDEFINED,
    JsValue,
    from_json,
    to_int32,
    to_number,
    to_string,
    to_uint32,
)

FNV_OFFSET = 2166136261
FNV_PRIME = 16777619

MATH_CONSTANTS = {
    "PI": math.pi,
    "E": math.e,
    "LN2": math.log(2),
    "LN10": math.log(10),
    "LOG2E": 1 / math.log(2),
    "LOG10E": 1 / math.log(10),
    "SQRT2": math.sqrt(2),
    "SQRT1_2": math.sqrt(0.5),
}


class BuiltinError(Exception):
    """A builtin was called with values it cannot take (becomes ComptimeTypeMismatch)."""


def fnv1a(text: str) -> str:
    """FNV-1a over the UTF-8 bytes: hash("hello") == "4f9f2cab"."""
    h = FNV_OFFSET
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * FNV_PRIME) & 0xFFFFFFFF
    return f"{h:08x}"


def _safe(fn: Callable[..., float]) -> Callable[..., float]:
    def call(*args: float) -> float:
        try:
            return float(fn(*args))
        except (ValueError, OverflowError, ZeroDivisionError):
            return math.nan

    return call


def js_pow(a: float, b: float) -> float:
    if math.isnan(b) or (abs(a) == 1 and math.isinf(b)):
        return math.nan
    try:
        result = a**b
    except ZeroDivisionError:
        return math.inf
    except OverflowError:
        return math.inf if a > 0 or b % 2 == 0 else -math.inf
    return math.nan if isinstance(result, complex) else float(result)


def _round(x: float) -> float:
    return x if math.isnan(x) or math.isinf(x) else float(math.floor(x + 0.5))


def _sign(x: float) -> float:
    return x if math.isnan(x) or x == 0 else math.copysign(1.0, x)


def _minmax(pick: Callable[..., float], empty: float) -> Callable[..., float]:
    def call(*args: float) -> float:
        if any(math.isnan(a) for a in args):
            return math.nan
        return pick(args) if args else empty

    return call


def _clz32(x: float) -> float:
    return float(32 - to_uint32(x).bit_length())


def _imul(a: float, b: float) -> float:
    return float(to_int32((to_int32(a) * to_int32(b)) & 0xFFFFFFFF))


def _fround(x: float) -> float:
    return float(struct.unpack("f", struct.pack("f", x))[0]) if math.isfinite(x) else x


MATH_FUNCTIONS: dict[str, Callable[..., float]] = {
    "abs": abs,
    "floor": _safe(math.floor),
    "ceil": _safe(math.ceil),
    "round": _round,
    "trunc": _safe(math.trunc),
    "sqrt": _safe(math.sqrt),
    "cbrt": _safe(lambda x: math.copysign(abs(x) ** (1 / 3), x)),
    "sin": _safe(math.sin),
    "cos": _safe(math.cos),
    "tan": _safe(math.tan),
    "asin": _safe(math.asin),
    "acos": _safe(math.acos),
    "atan": _safe(math.atan),
    "atan2": _safe(math.atan2),
    "log": _safe(lambda x: -math.inf if x == 0 else math.log(x)),
    "log2": _safe(lambda x: -math.inf if x == 0 else math.log2(x)),
    "log10": _safe(lambda x: -math.inf if x == 0 else math.log10(x)),
    "exp": _safe(math.exp),
    "pow": js_pow,
    "min": _minmax(min, math.inf),
    "max": _minmax(max, -math.inf),
    "sign": _sign,
    "clz32": _clz32,
    "imul": _imul,
    "fround": _fround,
    "hypot": lambda *a: math.hypot(*a) if a else 0.0,
}


def call_math(name: str, args: list[JsValue]) -> float:
    fn = MATH_FUNCTIONS[name]
    numbers = [to_number(a) for a in args]
    if name in ("floor", "ceil", "trunc") and numbers and not math.isfinite(numbers[0]):
        return numbers[0]
    return float(fn(*numbers))


def parse_int(text: JsValue, radix: JsValue = UNDEFINED) -> float:
    s = to_string(text).strip()
    sign = -1 if s.startswith("-") else 1
    s = s[1:] if s[:1] in "+-" else s
    base = int(to_int32(radix)) if radix is not UNDEFINED else 0
    if base in (0, 16) and s[:2].lower() == "0x":
        s, base = s[2:], 16
    base = base or 10
    if not 2 <= base <= 36:
        return math.nan
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"[:base]
    end = 0
    while end < len(s) and s[end].lower() in digits:
        end += 1
    return float(sign * int(s[:end], base)) if end else math.nan


_FLOAT_PREFIX = re.compile(r"[+-]?(Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)")


def parse_float(text: JsValue) -> float:
    match = _FLOAT_PREFIX.match(to_string(text).lstrip())
    return float(match.group(0).replace("Infinity", "inf")) if match else math.nan


def json_parse(text: JsValue) -> JsValue:
    try:
        return from_json(json.loads(to_string(text)))
    except ValueError as exc:
        raise BuiltinError(f"JSON.parse: {exc}") from exc


def js_hash(*args: JsValue) -> str:
    if len(args) != 1 or not isinstance(args[0], str):
        raise BuiltinError("hash() takes one string argument")
    return fnv1a(args[0])


GLOBAL_FUNCTIONS: dict[str, Callable[..., JsValue]] = {
    "parseInt": parse_int,
    "parseFloat": parse_float,
    "hash": js_hash,
}
