"""The fast start (`server/fast_start.py`): first answers before asyncio, uvloop and click are
imported, then a hand-over to the full server that drops and reorders nothing.

`ZIGTTP_FAST_START_HOLD=FILE` keeps a worker in its fast phase until FILE exists and makes it
write `adopted N` into FILE once the full server has taken over: so each test knows which loop
answers what without timing anything. `PYTHONPROFILEIMPORTTIME=1` makes the server log every
import to stderr as it happens, which is how the tests see what was loaded before an answer.
"""

from __future__ import annotations

import re
import select
import signal
import socket
import time
from pathlib import Path

import pytest

from tests.conftest import ServerProcess, read_all

HANDLER = r"""
function handler(req) {
  if (req.path === "/slow") { const end = Date.now() + 3000; while (Date.now() < end) {} }
  if (req.path === "/stream") {
    return new Response(new ReadableStream({start(c) { c.enqueue("ab"); c.enqueue("cd"); c.close(); }}));
  }
  if (req.path === "/huge") return new Response("y".repeat(8000000));
  if (req.path.startsWith("/big/")) return new Response(req.path + "|" + "x".repeat(100000));
  return Response.json({m: req.method, p: req.path, body: req.body});
}
"""
FULL_SERVER_MODULES = ("asyncio", "uvloop", "click")


@pytest.fixture
def held(serve, tmp_path: Path):
    """A one-worker server held in its fast phase: (server, release) where release() lets it
    load the full server and returns once the hand-over is done."""
    hold = tmp_path / "hold"
    server = serve(
        HANDLER,
        "-q",
        "--keepalive-timeout",
        "60",
        env={"ZIGTTP_FAST_START_HOLD": str(hold), "PYTHONPROFILEIMPORTTIME": "1"},
    )

    def release() -> str:
        hold.write_text("")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            text = hold.read_text()
            if text.startswith("adopted"):
                return text
            time.sleep(0.02)
        raise AssertionError(f"no hand-over; stderr:\n{server.stderr[-2000:]}")

    return server, release


def imported(server: ServerProcess) -> set[str]:
    """Top-level names of the modules the server imported so far (its importtime log)."""
    names = re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s*([\w.]+)$", server.stderr, re.M)
    return {name.split(".")[0] for name in names}


def request(path: str, body: bytes = b"", method: str = "GET") -> bytes:
    head = f"{method} {path} HTTP/1.1\r\nHost: x\r\n"
    if body or method == "POST":
        head += f"content-length: {len(body)}\r\n"
    return (head + "\r\n").encode() + body


def read_response(sock: socket.socket, buffer: bytearray) -> bytes:
    """One complete response (content-length framed) from `sock`, leftovers kept in `buffer`."""
    while True:
        end = buffer.find(b"\r\n\r\n")
        if end >= 0:
            length = int(re.search(rb"content-length: (\d+)", bytes(buffer[:end])).group(1))  # type: ignore[union-attr]
            if len(buffer) >= end + 4 + length:
                response = bytes(buffer[: end + 4 + length])
                del buffer[: end + 4 + length]
                return response
        chunk = sock.recv(65536)
        assert chunk, f"connection closed with {bytes(buffer[:200])!r} buffered"
        buffer += chunk


def wait_for_stderr(server: ServerProcess, needle: str) -> None:
    deadline = time.monotonic() + 10
    while needle not in server.stderr and time.monotonic() < deadline:
        time.sleep(0.02)


def test_first_answers_come_before_the_full_server_and_later_ones_after_it_on_one_connection(held):
    server, release = held
    buffer = bytearray()
    with server.connect() as sock:
        sock.sendall(request("/one"))
        assert b'"p":"/one"' in read_response(sock, buffer)
        assert not imported(server) & set(FULL_SERVER_MODULES)  # answered by the fast loop
        assert release() == "adopted 1 queued 0 unsent 0\n"  # this connection, idle
        assert {"asyncio", "uvloop"} <= imported(server)
        sock.sendall(request("/two"))
        answer = read_response(sock, buffer)
    assert answer.startswith(b"HTTP/1.1 200 OK") and b'"p":"/two"' in answer
    assert "click" not in imported(server)  # `serve` never needed the CLI parser


