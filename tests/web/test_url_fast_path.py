"""`new URL(text)` answers a URL that parsing leaves as written from slices of the text (the
fast path of web/50-url.js), everything else from ada: both must give ada's components."""

from __future__ import annotations

import itertools
import json
import random

import pytest

from tests.web.jsrun import call_json, runtime
from zigttp import web
from zigttp.web import url as url_module

SCHEMES = ["http", "https", "HTTP", "ftp", "ws", "file"]
HOSTS = [
    "example.com",
    "EXAMPLE.com",
    "a-b.example",
    "-a.b",
    "a--b.c",
    "localhost",
    "1a.com",
    "a.1",
    "com.0x",
    "a.0x1f",
    "a.09",
    "127.0.0.1",
    "0.0.0.0",
    "255.255.255.255",
    "256.1.1.1",
    "01.2.3.4",
    "1.2.3",
    "0x7f.0.0.1",
    "xn--nxasmq6b.com",
    "a.xn--p1ai",
    "a..b",
    "a.",
    "[::1]",
    "ex%41mple.com",
    "user@example.com",
    "ex ample.com",
    "b\u00fccher.de",
]
PORTS = ["", ":80", ":443", ":8080", ":0", ":1", ":65535", ":65536", ":080", ":"]
PATHS = [
    "",
    "/",
    "/a/b",
    "/api/users/42",
    "/./a",
    "/a/./b",
    "/a/../b",
    "/a/..",
    "/%2e/x",
    "/%2E%2e/x",
    "/.well-known/x",
    "/a%2Fb",
    "/a b",
    "/a'b",
    "/~x!$&'()*+,;=:@",
    "/a%zz",
    "/a\\b",
    "/a^b",
    "/a`b",
    "/a{b}",
    "/a|b",
    "/\u00e9",
    "/a#b",
    "/a\tb",
]
QUERIES = ["", "?", "?a=1&b=2", "?a'b", "?a b", "?x=%20", "??", "?a=/b?c", "?a^b", "?\u00e9"]


def corpus() -> list[str]:
    every = [
        "".join(parts)
        for parts in itertools.product(SCHEMES[:2], ["://"], HOSTS, PORTS, PATHS[:4], QUERIES[:3])
    ]
    rng = random.Random(16)
    rest = [
        "".join(parts)
        for parts in itertools.product(SCHEMES, ["://"], HOSTS, PORTS, PATHS, QUERIES, ["", "#f"])
    ]
    return (
        every + rng.sample(rest, 3000) + [" http://a.com/", "http://a.com/\n", "http:/a.com/", "http://a.com"]
    )


def ada(text: str) -> list[str] | None:
    return url_module.parse(text, None)


URL_PARTS = (
    "const out = []; for (const t of JSON.parse(await request.text())) { let u = null;"
    " try { const x = new URL(t); u = [x.href, x.origin, x.protocol, x.username, x.password, x.host,"
    " x.hostname, x.port, x.pathname, x.search, x.hash]; } catch (e) {} out.push(u); }"
    " return Response.json(out);"
)


def test_every_url_has_adas_components(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def counted(text: str, base: str | None) -> list[str] | None:
        asked.append(text)
        return url_module.parse(text, base)

    monkeypatch.setitem(web._REGISTRY, "url.parse", counted)
    inputs = corpus()
    rt = runtime(f"export default {{ async fetch(request) {{ {URL_PARTS} }} }}")
    got = call_json(rt, json.dumps(inputs).encode())
    mismatches = [
        (text, mine, ada(text)) for text, mine in zip(inputs, got, strict=True) if mine != ada(text)
    ]
    assert mismatches == []
    # the fast path answered the plain ones (no host call), ada the rest
    assert "http://example.com/api/users/42?a=1&b=2" not in asked
    assert "http://127.0.0.1:8080/a/b" not in asked
    for changed in ("http://01.2.3.4/", "http://example.com:80/", "https://EXAMPLE.com/", "http://a.0x1f/"):
        assert changed in asked
    assert len(asked) < len(inputs) - 500
