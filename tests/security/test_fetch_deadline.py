"""`zigttp:fetch` from a real server: one deadline per call, and hostile URLs are typed failures
(a 599 Response whose `error` is the tag, as the original's zigttp:fetch answers).

Issue 19.8: the timeout bounded each socket read, so an allowed upstream dripping a byte every
0.5 s kept one call busy 49.5 s under `--outbound-timeout-ms 2000`. Issue 19.9: a URL with CR/LF
logged a Python traceback instead of returning `invalid_url`. The drip upstream here would
hold the call for ~60 s at the old behaviour; the clients below give up long before that.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from urllib.parse import quote

import pytest

HANDLER = r"""
import { fetch } from "zigttp:fetch";
export function handler(req) {
  const r = fetch(decodeURIComponent(req.url.slice(req.url.indexOf("?") + 1)));
  return Response.json({ status: r.status, error: r.error, details: r.details });
}
"""
DRIP_SECONDS = 60


@pytest.fixture
def drip() -> Iterator[str]:
    """An upstream that sends its headers, then one body byte every 0.3 s for a minute."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve_one(conn: socket.socket) -> None:
        with conn:
            conn.recv(65536)
            try:
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
                deadline = time.monotonic() + DRIP_SECONDS
                while not stop.is_set() and time.monotonic() < deadline:
                    conn.sendall(b"x")
                    stop.wait(0.3)
            except OSError:
                pass  # the client hung up: what a bounded fetch does

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=serve_one, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/drip"
    stop.set()
    listener.close()


def test_a_dripping_upstream_is_cut_at_the_outbound_timeout(serve, drip: str) -> None:
    server = serve(HANDLER, "--outbound-host", "127.0.0.1", "--outbound-timeout-ms", "1000", "-q")
    result = server.get("/?" + drip, timeout=20).json()
    assert (result["status"], result["error"]) == (599, "timeout"), result


def test_a_fetch_never_outlives_the_requests_own_deadline(serve, drip: str) -> None:
    server = serve(
        HANDLER, "--outbound-host", "127.0.0.1", "--outbound-timeout-ms", "120000", "--timeout", "1", "-q"
    )
    response = server.get("/?" + drip, timeout=20)
    assert response.json()["error"] == "timeout", response.text


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:1/a\r\nX-Injected: 1",
        "http://127.0.0.1:1/a\nb",
        "http://127.0.0.1:1/a b",
        "http://127.0.0.1:1/\x00",
        "http://127.0.0.1:99999/",
        "http://127.0.0.1:x/",
    ],
)
def test_a_url_that_cannot_be_sent_is_an_invalid_url_result(serve, url: str) -> None:
    server = serve(HANDLER, "--outbound-host", "127.0.0.1", "-q")

    result = server.get("/?" + quote(url, safe=""), timeout=10).json()
    assert (result["status"], result["error"]) == (599, "invalid_url"), result
    assert "Traceback" not in server.stderr
