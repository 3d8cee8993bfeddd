"""The handler API of spec §2, exercised through a real server and a real HTTP client."""

from __future__ import annotations

import pytest

ECHO = r"""
function handler(request) {
  const h = request.headers;
  return Response.json({
    method: request.method, url: request.url, path: request.path, query: request.query,
    ua: h["user-agent"], viaGet: h.get("X-Custom"), missing: h.get("nope"), body: request.body,
  });
}
"""


@pytest.fixture(scope="module")
def api_server(tmp_path_factory):
    from tests.conftest import start_server

    path = tmp_path_factory.mktemp("api") / "api.js"
    path.write_text(API_HANDLER)
    server = start_server([str(path), "-n", "2"])
    yield server
    server.stop()


API_HANDLER = r"""
function handler(req) {
  const p = req.path;
  if (p === "/json-init") return Response.json({a: 1}, {status: 201, headers: {"X-Extra": "yes"}});
  if (p === "/json-override") return Response.json({a: 1}, {headers: {"Content-Type": "application/vnd.api+json"}});
  if (p === "/text") return Response.text("plain", {status: 202});
  if (p === "/html") return Response.html("<b>hi</b>", {headers: {"Cache-Control": "no-store"}});
  if (p === "/redirect") return Response.redirect("/elsewhere");
  if (p === "/redirect301") return Response.redirect("/moved", 301);
  if (p === "/ctor") return Response("made", {status: 203, headers: {"X-Ctor": "1"}});
  if (p === "/new-ctor") return new Response("made with new", {headers: new Headers({"X-New": "2"})});
  if (p === "/headers") {
    const h = Headers({"A": "1"});
    const h2 = new Headers([["b", "2"]]);
    h.append("a", "3"); h2.set("C", "4"); h2.delete("b");
    return Response.json({a: h.get("A"), hasB: h2.has("b"), c: h2.get("c"), list: [...h.keys()]});
  }
  if (p === "/request") {
    const r1 = Request("http://example.com/x/y?z=1", {method: "post", headers: {"X-A": "b"}, body: "hi"});
    const r2 = new Request("/plain");
    return Response.json({m: r1.method, url: r1.url, path: r1.path, q: r1.query, h: r1.headers.get("x-a"),
      body: r1.text(), m2: r2.method, b2: r2.body});
  }
  if (p === "/hand-built") return {status: 418, headers: {"X-Tea": "pot"}, body: "short and stout"};
  if (p === "/string") return "just a string";
  if (p === "/text-twice") { req.text(); return Response.text(req.text()); }
  if (p === "/json-body") return Response.json({got: req.json()});
  if (p === "/text-body") return Response.text(req.text());
  if (p === "/no-body") return Response.json({body: req.body, text: req.text()});
  if (p === "/bad-json") return Response.json({got: req.json() === undefined});
  if (p === "/response-fields") { const r = Response.json({}, {status: 404}); return Response.json({ok: r.ok, status: r.status, statusText: r.statusText, ct: r.headers.get("content-type")}); }
  if (p === "/cookies") { const h = new Headers(); h.append("Set-Cookie", "a=1"); h.append("Set-Cookie", "b=2"); return Response("c", {headers: h}); }
  if (p === "/204") return new Response(null, {status: 204});
  return Response.json({method: req.method, url: req.url, path: req.path, query: req.query,
    ua: req.headers["user-agent"], viaGet: req.headers.get("X-Custom"), missing: req.headers.get("nope"), body: req.body});
}
"""


def test_request_fields_method_url_path_query_headers_body(api_server) -> None:
    response = api_server.post(
        "/a/b?x=1&y=hello+world&z=%C3%A9%26&n=-5&big=99999999999&f=1.5&x=2",
        data="payload",
        headers={"X-Custom": "cv", "User-Agent": "ua/1"},
    )
    assert response.json() == {
        "method": "POST",
        "url": "/a/b?x=1&y=hello+world&z=%C3%A9%26&n=-5&big=99999999999&f=1.5&x=2",
        "path": "/a/b",
        "query": {"x": 2, "y": "hello world", "z": "é&", "n": -5, "big": "99999999999", "f": "1.5"},
        "ua": "ua/1",
        "viaGet": "cv",
        "missing": None,
        "body": "payload",
    }


def test_body_is_null_without_a_body(api_server) -> None:
    assert api_server.get("/no-body").json() == {"body": None, "text": ""}


def test_json_reads_the_body_and_bad_json_is_undefined(api_server) -> None:
    assert api_server.post("/json-body", json={"k": [1, 2]}).json() == {"got": {"k": [1, 2]}}
    assert api_server.post("/bad-json", data="{not json").json() == {"got": True}


