"""`--cors` and `--cors-origin`: headers on every answer, preflight without the handler."""

from __future__ import annotations

import pytest

HANDLER = """
function handler(r) {
  console.log("handler called " + r.method + " " + r.url);
  if (r.url === "/own") {
    return Response.text("own", { headers: { "Access-Control-Allow-Origin": "https://mine.example" } });
  }
  if (r.url === "/vary") return Response.text("v", { headers: { "Vary": "Accept-Language" } });
  if (r.url === "/boom") throw new Error("boom");
  return Response.text("hello " + r.method, { status: r.method === "OPTIONS" ? 299 : 200 });
}
"""
PREFLIGHT = {"Origin": "https://app.example", "Access-Control-Request-Method": "PUT"}


def test_every_handler_response_allows_any_origin(serve, backend):
    server = serve(HANDLER, "--cors", "--backend", backend)
    response = server.get("/", headers={"Origin": "https://app.example"})
    assert response.headers["access-control-allow-origin"] == "*"


def test_handler_failures_carry_cors_too(serve):
    server = serve(HANDLER, "--cors")
    response = server.get("/boom")
    assert response.status_code == 500 and response.headers["access-control-allow-origin"] == "*"


def test_static_files_carry_cors(serve, tmp_path):
    (tmp_path / "public").mkdir()
    (tmp_path / "public" / "a.txt").write_text("a")
    server = serve(HANDLER, "--cors", "--static", str(tmp_path / "public"))
    assert server.get("/a.txt").headers["access-control-allow-origin"] == "*"


def test_preflight_is_answered_without_the_handler(serve, backend):
    server = serve(HANDLER, "--cors", "--backend", backend)
    response = server.request("OPTIONS", "/items", headers=PREFLIGHT)
    assert response.status_code == 204 and response.content == b""
    assert response.headers["access-control-allow-origin"] == "*"
    assert "PUT" in response.headers["access-control-allow-methods"]
    assert response.headers["access-control-allow-headers"] == "Content-Type, Authorization"
    assert response.headers["access-control-max-age"] == "600"
    server.get("/after")
    server.wait_for_log("handler called GET /after")
    assert "handler called OPTIONS" not in server.stderr


def test_preflight_echoes_requested_headers(serve):
    server = serve(HANDLER, "--cors")
    headers = {**PREFLIGHT, "Access-Control-Request-Headers": "X-Token, Content-Type"}
    response = server.request("OPTIONS", "/items", headers=headers)
    assert response.headers["access-control-allow-headers"] == "X-Token, Content-Type"


def test_plain_options_reaches_the_handler(serve):
    server = serve(HANDLER, "--cors")
    response = server.request("OPTIONS", "/items")
    assert (response.status_code, response.text) == (299, "hello OPTIONS")


def test_listed_origin_is_echoed_with_vary(serve):
    server = serve(HANDLER, "--cors-origin", "https://app.example", "--cors-origin", "https://b.example")
    response = server.get("/", headers={"Origin": "https://b.example"})
    assert response.headers["access-control-allow-origin"] == "https://b.example"
    assert response.headers["vary"] == "Origin"


def test_unlisted_origin_gets_no_allow_origin(serve):
    server = serve(HANDLER, "--cors-origin", "https://app.example")
    response = server.get("/", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in response.headers
    assert response.headers["vary"] == "Origin"


def test_preflight_from_unlisted_origin_is_refused(serve):
    server = serve(HANDLER, "--cors-origin", "https://app.example")
    headers = {**PREFLIGHT, "Origin": "https://evil.example"}
    response = server.request("OPTIONS", "/items", headers=headers)
    assert (response.status_code, response.text) == (400, "Disallowed CORS origin")


def test_handler_cors_headers_win(serve):
    server = serve(HANDLER, "--cors")
    assert server.get("/own").headers["access-control-allow-origin"] == "https://mine.example"


def test_vary_is_merged_with_the_handlers(serve):
    server = serve(HANDLER, "--cors-origin", "https://app.example")
    response = server.get("/vary", headers={"Origin": "https://app.example"})
    assert response.headers["vary"] == "Accept-Language, Origin"


@pytest.mark.parametrize("flags", [(), ("--static", ".")])
def test_no_cors_headers_without_the_flag(serve, flags):
    server = serve(HANDLER, *flags)
    response = server.request("OPTIONS", "/items", headers=PREFLIGHT)
    assert response.status_code == 299 and "access-control-allow-origin" not in response.headers
