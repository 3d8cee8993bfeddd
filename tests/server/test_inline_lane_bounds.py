"""The inline lane's bounds (issue 19, item 4): what a path proven fast that turns slow costs.

A request on the inline lane runs on the event-loop thread, so the worker's other connections
wait while it runs. Demotion to the pool threads is sticky (fast requests in between forgive no
strike), and one inline run is interrupted at `lanes.INLINE_BOUND` instead of `--timeout`:
then it is run again on the pool threads if it called no module with effects, else answered 500.
Every test warms the lane first and checks through `/_zigttp/metrics` that it is in use.
"""

from __future__ import annotations

import select
import socket
import time

from tests.conftest import read_all
from tests.security.rawhttp import statuses

SPIN = r"""
function spin(ms) { const end = Date.now() + ms; while (Date.now() < end) {} }
function handler(req) {
  const ms = Number(req.query.ms || 0);
  if (ms) spin(ms);
  return Response.json({path: req.path, ms});
}
"""
SPIN_WITH_CACHE = r"""
import { cacheIncr, cacheGet } from "zigttp:cache";
function spin(ms) { const end = Date.now() + ms; while (Date.now() < end) {} }
function handler(req) {
  if (req.path === "/count") return Response.json({hits: cacheGet("t", "hits")});
  const ms = Number(req.query.ms || 0);
  if (ms) { cacheIncr("t", "hits"); spin(ms); }
  return Response.json({path: req.path, ms});
}
"""
WARM_UP = 40  # > the lane's probation
MAX_WARM_UP = 400  # a busy host can fail probation runs (over the lane's budget): they start over


def _inline_runs(server) -> float:
    text = server.get("/_zigttp/metrics").text
    line = next(x for x in text.splitlines() if x.startswith("zigttp_pool_inline_executions_total "))
    return float(line.split()[1])


def _warm(serve, source: str, *flags: str):
    server = serve(source, "-n", "2", "-q", "--metrics", *flags)
    for index in range(MAX_WARM_UP):
        assert server.get("/other").status_code == 200
        before = _inline_runs(server) if index >= WARM_UP else None
        assert server.get("/p").status_code == 200
        if before is not None and _inline_runs(server) > before:
            return server
    raise AssertionError("the handler should run inline after its probation")


def test_demotion_is_sticky_however_many_fast_requests_follow_a_slow_one(serve) -> None:
    # 5 ms is over the 2 ms budget and under the one-strike threshold: three strikes demote,
    # and the fast request after each slow one used to wipe its strike.
    server = _warm(serve, SPIN)
    for _ in range(4):
        assert server.get("/p?ms=5").status_code == 200
        assert server.get("/p").status_code == 200
    before = _inline_runs(server)
    for _ in range(5):
        assert server.get("/p").json() == {"path": "/p", "ms": 0}
    assert _inline_runs(server) == before, "the path must run on the pool threads for good"
    before = _inline_runs(server)
    assert server.get("/other").status_code == 200
    assert _inline_runs(server) > before, "other paths stay inline"


def _race(server, slow: str) -> tuple[bytes, bytes, str]:
    """Send `slow`, then (while it runs) a fast request on another connection; return both
    answers and which began to arrive first."""
    with (
        socket.create_connection((server.host, server.port), timeout=30) as slow_sock,
        socket.create_connection((server.host, server.port), timeout=30) as fast_sock,
    ):
        slow_sock.sendall(f"GET {slow} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        time.sleep(0.5)  # the slow request is running by now
        fast_sock.sendall(b"GET /other HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        readable, _, _ = select.select([slow_sock, fast_sock], [], [], 30)
        first = "fast" if readable == [fast_sock] else "slow"
        return read_all(slow_sock), read_all(fast_sock), first


def test_a_proven_path_that_turns_slow_stalls_the_loop_only_briefly(serve) -> None:
    # A 3 s request on a path proven fast used to hold the event loop for all 3 s (up to
    # --timeout): the other connection's request waited behind it. It is interrupted at the
    # inline bound and, having called no module, run again on a pool thread, where it succeeds.
    server = _warm(serve, SPIN)
    slow, fast, first = _race(server, "/p?ms=3000")
    assert statuses(fast) == [200] and b'"/other"' in fast
    assert first == "fast", "the fast request must not wait for the slow one"
    assert statuses(slow) == [200] and b'"ms":3000' in slow, slow[:200]


def test_an_interrupted_run_with_effects_is_not_repeated(serve, tmp_path) -> None:
    # The run incremented a cache counter before it was interrupted: running it again would
    # count twice, so it is answered 500 (naming the cause), and the path moves to the threads.
    server = _warm(serve, SPIN_WITH_CACHE)
    slow, fast, _ = _race(server, "/p?ms=3000")  # (the 500 may come before /other is sent)
    assert statuses(fast) == [200]
    assert statuses(slow) == [500], slow[:200]  # interrupted at the bound: it was a 200 after 3 s
    assert b"event-loop thread" in slow and b"not run again" in slow
    assert server.get("/count").json() == {"hits": "1"}
    assert server.get("/p?ms=300").json() == {"path": "/p", "ms": 300}  # threads: full --timeout
    assert server.get("/count").json() == {"hits": "2"}
