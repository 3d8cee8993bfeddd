"""`zigttp:time`: epoch-millisecond formatting, parsing and arithmetic, always in UTC.

`formatIso(ms)` → `2026-04-19T12:34:56.789Z` (JS `toISOString`), `formatHttp(ms)` → the
RFC 9110 IMF-fixdate `Sun, 19 Apr 2026 12:34:56 GMT`, `parseIso(s)` → epoch ms or undefined
when `s` is not ISO 8601 (a date alone is UTC midnight, a time without offset is UTC),
`addSeconds(ms, s)` → `ms + s*1000`. Fractional milliseconds are truncated toward -∞.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

from zigttp.modules._result import bad_arg, js_number, want_number, want_str
from zigttp.modules._spec import ModuleContext, ModuleSpec

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _datetime(fn: str, ms: Any) -> datetime:
    value = math.floor(want_number(fn, "ms", ms))
    try:
        return EPOCH + timedelta(milliseconds=value)
    except OverflowError:
        raise bad_arg(fn, "ms", "an epoch time within years 1..9999") from None


def format_iso(ms: Any) -> str:
    moment = _datetime("formatIso", ms)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def format_http(ms: Any) -> str:
    moment = _datetime("formatHttp", ms)
    day, month = DAYS[moment.weekday()], MONTHS[moment.month - 1]
    return f"{day}, {moment.day:02d} {month} {moment.year:04d} {moment:%H:%M:%S} GMT"


def parse_iso(text: Any) -> int | None:
    text = want_str("parseIso", "text", text).strip()
    if len(text) < 10 or text[4:5] != "-":
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    delta = moment - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def add_seconds(ms: Any, seconds: Any) -> int | float:
    result = want_number("addSeconds", "ms", ms) + want_number("addSeconds", "seconds", seconds) * 1000
    if not math.isfinite(result):
        raise bad_arg("addSeconds", "seconds", "small enough to keep the result finite")
    return js_number(result)


def create(ctx: ModuleContext) -> dict[str, Any]:
    return {
        "formatIso": format_iso,
        "formatHttp": format_http,
        "parseIso": parse_iso,
        "addSeconds": add_seconds,
    }


EXPORTS = ("formatIso", "formatHttp", "parseIso", "addSeconds")
MODULE = ModuleSpec(
    name="time",
    exports=EXPORTS,
    create=create,
    traceable=frozenset(EXPORTS),
    pure=frozenset(EXPORTS),
    effects=False,
)
