"""zigttp.Server started and stopped in-process (the embedding API), on port 0."""

from __future__ import annotations

import socket

import requests

import zigttp

HELLO = "function handler(r) { return Response.json({hello: r.path}); }"


def test_start_returns_the_bound_port_and_serves() -> None:
    server = zigttp.Server(HELLO, zigttp.ServerConfig(port=0, pool_size=2, quiet=True))
    port = server.start()
    try:
        assert port > 0 and server.url == f"http://127.0.0.1:{port}"
        assert requests.get(f"{server.url}/x", timeout=5).json() == {"hello": "/x"}
    finally:
        server.stop()


def test_stop_releases_the_port() -> None:
    with zigttp.Server(HELLO, zigttp.ServerConfig(port=0, pool_size=2, quiet=True)) as server:
        port = server.port
    probe = socket.socket()
    try:
        probe.bind(("127.0.0.1", port))  # would fail if the listening socket were still open
    finally:
        probe.close()


def test_threads_backend_starts_and_stops_too() -> None:
    config = zigttp.ServerConfig(port=0, pool_size=2, quiet=True, backend="threads")
    with zigttp.Server(HELLO, config) as server:
        assert requests.get(f"{server.url}/t", timeout=5).json() == {"hello": "/t"}


def test_handler_file_path_is_accepted(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "h.js"
    path.write_text(HELLO)
    with zigttp.Server(path, zigttp.ServerConfig(port=0, pool_size=2, quiet=True)) as server:
        assert requests.get(f"{server.url}/f", timeout=5).status_code == 200