def test_pipelined_requests_queued_at_the_hand_over_are_answered_in_order(held):
    """The client sends pipelined requests and reads nothing: the fast loop answers until its
    unsent bytes pass its bound, the rest stay queued in the connection's reader; the full
    server adopts both (unsent answers first) and answers the queue."""
    server, release = held
    count = 64  # 6.4 MB of answers: more than the socket buffers take
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # (before connect: the window)
        sock.settimeout(10)
        sock.connect((server.host, server.port))
        sock.sendall(b"".join(request(f"/big/{i}") for i in range(count)))
        time.sleep(0.3)  # (not an assertion: lets the fast loop fill the socket buffers)
        state = release()
        queued, unsent = map(int, re.findall(r"\d+", state)[1:])
        assert queued > 0 and unsent > 0, state  # the hand-over did fall between the answers
        buffer = bytearray()
        answers = [read_response(sock, buffer) for _ in range(count)]
    for i, answer in enumerate(answers):
        assert answer.startswith(b"HTTP/1.1 200 OK")
        assert f"/big/{i}|".encode() in answer[:400], f"answer {i} out of order"


def test_a_last_answer_still_being_written_at_the_hand_over_ends_its_connection(held):
    server, release = held
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.settimeout(10)
        sock.connect((server.host, server.port))
        sock.sendall(b"GET /huge HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        time.sleep(0.3)  # (not an assertion: lets the fast loop fill the socket buffers)
        state = release()
        assert int(state.split()[-1]) > 0, state  # part of the answer was still unsent
        data = b""
        while chunk := sock.recv(65536):  # until the server closes it (a timeout fails the test)
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    assert b"content-length: 8000000" in head and body == b"y" * 8000000


def test_a_streamed_answer_waits_for_the_hand_over_and_the_full_server_sends_it(held):
    server, release = held
    buffer = bytearray()
    with server.connect() as sock:
        sock.settimeout(10)
        sock.sendall(request("/first") + request("/stream") + request("/after"))
        assert b'"p":"/first"' in read_response(sock, buffer)
        assert release().startswith("adopted 1 ")
        data = bytes(buffer)
        while b"0\r\n\r\n" not in data:
            data += sock.recv(65536)
        head, _, body = data.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200 OK") and b"transfer-encoding: chunked" in head.lower()
        assert body.startswith(b"2\r\nab\r\n2\r\ncd\r\n0\r\n\r\n")
        rest = bytearray(body[len(b"2\r\nab\r\n2\r\ncd\r\n0\r\n\r\n") :])
        assert b'"p":"/after"' in read_response(sock, rest)


def test_a_request_split_across_the_hand_over_completes_on_the_full_server(held):
    server, release = held
    buffer = bytearray()
    with server.connect() as sock:
        sock.sendall(b"POST /upload HTTP/1.1\r\nHost: x\r\nContent-Le")  # a head, cut
        time.sleep(0.1)
        sock.sendall(b"ngth: 10\r\n\r\nhello")  # the head, half the body
        time.sleep(0.1)
        assert release().startswith("adopted 1 ")
        sock.sendall(b"world" + request("/after"))  # the rest, and one more pipelined behind it
        first = read_response(sock, buffer)
        second = read_response(sock, buffer)
    assert b'"body":"helloworld"' in first and b'"p":"/upload"' in first
    assert b'"p":"/after"' in second


def test_a_slow_request_holds_no_other_connection_and_is_answered_across_the_hand_over(held):
    """The first requests take the pool threads (the inline lane opens later): the fast loop
    does not wait for them, and one still running at the hand-over is answered by the full
    server."""
    server, release = held
    with server.connect() as slow, server.connect() as quick:
        slow.sendall(request("/slow"))
        time.sleep(0.1)
        quick.sendall(request("/quick"))
        assert b'"p":"/quick"' in read_response(quick, bytearray())
        assert select.select([slow], [], [], 0)[0] == [], "/quick must not wait for /slow"
        assert release().startswith("adopted 2 ")  # /slow still on its pool thread
        buffer = bytearray()
        assert b'"p":"/slow"' in read_response(slow, buffer)
        slow.sendall(request("/again"))
        assert b'"p":"/again"' in read_response(slow, buffer)


def test_protocol_errors_in_the_fast_phase_are_the_full_servers(held):
    server, _release = held
    smuggled = (
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
    )
    assert server.raw(smuggled).startswith(b"HTTP/1.1 400 ")
    assert server.raw(b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n").startswith(b"HTTP/1.1 414 ")
    too_big = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n"
    assert server.raw(too_big).startswith(b"HTTP/1.1 413 ")
    many = b"GET / HTTP/1.1\r\nHost: x\r\n" + b"".join(b"h%d: v\r\n" % i for i in range(150)) + b"\r\n"
    assert server.raw(many).startswith(b"HTTP/1.1 431 ")
    # complete requests before the error are answered first, in order, then the error
    raw = server.raw(request("/ok") + b"GET / HTTP/1.1\r\n\r\n")
    assert raw.startswith(b"HTTP/1.1 200 OK") and b"HTTP/1.1 400 " in raw
    assert not imported(server) & set(FULL_SERVER_MODULES)


def test_sigterm_in_the_fast_phase_drains_without_loading_the_full_server(held):
    server, _release = held
    buffer = bytearray()
    idle = server.connect()
    idle.sendall(request("/idle"))
    assert b'"p":"/idle"' in read_response(idle, buffer)
    busy = server.connect()
    busy.sendall(b"GET /late HTTP/1.1\r\nHost: x\r\n")  # a request under way
    time.sleep(0.2)
    server.process.send_signal(signal.SIGTERM)
    idle.settimeout(10)
    assert read_all(idle) == b""  # the idle connection is closed
    busy.sendall(b"\r\n")
    busy.settimeout(10)
    last = read_all(busy)  # answered, as the connection's last
    assert last.startswith(b"HTTP/1.1 200 OK") and b"connection: close" in last and b"/late" in last
    assert server.process.wait(15) == 0
    assert not imported(server) & set(FULL_SERVER_MODULES)
    idle.close()
    busy.close()


def test_without_the_fast_start_the_full_server_answers_from_the_first_request(serve):
    server = serve(
        HANDLER,
        "-q",
        "--keepalive-timeout",
        "60",
        env={"ZIGTTP_FAST_START": "0", "PYTHONPROFILEIMPORTTIME": "1"},
    )
    assert server.get("/x").json()["p"] == "/x"
    assert "uvloop" in imported(server)


def test_request_ids_go_on_across_the_hand_over(serve, tmp_path: Path):
    """The full server's C lane numbers requests from where the fast loop stopped: an id names
    one request of a worker (the lane's count started at 1 again, so `1-1` came twice)."""
    hold = tmp_path / "hold"
    server = serve(HANDLER, env={"ZIGTTP_FAST_START_HOLD": str(hold)})
    for index in range(3):
        assert server.get(f"/before/{index}").status_code == 200
    hold.write_text("")
    deadline = time.monotonic() + 30
    while not hold.read_text().startswith("adopted") and time.monotonic() < deadline:
        time.sleep(0.02)
    for index in range(3):
        assert server.get(f"/after/{index}").status_code == 200
    server.wait_for_log("GET /after/2 ")
    ids = re.findall(r"^\[(\d+-\d+)\] GET /(?:before|after)/", server.stderr, re.M)
    assert ids == ["1-1", "1-2", "1-3", "1-4", "1-5", "1-6"], server.stderr
