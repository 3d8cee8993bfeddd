"""No request may leave its connection unanswered (issue 19, item 3).

`--static` used to raise on a `Range` holding a non-ASCII digit (`bytes=\\xb2-`: `'²'.isdigit()`
is True but `int('²')` fails) and on an `If-Modified-Since` whose year overflows; the loop
backend then neither answered nor closed the connection, the threads backend dropped it. Such
headers are ignored (RFC 9110 §13.1.3, §14.2). Independently of that bug, any unexpected error
while answering a request is a 500 and a close on both backends.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import requests

import zigttp
from tests.conftest import read_all
from tests.security.rawhttp import exchange, statuses

HANDLER = 'function handler(r) { return Response.text("handler " + r.url); }'
MALFORMED_CONDITIONS = {
    "range-superscript-two": b"Range: bytes=\xb2-\r\n",
    "range-superscript-end": b"Range: bytes=0-\xb9\r\n",
    "range-suffix-superscript": b"Range: bytes=-\xb3\r\n",
    "if-modified-since-huge-year": b"If-Modified-Since: Mon, 01 Jan 99999999999 00:00:00 GMT\r\n",
    "if-modified-since-garbage": b"If-Modified-Since: \xff\xfe yesterday\r\n",
    "if-range-huge-year": b"Range: bytes=0-1\r\nIf-Range: Mon, 01 Jan 99999999999 00:00:00 GMT\r\n",
}


@pytest.fixture
def static_server(serve, tmp_path: Path, backend: str):
    root = tmp_path / "public"
    root.mkdir()
    (root / "app.css").write_text("body { color: red }")
    return serve(HANDLER, "-q", "--static", str(root), "--backend", backend, "--max-connections", "8")


@pytest.mark.parametrize("name", list(MALFORMED_CONDITIONS))
def test_malformed_range_and_conditional_headers_are_ignored(static_server, name: str) -> None:
    header = MALFORMED_CONDITIONS[name]
    request = b"GET /app.css HTTP/1.1\r\nHost: x\r\n" + header + b"\r\n"
    with static_server.connect(timeout=3) as sock:
        sock.sendall(request)
        first = read_all(sock, until_close=False)
        sock.sendall(b"GET /app.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        second = read_all(sock)
    assert statuses(first) == [200], first[:200]
    assert first.endswith(b"body { color: red }")
    assert statuses(second) == [200], "the connection keeps serving after the ignored header"


def test_malformed_headers_never_exhaust_the_connection_limit(static_server) -> None:
    # Before the fix every such request left its connection open and silent on the loop
    # backend, so 8 of them (the --max-connections) turned every later client away with 503.
    for _ in range(12):
        data, closed = exchange(
            static_server.host,
            static_server.port,
            b"GET /app.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\nRange: bytes=\xb2-\r\n\r\n",
        )
        assert statuses(data) == [200] and closed, data[:200]
    assert requests.get(static_server.url + "/app.css", timeout=5).status_code == 200
    assert static_server.process.poll() is None


@pytest.mark.parametrize("backend_name", ["loop", "threads"])
def test_an_unexpected_error_while_answering_is_a_500_and_a_close(capfd, backend_name: str) -> None:
    # A zigttp bug on the pool-thread path (the inline lane has its own net, see
    # tests/server/test_inline_batch.py): inject one into the dispatcher of a real server.
    config = zigttp.ServerConfig(port=0, pool_size=2, quiet=True, backend=backend_name)
    with zigttp.Server(HANDLER, config) as server:
        dispatcher = server.dispatcher
        name = "handle_blocking" if backend_name == "threads" else "handle"
        healthy = getattr(dispatcher, name)

        def buggy(request):  # type: ignore[no-untyped-def]
            if request.url.startswith("/bug"):
                raise RuntimeError("injected bug")
            return healthy(request)

        setattr(dispatcher, name, buggy)
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
            sock.sendall(b"GET /bug HTTP/1.1\r\nHost: x\r\n\r\n")
            data = read_all(sock)  # until the server closes (times out after 5 s if it never does)
        assert statuses(data) == [500], data[:200]
        assert b"connection: close" in data.lower()
        assert requests.get(f"{server.url}/fine", timeout=5).text == "handler /fine"
    assert "injected bug" in capfd.readouterr().err
