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


def test_a_response_without_init_headers_is_like_a_constructed_one() -> None:
    """Responses without init headers are made like a model too; `clone()` and a Response with
    init headers are made by the constructor: everything a handler sees is the same."""
    engine = load(
        "async function dump(r) {\n"
        "  return { own: Reflect.ownKeys(r).length, ext: Object.isExtensible(r), s: r.status,\n"
        "    st: r.statusText, ok: r.ok, type: r.type, url: r.url, red: r.redirected,\n"
        "    h: [...r.headers], tag: Object.prototype.toString.call(r), isR: r instanceof Response,\n"
        "    before: r.bodyUsed, text: await r.text(), after: r.bodyUsed };\n"
        "}\n"
        "class Mine extends Response {}\n"
        "async function handler(request) {\n"
        "  const made = [Response.json({ a: 1 }), Response.text('t', { status: 201 }), new Response('n'),\n"
        "    Response('seed'), new Response(null, { status: 204 }), Response.html('<p>', { statusText: 'Fine' }),\n"
        "    new Mine('sub')];\n"
        "  const out = [];\n"
        "  for (const r of made) {\n"
        "    const copy = r.clone();\n"
        "    const withHeaders = new Response(r.clone().body, { status: r.status, headers: r.headers });\n"
        "    out.push([await dump(r), await dump(copy), (await dump(withHeaders)).h, r instanceof Mine]);\n"
        "  }\n"
        "  return Response.json(out);\n}"
    )
    got = json.loads(engine.dispatch()[2])
    for index, (made, copy, headers, mine) in enumerate(got):
        assert made == copy, index
        assert made["h"] == headers, index
        assert mine == (index == 6)
    assert [row[0]["s"] for row in got] == [200, 201, 200, 200, 204, 200, 200]
    assert got[5][0]["st"] == "Fine" and got[0][0]["text"] == '{"a":1}'
