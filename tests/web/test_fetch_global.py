"""The global fetch() (issue 17 item 5) against a real loopback upstream."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

HANDLER = r"""
export default { async fetch(request) {
  const url = new Request(request.url);
  const base = request.headers.get("x-upstream");
  const path = url.path;
  try {
    if (path === "/get") {
      const r = await fetch(base + "/echo", { headers: { "X-Sent": "yes" } });
      let immutable = false;
      try { r.headers.set("a", "b"); } catch (e) { immutable = e instanceof TypeError; }
      return Response.json({ status: r.status, ok: r.ok, type: r.type, url: r.url, redirected: r.redirected,
        sent: (await r.json()).sent, ct: r.headers.get("content-type"), immutable });
    }
    if (path === "/post") {
      const r = await fetch(new Request(base + "/echo", { method: "POST", body: "payload" }));
      return Response.json(await r.json());
    }
    if (path === "/follow") {
      const r = await fetch(base + "/redirect", { method: "POST", body: "x" });
      return Response.json({ status: r.status, url: r.url, redirected: r.redirected, method: (await r.json()).method });
    }
    if (path === "/manual") {
      const r = await fetch(base + "/redirect", { redirect: "manual" });
      return Response.json({ status: r.status, location: r.headers.get("location") });
    }
    if (path === "/error") await fetch(base + "/redirect", { redirect: "error" });
    if (path === "/escape") await fetch(base + "/away");
    if (path === "/blocked") await fetch("http://example.com/");
    if (path === "/drip") await (await fetch(base + "/drip")).text();
    if (path === "/together") {  // the upstream answers only once all three are in flight
      const replies = await Promise.all([1, 2, 3].map((n) => fetch(base + "/barrier?n=" + n)));
      return Response.json(await Promise.all(replies.map((r) => r.text())));
    }
    if (path === "/abort-in-flight") {
      const controller = new AbortController();
      setTimeout(() => controller.abort("late"), 50);
      await fetch(base + "/hang", { signal: controller.signal });
    }
    if (path === "/ticks") {  // timers keep firing while a call is in flight
      let ticks = 0;
      const timer = setInterval(() => { ticks++; }, 5);
      const text = await (await fetch(base + "/slow")).text();
      clearInterval(timer);
      return Response.json({ text, ticked: ticks > 0 });
    }
    if (path === "/aborted") {
      const controller = new AbortController();
      controller.abort("stop");
      await fetch(base + "/echo", { signal: controller.signal });
    }
    return Response.json({ resolved: true });
  } catch (e) {
    return Response.json({ name: e instanceof TypeError ? "TypeError" : String(e), message: String(e && e.message) });
  }
} };
"""


_BARRIER = threading.Barrier(3, timeout=5)  # /barrier: three requests in flight at once
_HANG = threading.Event()  # never set: /hang and /slow wait on it


class _Upstream(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self._route()

    def do_POST(self) -> None:
        self._route()

    def _route(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length).decode()
        if self.path == "/drip":  # headers at once, then a byte every 100 ms for 3 s
            import time

            self.send_response(200)
            self.send_header("Content-Length", "30")
            self.end_headers()
            for _ in range(30):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.1)
            return
        if self.path.startswith("/barrier"):
            try:
                _BARRIER.wait()
                self._send(200, self.path[-1].encode(), [])
            except threading.BrokenBarrierError:
                self._send(500, b"alone", [])
            return
        if self.path in ("/hang", "/slow"):
            _HANG.wait(5 if self.path == "/hang" else 0.3)
            self._send(200, b"answered", [])
            return
        if self.path == "/redirect":
            self._send(302, b"", [("Location", "/echo")])
        elif self.path == "/away":
            self._send(307, b"", [("Location", "http://example.com/")])
        else:
            import json

            data = json.dumps({"sent": self.headers.get("x-sent"), "method": self.command, "body": body})
            self._send(200, data.encode(), [("Content-Type", "application/json")])

    def _send(self, status: int, body: bytes, headers: list[tuple[str, str]]) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def upstream() -> Iterator[str]:
    from tests.conftest import http_upstream

    with http_upstream(_Upstream) as url:
        yield url


@pytest.fixture(scope="module")
def call(tmp_path_factory, upstream):
    from tests.conftest import start_server

    path = tmp_path_factory.mktemp("fetch-global") / "handler.js"
    path.write_text(HANDLER)
    proc = start_server([str(path), "-n", "2", "--outbound-host", "127.0.0.1"])
    yield lambda route: proc.get(route, headers={"x-upstream": upstream}).json()
    proc.stop()


def test_fetch_returns_a_standard_response_with_immutable_headers(call, upstream) -> None:
    assert call("/get") == {
        "status": 200,
        "ok": True,
        "type": "basic",
        "url": upstream + "/echo",
        "redirected": False,
        "sent": "yes",
        "ct": "application/json",
        "immutable": True,
    }


def test_fetch_sends_a_request_object_with_its_body(call) -> None:
    assert call("/post") == {"sent": None, "method": "POST", "body": "payload"}


def test_redirects_are_followed_per_the_standard(call, upstream) -> None:
    # a 302 answer to a POST is followed with a GET
    assert call("/follow") == {"status": 200, "url": upstream + "/echo", "redirected": True, "method": "GET"}
    assert call("/manual") == {"status": 302, "location": "/echo"}
    assert call("/error")["name"] == "TypeError"


def test_a_redirect_cannot_leave_the_allowed_hosts(call) -> None:
    body = call("/escape")
    assert body["name"] == "TypeError" and "--outbound-host example.com" in body["message"]


def test_an_aborted_signal_rejects_with_its_reason(call) -> None:
    assert call("/aborted") == {"name": "stop", "message": "undefined"}


def test_without_outbound_hosts_fetch_throws_a_type_error_naming_the_flag(serve) -> None:
    server = serve(HANDLER, "-n", "1")
    body = server.get("/blocked").json()
    assert body["name"] == "TypeError"
    assert "not an allowed outbound host" in body["message"] and "--outbound-host" in body["message"]


def test_one_deadline_covers_the_whole_call_not_each_read(serve, upstream) -> None:
    # every read succeeds within 100 ms, but the body takes 3 s: past --outbound-timeout-ms
    server = serve(HANDLER, "-n", "1", "--outbound-host", "127.0.0.1", "--outbound-timeout-ms", "500")
    response = server.get("/drip", headers={"x-upstream": upstream})
    body = response.json()
    assert body["name"] == "TypeError" and "no complete response within 0.5 s" in body["message"]


def test_fetches_run_at_once_while_the_request_waits(call) -> None:
    """Promise.all of three fetches: the upstream answers each only when all three are in
    flight (a barrier); fetches one after another would leave the first alone (500)."""
    _BARRIER.reset()
    assert call("/together") == ["1", "2", "3"]


def test_an_abort_while_the_call_runs_rejects_at_once_with_the_reason(call) -> None:
    # the upstream holds the call for 5 s; a timer aborts it after 50 ms
    assert call("/abort-in-flight") == {"name": "late", "message": "undefined"}


def test_timers_fire_while_a_fetch_is_in_flight(call) -> None:
    assert call("/ticks") == {"text": "answered", "ticked": True}
