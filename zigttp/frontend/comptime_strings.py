"""String methods available inside comptime(), with JavaScript argument rules
(negative `slice` indexes, `substring` swapping, `replace` = first occurrence only).

The methods that grow a string (repeat, padStart/padEnd, replaceAll) check the size of their
result BEFORE building it: `"a".repeat(1e10)` once drove `zigttp check` to 12.9 GB.
"""

from __future__ import annotations

from collections.abc import Callable

from zigttp.frontend.jsvalues import UNDEFINED, JsValue, to_integer, to_string

MAX_STRING = 1024 * 1024  # characters in any one comptime string (the literal it folds to)


class TooLarge(Exception):
    """A string result would exceed MAX_STRING."""


def check_size(length: float) -> None:
    if length > MAX_STRING:
        raise TooLarge(f"the result would be {int(length):,} characters; the limit is {MAX_STRING:,} (1 MiB)")


def _repeat(s: str, count: JsValue) -> str:
    n = int(to_integer(count))
    if n < 0:
        raise ValueError("repeat count must be non-negative")
    check_size(len(s) * n)
    return s * n


def _replace_all(s: str, old: JsValue, new: JsValue) -> str:
    a, b = to_string(old), to_string(new)
    hits = len(s) + 1 if a == "" else s.count(a)
    check_size(len(s) + hits * (len(b) - len(a)))
    return s.replace(a, b)


def _index(v: JsValue, length: int, default: int) -> int:
    if v is UNDEFINED:
        return default
    n = to_integer(v)
    if n < 0:
        return max(0, int(max(n, -length - 1)) + length)
    return int(min(n, length))


def _slice(s: str, start: JsValue = UNDEFINED, end: JsValue = UNDEFINED) -> str:
    return s[_index(start, len(s), 0) : _index(end, len(s), len(s))]


def _substring(s: str, start: JsValue = UNDEFINED, end: JsValue = UNDEFINED) -> str:
    def clamp(v: JsValue, default: int) -> int:
        return default if v is UNDEFINED else int(min(max(to_integer(v), 0), len(s)))

    a, b = clamp(start, 0), clamp(end, len(s))
    return s[min(a, b) : max(a, b)]


def _split(s: str, sep: JsValue = UNDEFINED, limit: JsValue = UNDEFINED) -> list[str]:
    if sep is UNDEFINED:
        parts = [s]
    elif to_string(sep) == "":
        parts = list(s)
    else:
        parts = s.split(to_string(sep))
    return parts if limit is UNDEFINED else parts[: int(to_integer(limit))]


def _pad(s: str, length: JsValue, fill: JsValue, at_start: bool) -> str:
    target = int(to_integer(length))
    check_size(target)
    filler = " " if fill is UNDEFINED else to_string(fill)
    if target <= len(s) or not filler:
        return s
    needed = target - len(s)
    padding = (filler * (needed // len(filler) + 1))[:needed]
    return padding + s if at_start else s + padding


def _position(v: JsValue) -> int:
    return 0 if v is UNDEFINED else max(0, int(to_integer(v)))


STRING_METHODS: dict[str, Callable[..., JsValue]] = {
    "toUpperCase": lambda s: s.upper(),
    "toLowerCase": lambda s: s.lower(),
    "trim": lambda s: s.strip(),
    "trimStart": lambda s: s.lstrip(),
    "trimEnd": lambda s: s.rstrip(),
    "trimLeft": lambda s: s.lstrip(),
    "trimRight": lambda s: s.rstrip(),
    "slice": _slice,
    "substring": _substring,
    "includes": lambda s, t, p=UNDEFINED: to_string(t) in s[_position(p) :],
    "startsWith": lambda s, t, p=UNDEFINED: s.startswith(to_string(t), _position(p)),
    "endsWith": lambda s, t, e=UNDEFINED: s[: _index(e, len(s), len(s))].endswith(to_string(t)),
    "indexOf": lambda s, t, p=UNDEFINED: float(s.find(to_string(t), _position(p))),
    "charAt": lambda s, i=UNDEFINED: s[int(to_integer(i))] if 0 <= to_integer(i) < len(s) else "",
    "split": _split,
    "repeat": _repeat,
    "replace": lambda s, a, b: s.replace(to_string(a), to_string(b), 1),
    "replaceAll": _replace_all,
    "padStart": lambda s, n, f=UNDEFINED: _pad(s, n, f, True),
    "padEnd": lambda s, n, f=UNDEFINED: _pad(s, n, f, False),
}
