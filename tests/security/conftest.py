"""Module-scoped servers for the security suites.

Starting a server costs ~0.3 s, so the attack tables share one server per backend and module;
every case then proves the server still answers a good request on a fresh connection.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import ServerProcess, start_server
from tests.security.rawhttp import ECHO

# The loop backend twice: with the C lane (server/lane.py, the default) and without it
# (`ZIGTTP_LANE=0`, the Python protocol path): issue 16 asks for the security suites to hold
# on both paths.
BACKENDS = ["loop", "loop-python", "threads"]
WARM_UP = 40  # requests: past the inline lane's probation, so the C lane runs the handler itself


def _server_args(backend: str, env: dict[str, str] | None) -> tuple[str, dict[str, str] | None]:
    if backend == "loop-python":
        return "loop", {**(env or {}), "ZIGTTP_LANE": "0"}
    return backend, env


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Run a test against both server backends, the loop backend with and without the C lane."""
    return str(request.param)


@pytest.fixture
def serve(serve: Callable[..., ServerProcess]) -> Callable[..., ServerProcess]:
    """`serve` that understands the "loop-python" backend (the loop backend, lane off)."""

    def factory(
        handler: str | Path, *flags: str, env: dict[str, str] | None = None, **options: object
    ) -> ServerProcess:
        args = list(flags)
        if "loop-python" in args:
            args[args.index("loop-python")], env = _server_args("loop-python", env)
        return serve(handler, *args, env=env, **options)

    return factory


@pytest.fixture(scope="module", params=BACKENDS)
def attack_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    path: Path = tmp_path_factory.mktemp("attack") / "echo.js"
    path.write_text(ECHO)
    backend, env = _server_args(str(request.param), None)
    server = start_server([str(path), "-n", "2", "-q", "--backend", backend], env=env)
    if request.param == "loop":
        _warm_up(server)
    yield server
    assert server.process.poll() is None, f"server died:\n{server.stderr}"
    server.stop()


def _warm_up(server: ServerProcess) -> None:
    """Plain requests on one keep-alive connection until the inline lane is open."""
    request = b"GET /warm HTTP/1.1\r\nHost: x\r\n\r\n"
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        for _ in range(WARM_UP):
            sock.sendall(request)
            answer = b""
            while b"\r\n\r\n" not in answer or not _complete(answer):
                answer += sock.recv(65536)


def _complete(answer: bytes) -> bool:
    head, _, body = answer.partition(b"\r\n\r\n")
    length = next(
        (
            int(line.split(b":")[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        ),
        0,
    )
    return len(body) >= length
