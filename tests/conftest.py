"""Shared fixtures: a real `zigttp serve` process on a free loopback port.

`serve(handler_source_or_path, *flags)` writes the handler to a temp file when given source,
starts `python -m zigttp serve --port 0 ...`, reads the `Listening on http://HOST:PORT` banner
from stdout, and stops the process (SIGTERM, then SIGKILL) at teardown.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from zigttp.bench import peers

ROOT = Path(__file__).resolve().parent.parent
BANNER = re.compile(r"Listening on http://(\S+?):(\d+)")


class ServerProcess:
    def __init__(self, process: subprocess.Popen[str], host: str, port: int) -> None:
        self.process = process
        self.host = host
        self.port = port
        self.url = f"http://{host}:{port}"
        self.stderr_lines: list[str] = []
        self._reader = threading.Thread(target=self._drain_stderr, daemon=True)
        self._reader.start()

    def _drain_stderr(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.stderr_lines.append(line)

    @property
    def stderr(self) -> str:
        return "".join(self.stderr_lines)

    def workers(self) -> set[int]:
        """Pids of the worker processes (`zigttp serve` forks at least one, even for -w 1)."""
        out = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout
        return {int(pid) for pid in out.split()}

    def worker_pid(self) -> int:
        """The one worker's pid (a `--workers 1` server): where requests are answered."""
        (pid,) = self.workers()
        return pid

    def wait_for_log(self, needle: str, timeout: float = 5.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.stderr:
                return self.stderr
            time.sleep(0.02)
        raise AssertionError(f"{needle!r} not in server stderr:\n{self.stderr}")

    def get(self, path: str, **kwargs: object) -> requests.Response:
        return requests.get(self.url + path, timeout=kwargs.pop("timeout", 10), **kwargs)  # type: ignore[arg-type]

    def post(self, path: str, **kwargs: object) -> requests.Response:
        return requests.post(self.url + path, timeout=kwargs.pop("timeout", 10), **kwargs)  # type: ignore[arg-type]

    def request(self, method: str, path: str, **kwargs: object) -> requests.Response:
        return requests.request(method, self.url + path, timeout=kwargs.pop("timeout", 10), **kwargs)  # type: ignore[arg-type]

    def raw(self, data: bytes, *, read_timeout: float = 5.0, until_close: bool = True) -> bytes:
        """Send raw bytes, return everything the server sends until it closes (or times out)."""
        with socket.create_connection((self.host, self.port), timeout=read_timeout) as sock:
            sock.sendall(data)
            return read_all(sock, until_close=until_close)

    def connect(self, timeout: float = 5.0) -> socket.socket:
        return socket.create_connection((self.host, self.port), timeout=timeout)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15.0) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self._reader.join(5)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
        return self.process.returncode


def read_all(sock: socket.socket, *, until_close: bool = True) -> bytes:
    chunks = []
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
            if not until_close and b"\r\n\r\n" in b"".join(chunks):
                break
    except (TimeoutError, ConnectionResetError):
        pass
    return b"".join(chunks)


def zigttp_command(*args: str) -> list[str]:
    """The command a user types (the installed `zigttp` script; `python -m zigttp` without one)."""
    return peers.zigttp_command(*args)


def run_zigttp(
    *args: str, timeout: float = 60, cwd: Path | None = None, input_text: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        zigttp_command(*args),
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd or ROOT,
        input=input_text,
    )


def start_server(
    args: list[str], *, cwd: Path | None = None, timeout: float = 30, env: dict[str, str] | None = None
) -> ServerProcess:
    process = subprocess.Popen(
        zigttp_command("serve", "--port", "0", *args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd or ROOT,
        env={"ZIGTTP_WORKERS": "1", **os.environ, **(env or {})},  # one process unless a test asks
    )
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    line = ""
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        match = BANNER.search(line)
        if match:
            server = ServerProcess(process, match.group(1), int(match.group(2)))
            server.banner = line  # type: ignore[attr-defined]
            return server
    process.kill()
    _, err = process.communicate(timeout=5)
    raise AssertionError(f"server did not start (exit {process.returncode}): {line}\n{err}")


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., ServerProcess]]:
    started: list[ServerProcess] = []

    def factory(
        handler: str | Path, *flags: str, suffix: str = ".js", env: dict[str, str] | None = None
    ) -> ServerProcess:
        if isinstance(handler, Path) or ("\n" not in handler and Path(handler).exists()):
            path = Path(handler)
        else:
            path = tmp_path / f"handler{len(started)}{suffix}"
            path.write_text(handler)
        server = start_server([str(path), *flags], env=env)
        started.append(server)
        return server

    yield factory
    for server in started:
        server.stop()


@pytest.fixture(params=["loop", "threads"])
def backend(request: pytest.FixtureRequest) -> str:
    """Run a test against both server backends."""
    return str(request.param)


@contextlib.contextmanager
def http_upstream(handler_class: type) -> Iterator[str]:
    """A real loopback HTTP server (stdlib) answering with `handler_class`: its base URL."""
    from http.server import ThreadingHTTPServer

    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
