"""The plain-request lane (native/engine/lane.c, server/lane.py) with the handler run in C.

Each test warms an in-process server past the inline lane's probation, checks that the lane now
runs plain requests itself (`lane.fast`, and the Python dispatcher is never called for them),
then drives what the lane must get right: order across C and Python answers, hand-overs of
split and unusual requests, faults, streams, size caps, HEAD, request ids, slow readers.
The security suites run against the lane too (tests/security/conftest.py, "loop" vs
"loop-python").
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

import zigttp
from tests.conftest import read_all

HANDLER = r"""
export default {
  async fetch(request) {
    const url = new URL(request.url);
    const n = url.searchParams.get("n");
    if (url.pathname === "/boom") throw new Error("boom " + n);
    if (url.pathname === "/echo") return new Response(await request.text(), {headers: {"x-n": String(n)}});
    if (url.pathname === "/empty") return new Response(null, {status: 204});
    if (url.pathname === "/big") return new Response("x".repeat(Number(n)));
    if (url.pathname === "/stream") {
      const body = new ReadableStream({start(c) { c.enqueue(new TextEncoder().encode("streamed " + n)); c.close(); }});
      return new Response(body);
    }
    return Response.json({path: url.pathname, n, dup: request.headers.get("x-a")});
  }
};
"""
WARM_UP = 40  # > the inline lane's probation (runtime.lanes.PROBATION)
MAX_WARM_UP = 400  # a slow host (the sanitizer build) can fail probation runs: they start over


def _get(sock: socket.socket, target: str, extra: bytes = b"") -> bytes:
    sock.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\n".encode() + extra + b"\r\n")
    return _one_answer(sock)


def _one_answer(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"closed after {data!r}"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    while len(body) < length:
        chunk = sock.recv(65536)
        assert chunk
        body += chunk
    return head + b"\r\n\r\n" + body


@pytest.fixture
def lane_server(tmp_path, monkeypatch) -> Iterator[zigttp.Server]:
    monkeypatch.setenv("ZIGTTP_LANE", "1")
    path = tmp_path / "handler.js"
    path.write_text(HANDLER)
    config = zigttp.ServerConfig(port=0, pool_size=2, quiet=True, max_response_bytes=4 << 20)
    with zigttp.Server(path, config) as server:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            _warm_up(server, sock)
        yield server


def _warm_up(server: zigttp.Server, sock: socket.socket) -> int:
    """Plain requests until the lane runs the handler itself (past the inline probation):
    how many it took."""
    host = server._box[0].lane
    assert host is not None
    for index in range(MAX_WARM_UP):
        assert b" 200 OK" in _get(sock, f"/warm?n={index}")
        if index >= WARM_UP and host.lane.fast:
            return index + 1
    raise AssertionError("the lane should run plain requests after probation")


def _python_dispatch_forbidden(server: zigttp.Server, monkeypatch) -> list[str]:
    """Make the Python dispatcher record (and still answer) what reaches it."""
    seen: list[str] = []
    dispatcher = server.dispatcher
    inline, handle = dispatcher.handle_inline, dispatcher.handle

    def record_inline(request):  # type: ignore[no-untyped-def]
        seen.append(request.url)
        return inline(request)

    async def record(request):  # type: ignore[no-untyped-def]
        seen.append(request.url)
        return await handle(request)

    monkeypatch.setattr(dispatcher, "handle_inline", record_inline)
    monkeypatch.setattr(dispatcher, "handle", record)
    return seen


def test_plain_requests_are_answered_without_the_python_dispatcher(lane_server, monkeypatch) -> None:
    with socket.create_connection(("127.0.0.1", lane_server.port), timeout=10) as sock:
        # (a first run can be slow, e.g. loading a lazy part of the web API: on a loaded host a
        # severe one demotes its path, on the Python server as here, so /p is tried once first)
        _get(sock, "/p?n=first")
        seen = _python_dispatch_forbidden(lane_server, monkeypatch)
        answers = [_get(sock, f"/p?n={i}") for i in range(10)]
    assert all(b'"n":"%d"' % i in answer for i, answer in enumerate(answers))
    assert seen == []


def test_the_inline_runtime_is_built_when_the_handler_has_passed_probation(tmp_path, monkeypatch) -> None:
    """A start builds the one runtime its first requests run on (a pool slot), not the loop
    thread's too: that one is built, on the loop thread, once the lane may run the handler."""
    monkeypatch.setenv("ZIGTTP_LANE", "1")
    path = tmp_path / "handler.js"
    path.write_text(HANDLER)
    config = zigttp.ServerConfig(port=0, pool_size=2, quiet=True)
    with zigttp.Server(path, config) as server:
        pool = server.dispatcher.pool
        assert pool.inline is None
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            assert b'"n":"1"' in _get(sock, "/p?n=1")
            assert pool.inline is None  # (on probation: the first requests run on the slots)
            _warm_up(server, sock)
            assert pool.inline is not None
            assert b'"n":"2"' in _get(sock, "/p?n=2")
        assert pool.metrics.inline_executions > 0


