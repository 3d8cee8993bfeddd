"""The runtime pool: bounded waits (503, never a hang) and JS off the I/O thread."""

from __future__ import annotations

import concurrent.futures
import time

SLOW = r"""
function handler(req) {
  if (req.path === "/slow") { const end = Date.now() + 1500; while (Date.now() < end) {} }
  return Response.json({path: req.path});
}
"""


def test_exhausted_pool_answers_503_with_retry_after_instead_of_hanging(serve) -> None:
    server = serve(SLOW, "-n", "1", "--pool-wait-timeout-ms", "100")
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        slow = pool.submit(server.get, "/slow")
        time.sleep(0.3)
        started = time.monotonic()
        response = server.get("/fast")
        waited = time.monotonic() - started
        assert response.status_code == 503
        assert response.headers["retry-after"] == "1"
        assert waited < 1.0
        assert slow.result().status_code == 200
    assert server.get("/fast").status_code == 200


def test_waiting_request_gets_the_runtime_when_it_frees_up(serve) -> None:
    server = serve(SLOW, "-n", "1", "--pool-wait-timeout-ms", "5000")
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        slow = pool.submit(server.get, "/slow")
        time.sleep(0.2)
        waiting = pool.submit(server.get, "/after")
        assert slow.result().status_code == 200
        assert waiting.result().json() == {"path": "/after"}


def test_a_slow_handler_does_not_stall_other_connections(serve, backend) -> None:
    server = serve(SLOW, "-n", "2", "--backend", backend)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        slow = pool.submit(server.get, "/slow")
        time.sleep(0.2)
        started = time.monotonic()
        assert server.get("/fast").status_code == 200
        assert time.monotonic() - started < 0.5
        assert slow.result().status_code == 200


def test_runtimes_are_isolated_from_each_other(serve) -> None:
    server = serve(
        "let mine; function handler(r) { if (r.path === '/set') { mine = 'secret'; } "
        "return Response.json({mine: mine ?? null}) }",
        "-n",
        "2",
        "--isolation",
        "context",
    )
    # Occupy both runtimes at once so each request lands on a different one.
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda p: server.get(p).json(), ["/set", "/set"]))
    assert results == [{"mine": "secret"}] * 2
    fresh = serve(
        "let mine; function handler(r) { if (r.path === '/set') { mine = 'secret'; } "
        "return Response.json({mine: mine ?? null}) }",
        "-n",
        "1",
        "--isolation",
        "request",
    )
    fresh.get("/set")
    assert fresh.get("/read").json() == {"mine": None}
