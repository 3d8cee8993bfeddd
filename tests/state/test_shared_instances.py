"""Two `zigttp serve` processes on different ports stand for two machines behind a load
balancer, both started with `--state` pointing at one real redis-server: limits, TTLs and
counters hold across them, and a store outage costs Result errors, never the servers."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.conftest import ServerProcess
from tests.state.redis_server import RedisServer

HANDLER = """
import { rateCheck } from "zigttp:ratelimit";
import { cacheGet, cacheSet, cacheIncr } from "zigttp:cache";

function handler(request) {
  const [, op, key] = request.path.split("/");
  const q = request.query;
  if (op === "rate") return Response.json(rateCheck(key, Number(q.limit), Number(q.window)));
  if (op === "set") {
    const ttl = q.ttl === undefined ? undefined : Number(q.ttl);
    return Response.json({ value: cacheSet("ns", key, String(q.value), ttl) });
  }
  if (op === "get") {
    const value = cacheGet("ns", key);
    return Response.json({ value: value === undefined ? null : value });
  }
  if (op === "incr") return Response.json({ value: cacheIncr("ns", key) });
  return Response.text("unknown", { status: 404 });
}
"""

Serve = Callable[..., ServerProcess]


def pair(serve: Serve, url: str, *flags: str) -> tuple[ServerProcess, ServerProcess]:
    """Two instances: one single-process, one with two workers (a pool per worker)."""
    return (
        serve(HANDLER, "--state", url, "-q", *flags),
        serve(HANDLER, "--state", url, "-q", "--workers", "2", *flags),
    )


def get_json(server: ServerProcess, path: str) -> Any:
    response = server.get(path)
    assert response.status_code == 200, response.text
    return response.json()


def wait_for(condition: Callable[[], bool], what: str, attempts: int = 400) -> None:
    """Poll (bounded, ~20 s at most) until `condition()`; no timing is asserted."""
    import time

    for _ in range(attempts):
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"never happened: {what}")


def test_rate_limit_holds_across_both_instances(serve: Serve, redis_url: str) -> None:
    a, b = pair(serve, redis_url)
    results = [get_json((a, b)[n % 2], "/rate/client?limit=6&window=60") for n in range(12)]
    assert [r["ok"] for r in results].count(True) == 6
    assert all(r["error"]["tag"] == "rate_exceeded" for r in results[6:])


def test_ttl_expiry_is_seen_from_the_other_instance(serve: Serve, redis_url: str) -> None:
    a, b = pair(serve, redis_url)
    assert get_json(a, "/set/session?value=alice&ttl=0.5") == {"value": True}
    assert get_json(b, "/get/session") == {"value": "alice"}
    wait_for(lambda: get_json(b, "/get/session") == {"value": None}, "expiry seen by b")
    assert get_json(a, "/get/session") == {"value": None}


def test_200_concurrent_increments_from_both_end_exact(serve: Serve, redis_url: str) -> None:
    servers = pair(serve, redis_url)
    with ThreadPoolExecutor(16) as pool:
        values = list(pool.map(lambda n: get_json(servers[n % 2], "/incr/hits")["value"], range(200)))
    assert sorted(values) == list(range(1, 201))  # every increment saw a distinct count
    assert get_json(servers[0], "/get/hits") == {"value": "200"}


class Traffic:
    """Requests to both instances in a loop until stopped; records every answer."""

    def __init__(self, servers: tuple[ServerProcess, ...]) -> None:
        self.servers = servers
        self.answers: list[tuple[int, Any]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        n = 0
        while not self._stop.is_set() and n < 20_000:
            server = self.servers[n % len(self.servers)]
            response = server.get(f"/incr/traffic-{n % 7}", timeout=10)
            self.answers.append((response.status_code, response.json()["value"]))
            n += 1

    def __enter__(self) -> Traffic:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(30)

    def seen(self, predicate: Callable[[Any], bool], since: int) -> bool:
        return any(predicate(value) for _, value in self.answers[since:])


def unavailable(value: Any) -> bool:
    return value == {"ok": False, "error": {"tag": "state_unavailable"}}


def test_store_stopped_and_restarted_under_traffic(serve: Serve, own_redis: RedisServer) -> None:
    servers = pair(serve, own_redis.url)
    with Traffic(servers) as traffic:
        wait_for(lambda: traffic.seen(lambda v: isinstance(v, int), 0), "traffic flowing")
        own_redis.stop()
        mark = len(traffic.answers)
        wait_for(lambda: traffic.seen(unavailable, mark), "state_unavailable while stopped")
        own_redis.start()
        mark = len(traffic.answers)
        wait_for(
            lambda: sum(isinstance(v, int) for _, v in traffic.answers[mark:]) >= 20,
            "numbers again after the restart",
        )
    assert {status for status, _ in traffic.answers} == {200}
    assert all(isinstance(v, int) or unavailable(v) for _, v in traffic.answers)
    assert all(server.process.poll() is None for server in servers)
    assert "state store redis://127.0.0.1" in servers[0].stderr and "is back" in servers[0].stderr


def test_a_stalled_store_answers_state_unavailable_then_recovers(
    serve: Serve, own_redis: RedisServer
) -> None:
    server = serve(HANDLER, "--state", own_redis.url, "-q")
    assert get_json(server, "/incr/k") == {"value": 1}
    own_redis.pause()  # accepts connections, answers nothing
    try:
        assert get_json(server, "/incr/k") == {"value": {"ok": False, "error": {"tag": "state_unavailable"}}}
        assert get_json(server, "/rate/k?limit=5&window=60") == {
            "ok": False,
            "error": {"tag": "state_unavailable"},
        }
    finally:
        own_redis.resume()
    wait_for(lambda: isinstance(get_json(server, "/incr/k")["value"], int), "recovery")


@pytest.mark.parametrize(("flags", "expected_ok"), [((), False), (("--ratelimit-fail", "open"), True)])
def test_rate_check_fails_closed_by_default_and_open_on_request(
    serve: Serve, own_redis: RedisServer, flags: tuple[str, ...], expected_ok: bool
) -> None:
    server = serve(HANDLER, "--state", own_redis.url, "-q", *flags)
    own_redis.stop()
    result = get_json(server, "/rate/k?limit=5&window=60")
    assert result["ok"] is expected_ok
    if expected_ok:
        assert result["value"]["stateUnavailable"] is True and result["value"]["remaining"] == 4
    else:
        assert result["error"] == {"tag": "state_unavailable"}


def test_metrics_count_store_calls_errors_and_latency(serve: Serve, own_redis: RedisServer) -> None:
    from prometheus_client.parser import text_string_to_metric_families

    server = serve(HANDLER, "--state", own_redis.url, "-q", "--metrics")
    for _ in range(3):
        get_json(server, "/incr/k")
    own_redis.stop()
    get_json(server, "/incr/k")
    samples = {
        s.name + str(sorted(s.labels.items())): s.value
        for family in text_string_to_metric_families(server.get("/_zigttp/metrics").text)
        for s in family.samples
    }
    assert samples["zigttp_state_calls_total[]"] == 4
    assert samples["zigttp_state_errors_total[]"] == 1
    assert samples["zigttp_state_call_duration_seconds_count[]"] == 4


def test_a_server_started_before_its_store_serves_and_then_uses_it(
    serve: Serve, own_redis: RedisServer
) -> None:
    own_redis.stop()
    server = serve(HANDLER, "--state", own_redis.url, "-q")
    assert unavailable(get_json(server, "/incr/k")["value"])
    own_redis.start()
    wait_for(lambda: get_json(server, "/incr/k")["value"] == 1, "first count once the store is up")


def test_calls_in_the_cooldown_fail_at_once_and_count_as_errors_only(own_redis: RedisServer) -> None:
    from zigttp.modules._redis_store import RedisStore, StoreUnavailable
    from zigttp.modules._state import StateMetrics

    metrics = StateMetrics()
    store = RedisStore(own_redis.url, 0.1, 2, metrics)
    assert store.call(lambda: store.client.incr("k")) == 1
    own_redis.stop()
    for _ in range(2):  # refused, then in the cooldown (back to back: well inside 250 ms)
        with pytest.raises(StoreUnavailable):
            store.call(lambda: store.client.incr("k"))
    assert (metrics.calls, metrics.errors, sum(metrics.bucket_counts)) == (3, 2, 2)
