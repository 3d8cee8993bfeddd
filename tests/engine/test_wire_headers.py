"""The request's "name\\0value\\0..." header wire, read in C (hooks wireMap and wireHeader of
native/engine/headers.c): both request shapes see what the split-and-loop reading gave, odd
wires included, and the names the prelude keeps apart (set-cookie, get, has) still are."""

from __future__ import annotations

import json

import pytest

from tests.engine.harness import load, responder

WIRES = [
    "",
    "host\0example.com",
    "host\0a.example\0user-agent\0ua\0x-n\0 1 \0accept\0*/*",
    "x\0a\0x\0b",  # the last one wins, as in the map
    "x\0",
    "x",
    "x\0a\0y",  # a last name without a value is dropped
    "\0\0\0",
    "1\0one\0__proto__\0p\0constructor\0c\0x\0\u00ff\u00e9",
    "get\0g\0has\0h\0a\0b",
    "set-cookie\0s=1\0a\0b\0set-cookie\0t=2",
]


def expected(wire: str) -> dict[str, str]:
    parts = wire.split("\0")
    return {parts[i]: parts[i + 1] for i in range(0, len(parts) - 1, 2)}


@pytest.mark.parametrize("wire", WIRES)
def test_the_original_request_headers_object(wire: str) -> None:
    engine = responder(
        "Response.json({own: Object.fromEntries(Object.entries(request.headers)),"
        " get: request.headers.get('get'), has: request.headers.has('has'), x: request.headers.get('X')})"
    )
    data = json.loads(engine.dispatch(headers=wire)[2])
    want = expected(wire)
    assert data["own"] == {k: v for k, v in want.items() if k not in ("get", "has")}
    assert data["get"] == want.get("get") and data["has"] == ("has" in want)
    assert data["x"] == want.get("x")


@pytest.mark.parametrize("wire", WIRES)
def test_the_fetch_request_headers_and_url(wire: str) -> None:
    engine = load(
        "const handler = { fetch(request) { const url = request.url;"
        " return Response.json({url, pairs: [...request.headers], cookies: request.headers.getSetCookie()}); } };"
    )
    data = json.loads(engine.dispatch(headers=wire, url="/p?q")[2])
    want = expected(wire)
    parts = wire.split("\0")
    cookies = [parts[i + 1] for i in range(0, len(parts) - 1, 2) if parts[i] == "set-cookie"]
    assert data["cookies"] == cookies
    plain = sorted((k, v) for k, v in want.items() if k != "set-cookie")
    assert sorted(p for p in data["pairs"] if p[0] != "set-cookie") == [list(p) for p in plain]
    host = want.get("host")
    assert data["url"] == (f"http://{host}/p?q" if host else "http://localhost/p?q")
