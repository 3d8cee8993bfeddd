"""zigttp.Runtime: a handler called in-process, no sockets."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import pytest

import zigttp

ECHO = """
function handler(r) {
  if (r.path === "/boom") throw new Error("kaboom");
  return Response.json({method: r.method, path: r.path, query: r.query,
                        agent: r.headers.get("x-agent"), body: r.text()},
                       {status: r.path === "/created" ? 201 : 200, headers: {"x-out": "1"}});
}
"""


@pytest.fixture(scope="module")
def runtime() -> Iterator[zigttp.Runtime]:
    with zigttp.Runtime(ECHO, zigttp.ServerConfig(pool_size=2)) as rt:
        yield rt


def test_handle_returns_status_headers_and_body(runtime: zigttp.Runtime) -> None:
    response = runtime.handle("POST", "/created?id=7", {"X-Agent": "py"}, b"hello")
    assert response.status == 201
    assert response.header("X-Out") == "1"
    assert response.json() == {
        "method": "POST",
        "path": "/created",
        "query": {"id": 7},
        "agent": "py",
        "body": "hello",
    }


def test_text_decodes_the_body(runtime: zigttp.Runtime) -> None:
    assert '"method":"GET"' in runtime.handle("GET", "/").text()


def test_handler_exception_is_a_500_with_its_message(runtime: zigttp.Runtime) -> None:
    response = runtime.handle("GET", "/boom")
    assert (response.status, response.text(), response.error) == (500, "kaboom", "HandlerException")
    assert runtime.handle("GET", "/").status == 200


def test_body_over_the_cap_is_413_without_running_the_handler(runtime: zigttp.Runtime) -> None:
    response = runtime.handle("POST", "/", None, b"x" * (1_048_576 + 1))
    assert response.status == 413


def test_handle_is_thread_safe(runtime: zigttp.Runtime) -> None:
    statuses: list[int] = []

    def worker(n: int) -> None:
        for i in range(10):
            response = runtime.handle("GET", f"/?n={n}{i}")
            statuses.append(response.status if response.json()["query"]["n"] == int(f"{n}{i}") else 0)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(1, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert statuses == [200] * 40


def test_exhausted_pool_is_503_with_retry_after() -> None:
    slow = "function handler(r) { const end = Date.now() + 400; while (Date.now() < end) {} return 'ok'; }"
    config = zigttp.ServerConfig(pool_size=1, pool_wait_timeout_ms=50)
    with zigttp.Runtime(slow, config) as rt:
        results: list[zigttp.Response] = []
        first = threading.Thread(target=lambda: results.append(rt.handle()))
        first.start()
        while rt.pool.metrics.in_use == 0:
            pass
        second = rt.handle()
        first.join(10)
    assert (second.status, second.header("retry-after")) == (503, "1")
    assert results[0].status == 200


def test_closed_runtime_refuses_calls() -> None:
    rt = zigttp.Runtime("function handler() { return 'x'; }", zigttp.ServerConfig(pool_size=1))
    rt.close()
    with pytest.raises(zigttp.errors.ZigttpError):
        rt.handle()


def test_binary_body_with_nul_bytes_is_byte_exact() -> None:
    source = "function handler() { return new Response(new Uint8Array([0, 65, 0, 0, 255, 0])); }"
    with zigttp.Runtime(source, zigttp.ServerConfig(pool_size=1)) as rt:
        assert rt.handle().body == bytes([0, 65, 0, 0, 255, 0])


def test_a_runtime_removes_its_state_directory_when_closed(tmp_path, monkeypatch) -> None:
    """What the handler's modules cached lives as long as its runtime (state_dir.py)."""
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    rt = zigttp.Runtime("function handler() { return 'x'; }", zigttp.ServerConfig(pool_size=1))
    assert os.path.dirname(rt.state_dir) == str(tmp_path) and os.path.isdir(rt.state_dir)
    assert rt.handle().text() == "x"
    rt.close()
    assert os.listdir(tmp_path) == []
