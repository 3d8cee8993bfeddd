"""zigttp:time: ISO and HTTP dates in UTC, ISO parsing, second arithmetic."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from zigttp.modules import ModuleTypeError

MS = 1_776_602_096_789  # 2026-04-19T12:34:56.789Z, a Sunday


@pytest.fixture
def time(load: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    return load("time")


def test_format_iso(time: dict[str, Any]) -> None:
    assert time["formatIso"](MS) == "2026-04-19T12:34:56.789Z"
    assert time["formatIso"](0) == "1970-01-01T00:00:00.000Z"


def test_format_http(time: dict[str, Any]) -> None:
    assert time["formatHttp"](MS) == "Sun, 19 Apr 2026 12:34:56 GMT"


@pytest.mark.parametrize(
    ("text", "ms"),
    [
        ("2026-04-19T12:34:56.789Z", MS),
        ("2026-04-19T14:34:56.789+02:00", MS),
        ("2026-04-19T12:34:56.789", MS),
        ("1970-01-01", 0),
        ("2024-03-15T14:30:00.000Z", 1_710_513_000_000),
    ],
)
def test_parse_iso(time: dict[str, Any], text: str, ms: int) -> None:
    assert time["parseIso"](text) == ms


@pytest.mark.parametrize("text", ["not-a-date", "2024", "", "2024-13-01", "12:00:00"])
def test_parse_iso_invalid_is_undefined(time: dict[str, Any], text: str) -> None:
    assert time["parseIso"](text) is None


def test_round_trip(time: dict[str, Any]) -> None:
    assert time["parseIso"](time["formatIso"](MS)) == MS


def test_add_seconds(time: dict[str, Any]) -> None:
    assert time["addSeconds"](MS, 60) == MS + 60_000
    assert time["addSeconds"](1000, -1.5) == -500


def test_bad_ms_raises(time: dict[str, Any]) -> None:
    with pytest.raises(ModuleTypeError, match="formatIso: argument 'ms'"):
        time["formatIso"]("now")


def test_add_seconds_overflow_raises(time: dict[str, Any]) -> None:
    with pytest.raises(ModuleTypeError, match="addSeconds: argument 'seconds'"):
        time["addSeconds"](1e308, 1e308)
