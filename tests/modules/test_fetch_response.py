"""zigttp:fetch as handlers see it: a Response, `query:`, fetchWithRetry (against loopback)."""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

HANDLER = """
import { fetch, fetchWithRetry } from "zttp:fetch";
function handler(req) {
  const base = req.query.base;
  if (req.path === "/shape") {
    const r = fetch(base + "/json?x=1", { query: { q: "a b&c", n: 2, skip: undefined } });
    return Response.json({ ok: r.ok, status: r.status, statusText: r.statusText,
      type: r.headers.get("Content-Type"), data: r.json() });
  }
  if (req.path === "/missing") {
    const r = fetch(base + "/missing");
    return Response.json({ ok: r.ok, status: r.status, text: r.text() });
  }
  if (req.path === "/refused") {
    const r = fetch("http://example.invalid/");
    return Response.json({ ok: r.ok, status: r.status, error: r.error, body: r.json() });
  }
  if (req.path === "/badquery") {
    const r = fetch(base + "/json", { query: { a: { nested: 1 } } });
    return Response.json({ status: r.status, error: r.error });
  }
  if (req.path === "/proxy") return fetch(base + "/json");
  if (req.path === "/retry") {
    const r = fetchWithRetry(base + "/flaky", {}, { baseDelayMs: 1, maxDelayMs: 5 });
    return Response.json({ status: r.status, body: r.text() });
  }
  if (req.path === "/noretry") {
    const r = fetchWithRetry(base + "/flaky", {}, { maxRetries: 0 });
    return Response.json({ status: r.status });
  }
  try { fetchWithRetry(base, {}, { maxRetries: 11 }); } catch (e) { return Response.text(e.message); }
}
"""


class _Upstream(BaseHTTPRequestHandler):
    flaky_calls = 0

    def do_GET(self) -> None:
        if self.path.startswith("/json"):
            self._send(200, b'{"path": "%s"}' % self.path.encode(), "application/json")
        elif self.path == "/flaky":
            type(self).flaky_calls += 1
            ready = type(self).flaky_calls % 3 == 0
            self._send(200 if ready else 503, b"ready" if ready else b"busy", "text/plain")
        else:
            self._send(404, b"nope", "text/plain")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def upstream() -> Iterator[str]:
    from tests.conftest import http_upstream

    with http_upstream(_Upstream) as url:
        yield url


@pytest.fixture
def get(serve, upstream):
    server = serve(HANDLER, "-n", "1", "--outbound-host", "127.0.0.1")
    return lambda path: server.get(path, params={"base": upstream})


def test_fetch_returns_a_response_and_encodes_query(get) -> None:
    assert get("/shape").json() == {
        "ok": True,
        "status": 200,
        "statusText": "OK",
        "type": "application/json",
        "data": {"path": "/json?x=1&q=a%20b%26c&n=2"},
    }


def test_an_http_error_is_a_response_that_is_not_ok(get) -> None:
    assert get("/missing").json() == {"ok": False, "status": 404, "text": "nope"}


def test_no_response_is_status_599_with_the_failure_tag(get) -> None:
    body = get("/refused").json()
    assert (body["ok"], body["status"], body["error"]) == (False, 599, "host_not_allowed")
    assert body["body"]["error"] == "host_not_allowed" and "outbound" in body["body"]["details"]
    assert get("/badquery").json() == {"status": 599, "error": "invalid_query"}


def test_a_fetched_response_can_be_returned_as_is(get) -> None:
    response = get("/proxy")
    assert response.status_code == 200 and response.json() == {"path": "/json"}


def test_fetch_with_retry_retries_retryable_statuses_and_honours_limits(get) -> None:
    _Upstream.flaky_calls = 0
    assert get("/retry").json() == {"status": 200, "body": "ready"}
    assert _Upstream.flaky_calls == 3
    _Upstream.flaky_calls = 0
    assert get("/noretry").json() == {"status": 503}
    assert _Upstream.flaky_calls == 1
    assert get("/limits").text == "fetchWithRetry() maxRetries must be <= 10"


def test_fetch_with_retry_never_sleeps_past_the_request_deadline(serve, upstream) -> None:
    source = HANDLER.replace("{ baseDelayMs: 1, maxDelayMs: 5 }", "{ baseDelayMs: 5000 }")
    server = serve(source, "-n", "1", "--outbound-host", "127.0.0.1", "--timeout", "2")
    _Upstream.flaky_calls = 0
    response = server.get("/retry", params={"base": upstream})
    assert response.json() == {"status": 503, "body": "busy"}  # answered, not timed out
    assert _Upstream.flaky_calls == 1
