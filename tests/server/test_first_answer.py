"""A cold start's first requests are answered by the supervisor itself, before any worker
exists (`Supervisor._answer_first`, `fast_start.FirstAnswer`); worker 1 is forked from inside
that loop once the first answer is out and goes on with its connections.

Each test connects while the server is still starting: the port is bound before the handler
loads, so the first request is already waiting when the supervisor's runtime is ready. Which
process answered is seen from outside: the supervisor's children while a request is in flight
(`/proc/PID/task/PID/children`), and a handler's console line, printed twice when a first run
was interrupted at the inline bound and run again by the worker.
"""

from __future__ import annotations

import os
import select
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import BANNER, ROOT, read_all, zigttp_command
from tests.server.test_fast_start import read_response, request
from zigttp.bench.http import free_port

SPIN = r"""
let runs = 0;
function spin(ms) { const end = Date.now() + ms; while (Date.now() < end) {} }
function handler(req) {
  runs += 1;
  if (req.path.startsWith("/spin/")) {
    console.log("spinning " + req.path);
    spin(Number(req.path.slice(6)));
  }
  return Response.json({ p: req.path, runs });
}
"""


class Starting:
    """A `zigttp serve` process and its port, started by the test, not yet announced."""

    def __init__(self, handler: Path, *flags: str, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            zigttp_command("serve", "--port", str(self.port), *flags, str(handler)),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env={**os.environ, "ZIGTTP_WORKERS": "1", **(env or {})},
        )

    def connect(self, timeout: float = 30.0) -> socket.socket:
        """A connection as soon as the port is bound (the first request waits in its backlog)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                return socket.create_connection(("127.0.0.1", self.port), timeout=10)
            except ConnectionRefusedError:
                assert self.process.poll() is None, self.process.communicate()
                time.sleep(0.001)
        raise AssertionError("the port was never bound")

    def children(self) -> list[str]:
        pid = self.process.pid
        with open(f"/proc/{pid}/task/{pid}/children") as file:
            return file.read().split()

    def banner(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert BANNER.search(line), line
        return line

    def stop(self) -> tuple[int, str]:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            _, err = self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, err = self.process.communicate(timeout=5)
        return self.process.returncode, err


@pytest.fixture
def starting(tmp_path: Path) -> Iterator:
    started: list[Starting] = []

    def start(source: str, *flags: str, env: dict[str, str] | None = None) -> Starting:
        handler = tmp_path / f"handler{len(started)}.js"
        handler.write_text(source)
        server = Starting(handler, *flags, env=env)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def closing(path: str) -> bytes:
    """`request(path)` that asks the server to close the connection after its answer."""
    return request(path).replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n", 1)


def response(sock: socket.socket) -> bytes:
    return read_response(sock, bytearray())  # (one answer at a time on these connections)


def children_while_in_flight(server: Starting, sock: socket.socket) -> list[list[str]]:
    """The supervisor's children, sampled until `sock` has an answer to read."""
    samples = []
    while not select.select([sock], [], [], 0.002)[0]:
        samples.append(server.children())
    return samples


def test_the_first_answer_comes_from_the_supervisor_before_any_worker_exists(starting):
    for _attempt in range(3):  # (a sample needs the test to run while the request is in flight)
        server = starting(SPIN, "-q")
        with server.connect() as sock:
            sock.sendall(request("/spin/30"))
            samples = children_while_in_flight(server, sock)
            assert b'"p":"/spin/30"' in response(sock)
            assert all(sample == [] for sample in samples), samples  # no worker while it ran
            server.banner()  # announced once worker 1 is ready
            assert len(server.children()) == 1
            sock.sendall(request("/after"))  # the same connection, now worker 1's
            assert b'"p":"/after"' in response(sock)
        if samples:
            return
    pytest.fail("never sampled the supervisor while its first request ran")


def test_without_it_a_worker_answers_the_first_request(starting):
    server = starting(SPIN, "-q", env={"ZIGTTP_FIRST_ANSWER": "0"})
    with server.connect() as sock:
        sock.sendall(request("/spin/300"))
        samples = children_while_in_flight(server, sock)
        assert b'"p":"/spin/300"' in response(sock)
    assert any(len(sample) == 1 for sample in samples), samples


def test_a_first_request_longer_than_the_inline_bound_is_run_again_by_worker_1(starting):
    server = starting(SPIN)
    with server.connect() as sock:
        sock.sendall(request("/spin/400"))
        answer = response(sock)
    assert answer.startswith(b"HTTP/1.1 200 OK") and b'"p":"/spin/400","runs":1' in answer
    server.banner()
    status, err = server.stop()
    assert status == 0
    # interrupted at the bound in the supervisor, then run in full on a slot of worker 1
    assert err.count("spinning /spin/400") == 2, err
    assert "Error" not in err, err


