"""The prelude makes each incoming request like a model instance (hooks.objectLike, engine patch
11) instead of running the Request constructors per request (prelude.js, `incoming`). Such a
request must be indistinguishable from one the constructors made: its `clone()` is made by
them, so the two are compared on everything a handler can see."""

from __future__ import annotations

import json

from .harness import load

DUMP = (
    "function dump(r) {\n"
    "  const own = {};\n"
    "  for (const k of Reflect.ownKeys(r)) { const d = Object.getOwnPropertyDescriptor(r, k);\n"
    "    own[String(k)] = [d.value, d.writable, d.enumerable, d.configurable]; }\n"
    "  return { own, proto: Object.getPrototypeOf(r) === Object.getPrototypeOf(r.clone()),\n"
    "    extensible: Object.isExtensible(r), tag: Object.prototype.toString.call(r),\n"
    "    isRequest: r instanceof Request, method: r.method, url: r.url, path: r.path,\n"
    "    query: r.query, headers: [...new Headers(r.headers)], mode: r.mode, used: r.bodyUsed,\n"
    "    json: JSON.stringify(r) };\n"
    "}\n"
)


def test_an_incoming_request_is_like_a_constructed_one() -> None:
    engine = load(
        DUMP + "function handler(r) {\n"
        "  const copy = r.clone();\n"
        "  const a = dump(r), b = dump(copy);\n"
        "  const texts = [r.text(), copy.text()];\n"
        "  r.extra = 1; delete r.path;  // the made one changes like any object\n"
        "  return Response.json({ a, b, texts, after: Object.keys(r), other: Object.keys(copy) });\n}"
    )
    for body, url in ((b"hello", "/a/b?x=1&y=%20"), (None, "/"), (b"", "/only?")):
        got = json.loads(
            engine.dispatch(body, method="POST", url=url, headers="host\x00ex.com\x00x-y\x00z\x00")[2]
        )
        assert got["a"] == got["b"]
        assert got["a"]["path"] == url.split("?")[0]
        assert got["texts"][0] == got["texts"][1] == (body or b"").decode()
        assert got["after"] == ["method", "url", "extra"] and got["other"] == ["method", "url", "path"]


def test_a_fetch_handlers_request_is_like_a_constructed_one() -> None:
    engine = load(
        DUMP + "var handler = { fetch(r) {\n"
        "  const a = dump(r), b = dump(r.clone());\n"
        "  return Response.json({ a, b, url: r.url, text: r.text() });\n} };\n"
        "globalThis.__zigttp_exports = { default: handler };"
    )
    got = json.loads(engine.dispatch(b"{}", method="PUT", url="/p?q=1", headers="host\x00ex.com\x00")[2])
    assert got["url"] == "http://ex.com/p?q=1"
    got["a"].pop("used"), got["b"].pop("used")
    assert got["a"] == got["b"]
