"""Fetch-standard Headers, Request and Response (issue 17 item 2), through a real server."""

from __future__ import annotations

import socket

import pytest

FETCH_HANDLER = r"""
const cases = {
  "/url": async (req) => ({ url: req.url, path: req.path, method: req.method, mode: req.mode,
    body: await req.text(), used: req.bodyUsed, isRequest: req instanceof Request }),
  "/headers": () => {
    const h = new Headers([["B", " 2 \t"], ["a", "1"], ["Set-Cookie", "x=1"], ["set-cookie", "y=2"], ["a", "3"]]);
    const out = { pairs: [...h], keys: [...h.keys()], cookies: h.getSetCookie(), nul: new Headers({ a: null }).get("a") };
    for (const bad of [() => new Headers([["a"]]), () => h.get("bad name"), () => h.set("a", "x\ny"),
                       () => h.append("a", "\u0100"), () => new Headers(7), () => Response.error().headers.set("a", "1")]) {
      try { bad(); out.threw = (out.threw || "") + "no;"; } catch (e) { out.threw = (out.threw || "") + e.constructor.name + ";"; }
    }
    return out;
  },
  "/request": () => {
    const out = {};
    const attempts = {
      trace: () => new Request("http://x/", { method: "TRACE" }),
      getBody: () => new Request("http://x/", { body: "x" }),
      navigate: () => new Request("http://x/", { mode: "navigate" }),
      badEnum: () => new Request("http://x/", { redirect: "sometimes" }),
      credentials: () => new Request("http://u:p@x/"),
      badSignal: () => new Request("http://x/", { signal: {} }),
    };
    for (const name of Object.keys(attempts)) {
      try { attempts[name](); out[name] = "accepted"; } catch (e) { out[name] = e.constructor.name; }
    }
    const r = new Request("http://x/a?b=1", { method: "post", body: "hi", headers: { "X-A": "1" }, redirect: "manual" });
    const c = r.clone();
    out.fields = [r.method, new Request("http://x/", { method: "patch" }).method, r.redirect, r.cache,
                  r.credentials, r.headers.get("content-type"), c.headers.get("x-a"), r.url];
    return out;
  },
  "/response": async () => {
    const r = new Response("body", { status: 201, statusText: "Made", headers: { "X-A": "1" } });
    const c = r.clone();
    const text = await r.text();
    let again;
    try { await r.text(); again = "read twice"; } catch (e) { again = e.constructor.name; }
    const e = Response.error();
    const out = { text, again, used: r.bodyUsed, cloneText: await c.text(), type: r.type, url: r.url,
      redirected: r.redirected, statusText: r.statusText, error: [e.type, e.status, e.ok],
      json: await Response.json({ a: 1 }).json(), bytes: [...await new Response("ab").bytes()] };
    for (const [name, bad] of [["status", () => new Response("", { status: 99 })], ["nullBody", () => new Response("x", { status: 204 })],
                               ["redirect", () => Response.redirect("/x", 200)], ["reason", () => new Response("", { statusText: "a\nb" })]]) {
      try { bad(); out[name] = "accepted"; } catch (e) { out[name] = e.constructor.name; }
    }
    return out;
  },
};
export default { async fetch(request) {
  const path = new Request(request.url).path;
  return Response.json(await cases[path](request));
} };
"""

SEED_HANDLER = r"""
function handler(req) {
  const bytes = req.bytes();
  return Response.json({ url: req.url, path: req.path, length: bytes.length, first: bytes[0], body: req.body });
}
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from tests.conftest import start_server

    path = tmp_path_factory.mktemp("fetch-classes") / "handler.js"
    path.write_text(FETCH_HANDLER)
    proc = start_server([str(path), "-n", "1"])
    yield proc
    proc.stop()


def test_a_fetch_handler_gets_a_standard_request_with_an_absolute_url(server) -> None:
    body = server.post("/url?x=1", data="payload", headers={"Host": "api.example.com:8443"}).json()
    assert body == {
        "url": "http://api.example.com:8443/url?x=1",
        "path": "/url",
        "method": "POST",
        "mode": "cors",
        "body": "payload",
        "used": True,
        "isRequest": True,
    }


def test_without_a_host_header_the_url_uses_the_listening_socket(server) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as conn:
        conn.sendall(b"GET /url HTTP/1.0\r\n\r\n")
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    assert f'"url":"http://127.0.0.1:{server.port}/url"'.encode() in data


def test_a_host_that_is_not_an_authority_uses_the_listening_socket_after_a_valid_one(server) -> None:
    """The last valid Host is remembered (not tested again); an invalid one after it is not
    taken for it."""

    def url_with(host: bytes) -> bytes:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as conn:
            conn.sendall(b"GET /url HTTP/1.0\r\nHost: " + host + b"\r\n\r\n")
            data = b""
            while chunk := conn.recv(65536):
                data += chunk
        return data

    socket_url = f'"url":"http://127.0.0.1:{server.port}/url"'.encode()
    assert b'"url":"http://good.example:81/url"' in url_with(b"good.example:81")
    assert b'"url":"http://good.example:81/url"' in url_with(b"good.example:81")
    assert socket_url in url_with(b"bad host/x")
    assert socket_url in url_with(b"good.example:81@evil")
    assert b'"url":"http://good.example:81/url"' in url_with(b"good.example:81")


def test_headers_validate_normalise_sort_and_combine(server) -> None:
    body = server.get("/headers").json()
    assert body["pairs"] == [["a", "1, 3"], ["b", "2"], ["set-cookie", "x=1"], ["set-cookie", "y=2"]]
    assert body["keys"] == ["a", "b", "set-cookie", "set-cookie"]
    assert body["cookies"] == ["x=1", "y=2"]
    assert body["nul"] == "null"
    assert body["threw"] == "TypeError;" * 6


def test_request_init_is_validated_and_methods_normalised(server) -> None:
    body = server.get("/request").json()
    assert {k: body[k] for k in ("trace", "getBody", "navigate", "badEnum", "credentials", "badSignal")} == {
        "trace": "TypeError",
        "getBody": "TypeError",
        "navigate": "TypeError",
        "badEnum": "TypeError",
        "credentials": "TypeError",
        "badSignal": "TypeError",
    }
    assert body["fields"] == [
        "POST",
        "patch",
        "manual",
        "default",
        "same-origin",
        "text/plain;charset=UTF-8",
        "1",
        "http://x/a?b=1",
    ]


def test_response_fields_body_mixin_clone_and_statics(server) -> None:
    body = server.get("/response").json()
    assert body == {
        "text": "body",
        "again": "TypeError",
        "used": True,
        "cloneText": "body",
        "type": "default",
        "url": "",
        "redirected": False,
        "statusText": "Made",
        "error": ["error", 0, False],
        "json": {"a": 1},
        "bytes": [97, 98],
        "status": "RangeError",
        "nullBody": "TypeError",
        "redirect": "RangeError",
        "reason": "TypeError",
    }


def test_the_original_handler_shape_keeps_its_url_and_gains_body_methods(serve) -> None:
    server = serve(SEED_HANDLER, "-n", "1")
    body = server.post("/p?q=1", data=b"\x07bc").json()
    assert body == {"url": "/p?q=1", "path": "/p", "length": 3, "first": 7, "body": "\x07bc"}