def test_a_handler_with_a_module_that_has_effects_is_answered_by_a_worker(starting):
    source = 'import { cacheSet } from "zigttp:cache";\n' + SPIN.replace(
        "runs += 1;", 'runs += 1; if (req.path === "/set") cacheSet("k", "v");'
    )
    server = starting(source)
    with server.connect() as sock:
        sock.sendall(request("/spin/400"))
        samples = children_while_in_flight(server, sock)
        answer = response(sock)
    assert answer.startswith(b"HTTP/1.1 200 OK") and b'"runs":1' in answer
    assert any(len(sample) == 1 for sample in samples), samples
    server.banner()
    _status, err = server.stop()
    assert err.count("spinning /spin/400") == 1, err


def test_worker_1_serves_the_connections_the_supervisor_accepted_on_any_socket(starting):
    server = starting(SPIN, "-w", "2")
    first = server.connect()
    others = [server.connect() for _ in range(6)]  # spread over both sockets of the group
    try:
        first.sendall(request("/first"))
        assert b'"p":"/first"' in response(first)
        server.banner()
        for index, sock in enumerate(others):
            sock.sendall(request(f"/other/{index}"))
            assert f'"p":"/other/{index}"'.encode() in response(sock)
            sock.sendall(closing(f"/again/{index}"))
            last = read_all(sock)
            assert f'"p":"/again/{index}"'.encode() in last and b"connection: close" in last
    finally:
        for sock in (first, *others):
            sock.close()
    status, err = server.stop()
    assert status == 0
    ids = [line.split("]")[0] for line in err.splitlines() if line.startswith("[")]
    assert len(ids) == 13 and len(set(ids)) == 13, err  # one id per request, none twice


def test_a_sigterm_during_the_first_answer_is_answered_and_the_server_exits(starting):
    server = starting(SPIN, "-q")
    with server.connect() as sock:
        sock.sendall(request("/spin/60"))
        time.sleep(0.03)
        server.process.send_signal(signal.SIGTERM)
        sock.settimeout(10)
        last = read_all(sock)
    assert last.startswith(b"HTTP/1.1 200 OK") and last.endswith(b'{"p":"/spin/60","runs":1}')  # then closed
    assert server.process.wait(20) == 0
    assert subprocess.run(["pgrep", "-f", "--", f"--port {server.port} "], capture_output=True).stdout == b""


def test_a_handler_that_fails_to_load_is_reported_once_by_the_supervisor(starting):
    server = starting('throw new Error("broken at load");\nfunction handler() {}', "-w", "2")
    _, err = server.process.communicate(timeout=60)
    assert server.process.returncode != 0
    assert err.count("broken at load") == 1, err


# Spawns a server, takes its first answer, sends SIGTERM at once, and counts the servers that
# did not exit within 8 s: run as its own small process, which reacts faster than pytest's.
STOP_RIGHT_AFTER = r"""
import os, signal, socket, subprocess, sys, time
command, handler, runs = sys.argv[1:-2], sys.argv[-2], int(sys.argv[-1])
late = 0
for _ in range(runs):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([*command, "serve", "-q", "-w", "2", "-p", str(port), handler],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        try:
            sock = socket.create_connection(("127.0.0.1", port))
            break
        except ConnectionRefusedError:
            time.sleep(0.0005)
    sock.sendall(b"GET /first HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    while sock.recv(65536):
        pass
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(8)
    except subprocess.TimeoutExpired:
        late += 1
        server.kill()
        server.wait()
print(late)
"""


def test_a_sigterm_right_after_the_first_answer_stops_the_server(tmp_path: Path):
    """The SIGTERM reaches the supervisor as it forks worker 1 and is forwarded at once: it
    must not be lost in the worker (CPython drops the signals a child has noted but not handled
    yet when it starts; the fork blocks them until the worker is past it). Before the fix about
    one start in three left its worker serving (the supervisor waited for it in vain)."""
    handler = tmp_path / "handler.js"
    handler.write_text(SPIN)
    driver = subprocess.run(
        [sys.executable, "-c", STOP_RIGHT_AFTER, *zigttp_command(), str(handler), "15"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert driver.returncode == 0, driver.stderr
    assert driver.stdout.split() == ["0"], driver.stdout
