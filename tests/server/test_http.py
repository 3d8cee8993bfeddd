"""HTTP/1.1 behaviour over raw sockets, on both backends (the same suite must pass on each)."""

from __future__ import annotations

import select
import socket
import time

import pytest

from tests.conftest import read_all

ECHO = r"""
function handler(req) {
  if (req.path === "/slow") { const end = Date.now() + 300; while (Date.now() < end) {} }
  return Response.json({m: req.method, p: req.url, len: req.body === null ? null : req.body.length});
}
"""


@pytest.fixture
def server(serve, backend):
    return serve(ECHO, "-n", "2", "--backend", backend)


def _responses(raw: bytes) -> list[bytes]:
    return [part for part in raw.split(b"HTTP/1.1 ")[1:]]


def test_keep_alive_serves_several_requests_on_one_connection(server) -> None:
    with server.connect() as sock:
        for i in range(3):
            sock.sendall(f"GET /r{i} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            data = sock.recv(65536)
            assert data.startswith(b"HTTP/1.1 200 OK") and f"/r{i}".encode() in data


def test_pipelined_requests_are_answered_in_order(server) -> None:
    raw = server.raw(
        b"GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /slow HTTP/1.1\r\nHost: x\r\n\r\n"
        b"GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    bodies = _responses(raw)
    assert len(bodies) == 3
    assert b'"/a"' in bodies[0] and b'"/slow"' in bodies[1] and b'"/c"' in bodies[2]


def test_every_response_has_date_and_content_length(server) -> None:
    raw = server.raw(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    head = raw.split(b"\r\n\r\n")[0].lower()
    assert b"\r\ndate: " in head and b"\r\ncontent-length: " in head


def test_content_length_body(server) -> None:
    raw = server.raw(b"POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello")
    assert b'"len":5' in raw


def test_chunked_request_body(server) -> None:
    raw = server.raw(
        b"POST /p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
    )
    assert b'"len":11' in raw


def test_413_arrives_before_any_body_byte_is_sent(server) -> None:
    with server.connect() as sock:
        sock.sendall(b"POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 1048577\r\n\r\n")
        data = read_all(sock)  # the server answers and closes without waiting for the body
    assert data.startswith(b"HTTP/1.1 413 Payload Too Large")
    assert b"connection: close" in data.lower()


def test_body_of_exactly_the_cap_is_accepted(server) -> None:
    body = b"x" * 1048576
    raw = server.raw(
        b"POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\nConnection: close\r\n\r\n" + body
    )
    assert raw.startswith(b"HTTP/1.1 200") and b'"len":1048576' in raw


def test_chunked_body_growing_past_the_cap_is_413(server) -> None:
    with server.connect() as sock:
        sock.sendall(b"POST /p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = b"%x\r\n%s\r\n" % (65536, b"z" * 65536)
        try:
            for _ in range(20):
                sock.sendall(chunk)
        except OSError:
            pass
        data = read_all(sock)
    assert data.startswith(b"HTTP/1.1 413")


@pytest.mark.parametrize(
    "raw",
    [
        b"GARBAGE\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nhello",
        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
        b"GET / HTTP/1.1\r\nBad Header\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    ],
)
def test_malformed_and_smuggling_requests_are_400(server, raw: bytes) -> None:
    data = server.raw(raw)
    assert data.startswith(b"HTTP/1.1 400"), data[:80]
    assert server.raw(b"GET /next HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").startswith(
        b"HTTP/1.1 200"
    )


def test_header_block_over_64k_is_431(server) -> None:
    big = b"X-Big: " + b"a" * 70000 + b"\r\n"
    data = server.raw(b"GET / HTTP/1.1\r\nHost: x\r\n" + big + b"\r\n")
    assert data.startswith(b"HTTP/1.1 431")


def test_head_has_headers_but_no_body(server) -> None:
    data = server.raw(b"HEAD /h HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200") and b"content-length: " in head and body == b""


def test_http_10_closes_after_the_response(server) -> None:
    data = server.raw(b"GET /old HTTP/1.0\r\n\r\n")
    assert data.startswith(b"HTTP/1.1 200") and b"connection: close" in data.lower()


def test_expect_100_continue_gets_100_then_the_response(server) -> None:
    with server.connect() as sock:
        sock.sendall(b"POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
        interim = sock.recv(1024)
        assert interim.startswith(b"HTTP/1.1 100 Continue")
        sock.sendall(b"data")
        final = sock.recv(65536)
        assert b"200 OK" in final and b'"len":4' in final


def test_stalled_body_gets_408(serve, backend) -> None:
    server = serve(ECHO, "--backend", backend, "--body-timeout", "0.5")
    with server.connect(timeout=10) as sock:
        sock.sendall(b"POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
        started = time.monotonic()
        data = read_all(sock)
    assert data.startswith(b"HTTP/1.1 408")
    assert time.monotonic() - started < 5


def test_trickled_head_is_cut_at_the_header_timeout(serve, backend) -> None:
    server = serve(ECHO, "--backend", backend, "--header-timeout", "0.6")
    with server.connect(timeout=10) as sock:
        started = time.monotonic()
        try:
            for byte in b"GET / HTTP/1.1\r\nX-Slow: " + b"a" * 200:
                if select.select([sock], [], [], 0)[0]:
                    break  # the server has answered
                sock.sendall(bytes([byte]))
                time.sleep(0.05)
        except OSError:
            pass
        data = read_all(sock)
    assert data.startswith(b"HTTP/1.1 408")
    assert time.monotonic() - started < 3


def test_idle_keep_alive_connection_is_closed(serve, backend) -> None:
    server = serve(ECHO, "--backend", backend, "--keepalive-timeout", "0.3")
    with server.connect(timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")
        started = time.monotonic()
        assert sock.recv(1) == b""
        assert time.monotonic() - started < 3


def test_server_keeps_serving_after_a_client_disconnects_mid_request(server) -> None:
    sock = socket.create_connection((server.host, server.port))
    sock.sendall(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
    sock.close()
    assert server.get("/after").status_code == 200


def test_a_request_longer_than_the_keepalive_timeout_is_not_cut_off(serve, backend) -> None:
    server = serve(
        "function handler(r) { const end = Date.now() + 1200; while (Date.now() < end) {} "
        "return Response.text('done') }",
        "--backend",
        backend,
        "--keepalive-timeout",
        "0.3",
    )
    with server.connect(timeout=10) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")