def _three_answers(server: zigttp.Server, burst: bytes) -> bytes:
    """Three pipelined requests in one write (the last closes): everything that comes back."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(burst)
        data = read_all(sock)
    assert data.count(b"HTTP/1.1 200 OK") == 3, data
    return data


def test_a_request_that_is_not_plain_goes_to_python_in_order(lane_server, monkeypatch) -> None:
    seen = _python_dispatch_forbidden(lane_server, monkeypatch)
    burst = (
        b"GET /a?n=1 HTTP/1.1\r\nHost: x\r\n\r\n"
        b"GET /b?n=2 HTTP/1.1\r\nHost: x\r\nX-A: 1\r\nX-A: 2\r\n\r\n"  # a repeated field: Python joins it
        b"GET /c?n=3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    data = _three_answers(lane_server, burst)
    assert data.index(b'"n":"1"') < data.index(b'"n":"2"') < data.index(b'"n":"3"')
    assert b'"dup":"1, 2"' in data
    assert seen == ["/b?n=2"]


def test_a_request_split_across_reads_is_handed_to_python_and_the_connection_lives_on(lane_server) -> None:
    with socket.create_connection(("127.0.0.1", lane_server.port), timeout=10) as sock:
        sock.sendall(b"POST /echo?n=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhello")
        time.sleep(0.2)
        sock.sendall(b"world")
        first = _one_answer(sock)
        second = _get(sock, "/after?n=2")
    assert first.endswith(b"helloworld") and b"x-n: 1" in first
    assert b'"n":"2"' in second


def test_chunked_and_pipelined_after_it_are_answered_in_order(lane_server) -> None:
    burst = (
        b"GET /a?n=1 HTTP/1.1\r\nHost: x\r\n\r\n"
        b"POST /echo?n=2 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
        b"GET /c?n=3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    data = _three_answers(lane_server, burst)
    assert data.index(b'"n":"1"') < data.index(b"\r\n\r\nabc") < data.index(b'"n":"3"')


def test_a_handler_exception_is_a_500_and_the_lane_serves_on(lane_server, capfd) -> None:
    with socket.create_connection(("127.0.0.1", lane_server.port), timeout=10) as sock:
        failed = _get(sock, "/boom?n=7")
        after = _get(sock, "/fine?n=8")
    assert failed.startswith(b"HTTP/1.1 500 ") and b"boom 7" in failed
    assert b'"n":"8"' in after
    assert lane_server._box[0].lane.lane.fast


def test_a_streamed_body_is_sent_and_its_path_moves_to_the_threads(lane_server) -> None:
    with socket.create_connection(("127.0.0.1", lane_server.port), timeout=10) as sock:
        sock.sendall(b"GET /stream?n=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = read_all(sock)
    assert data.startswith(b"HTTP/1.1 200 OK") and b"streamed 1" in data
    assert "/stream" in lane_server.dispatcher.pool.lanes.demoted


def test_an_answer_over_the_response_cap_is_a_500(lane_server) -> None:
    with socket.create_connection(("127.0.0.1", lane_server.port), timeout=10) as sock:
        too_big = _get(sock, f"/big?n={5 << 20}")
        after = _get(sock, "/fine?n=2")
    assert too_big.startswith(b"HTTP/1.1 500 ") and b"exceeds" in too_big
    assert b'"n":"2"' in after


def test_head_204_and_request_ids_are_framed_as_the_python_server_frames_them(lane_server) -> None:
    with socket.create_connection(("127.0.0.1", lane_server.port), timeout=10) as sock:
        sock.sendall(b"HEAD /p?n=1 HTTP/1.1\r\nHost: x\r\n\r\n")
        head = sock.recv(65536)
        empty = _get(sock, "/empty")
        echoed = _get(sock, "/p?n=2", b"X-Request-Id: abc-1\r\n")
        replaced = _get(sock, "/p?n=3", b"X-Request-Id: bad id\r\n")
    assert (
        head.endswith(b"\r\n\r\n") and b"content-length: 32\r\n" in head.lower()
    )  # {"path":"/p","n":"1","dup":null}
    assert b"content-length" not in empty.lower() and empty.startswith(b"HTTP/1.1 204 ")
    assert b"\r\nx-request-id: abc-1\r\n" in echoed
    assert b"\r\nx-request-id: 1-" in replaced


def test_a_slow_reader_gets_the_whole_answer(lane_server) -> None:
    size = 3_000_000  # more than the socket buffers take at once: the rest goes via uvloop
    with socket.create_connection(("127.0.0.1", lane_server.port), timeout=10) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
        sock.sendall(
            f"GET /big?n={size} HTTP/1.1\r\nHost: x\r\n\r\n"
            "GET /p?n=9 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()
        )
        time.sleep(0.3)
        data = read_all(sock)
    first, _, second = data.partition(b"\r\n\r\n" + b"x" * size)
    assert first.startswith(b"HTTP/1.1 200 OK") and b"content-length: %d" % size in first
    assert second.startswith(b"HTTP/1.1 200 OK") and second.endswith(b'"n":"9","dup":null}')


MODULE_HANDLER = r"""
import { logInfo } from "zigttp:log";
export default {
  fetch(request) {
    const n = new URL(request.url).searchParams.get("n");
    logInfo("hit " + n);
    return Response.json({n});
  }
};
"""


def test_a_handler_with_host_modules_runs_in_c_with_its_request_bound(tmp_path, monkeypatch, capfd) -> None:
    # zigttp:log tags each line with the id of the request whose handler logged: C binds it
    monkeypatch.setenv("ZIGTTP_LANE", "1")
    path = tmp_path / "handler.js"
    path.write_text(MODULE_HANDLER)
    with zigttp.Server(path, zigttp.ServerConfig(port=0, pool_size=2, quiet=True)) as server:
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        with sock:
            _warm_up(server, sock)
            seen = _python_dispatch_forbidden(server, monkeypatch)
            answer = _get(sock, "/m?n=500", b"X-Request-Id: abc-42\r\n")
    assert b'{"n":"500"}' in answer and seen == []
    lines = [line for line in capfd.readouterr().err.splitlines() if "hit 500" in line]
    assert len(lines) == 1 and "abc-42" in lines[0]


def test_with_metrics_c_answers_are_counted_and_the_endpoint_is_python_s(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("ZIGTTP_LANE", "1")
    path = tmp_path / "handler.js"
    path.write_text(HANDLER)
    config = zigttp.ServerConfig(port=0, pool_size=2, quiet=True, metrics=True, health=True)
    with zigttp.Server(path, config) as server:
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        with sock:
            warmed = _warm_up(server, sock)
            seen = _python_dispatch_forbidden(server, monkeypatch)
            for index in range(7):
                assert b" 200 OK" in _get(sock, f"/counted?n={index}")
            assert b" 500 " in _get(sock, "/boom?n=1")  # a fault: answered (and counted) by Python
            health = _get(sock, "/_zigttp/health")
            metrics = _get(sock, "/_zigttp/metrics").decode()
    assert seen == ["/_zigttp/health", "/_zigttp/metrics"] and b'"status":"ok"' in health
    counted = {
        line.split("{")[1].split("}")[0]: float(line.split()[-1])
        for line in metrics.splitlines()
        if line.startswith("zigttp_requests_total{")
    }
    assert counted.get('status="200"') == warmed + 7  # (the internal endpoints are not counted)
    assert counted.get('status="500"') == 1