def test_text_and_json_are_single_use_readers(api_server) -> None:
    response = api_server.post("/text-twice", data="x")
    assert response.status_code == 500
    assert "already read" in response.text


def test_response_json_honours_status_and_headers(api_server) -> None:
    response = api_server.get("/json-init")
    assert response.status_code == 201
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-extra"] == "yes"
    assert response.json() == {"a": 1}


def test_user_headers_override_defaults_case_insensitively(api_server) -> None:
    response = api_server.get("/json-override")
    assert response.headers["content-type"] == "application/vnd.api+json"


def test_response_text_and_html_set_their_content_types(api_server) -> None:
    text = api_server.get("/text")
    assert (text.status_code, text.text, text.headers["content-type"]) == (
        202,
        "plain",
        "text/plain; charset=utf-8",
    )
    html = api_server.get("/html")
    assert html.headers["content-type"] == "text/html; charset=utf-8"
    assert html.headers["cache-control"] == "no-store"


def test_redirect_defaults_to_302_and_sets_location(api_server) -> None:
    response = api_server.get("/redirect", allow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (302, "/elsewhere")
    assert api_server.get("/redirect301", allow_redirects=False).status_code == 301


def test_response_works_as_factory_and_with_new(api_server) -> None:
    response = api_server.get("/ctor")
    assert (response.status_code, response.text, response.headers["x-ctor"]) == (203, "made", "1")
    assert api_server.get("/new-ctor").headers["x-new"] == "2"


def test_headers_factory_get_set_append_has_delete(api_server) -> None:
    assert api_server.get("/headers").json() == {"a": "1, 3", "hasB": False, "c": "4", "list": ["a"]}


def test_request_factory_with_and_without_new(api_server) -> None:
    assert api_server.get("/request").json() == {
        "m": "POST",
        "url": "/x/y?z=1",
        "path": "/x/y",
        "q": {"z": 1},
        "h": "b",
        "body": "hi",
        "m2": "GET",
        "b2": None,
    }


def test_hand_built_response_objects_work(api_server) -> None:
    response = api_server.get("/hand-built")
    assert (response.status_code, response.text, response.headers["x-tea"]) == (418, "short and stout", "pot")


def test_string_return_is_a_200_text_response(api_server) -> None:
    response = api_server.get("/string")
    assert (response.status_code, response.text) == (200, "just a string")


def test_response_object_fields(api_server) -> None:
    assert api_server.get("/response-fields").json() == {
        "ok": False,
        "status": 404,
        "statusText": "Not Found",
        "ct": "application/json",
    }


def test_multiple_set_cookie_headers_stay_separate(api_server) -> None:
    raw = api_server.raw(b"GET /cookies HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert b"set-cookie: a=1\r\n" in raw and b"set-cookie: b=2\r\n" in raw


def test_204_has_no_body_and_no_content_length(api_server) -> None:
    raw = api_server.raw(b"GET /204 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 204 No Content")
    assert b"content-length" not in head.lower() and body == b""


def test_console_writes_to_stderr_with_the_request_id(serve) -> None:
    server = serve(
        "function handler(r) { console.log('hello', {n: 1}); console.error('bad'); return Response.text('x') }"
    )
    server.get("/", headers={"X-Request-Id": "abc-123"})
    log = server.wait_for_log("console.error: bad")
    assert '[abc-123] console.info: hello {"n":1}' in log
    assert "[abc-123] console.error: bad" in log


def test_request_log_line_has_method_path_status_bytes_ms_and_id(serve) -> None:
    server = serve("function handler(r) { return Response.text('12345') }")
    server.get("/logged?q=1")
    log = server.wait_for_log("GET /logged?q=1")
    line = next(li for li in log.splitlines() if "GET /logged?q=1" in li)
    assert " -> 200 5B " in line and line.rstrip().endswith("ms") and line.startswith("[")


def test_global_state_persists_across_requests_on_one_runtime(serve) -> None:
    server = serve("let hits = 0; function handler() { hits++; return Response.json({hits}) }", "-n", "1")
    assert [server.get("/").json()["hits"] for _ in range(3)] == [1, 2, 3]


def test_isolation_request_gives_every_request_a_fresh_runtime(serve) -> None:
    server = serve(
        "let hits = 0; function handler() { hits++; return Response.json({hits}) }",
        "-n",
        "1",
        "--isolation",
        "request",
    )
    assert [server.get("/").json()["hits"] for _ in range(3)] == [1, 1, 1]


def test_async_handlers_are_awaited(serve) -> None:
    server = serve(
        "async function handler(r) { const v = await Promise.resolve(41); return Response.json({v: v + 1}) }"
    )
    assert server.get("/").json() == {"v": 42}
