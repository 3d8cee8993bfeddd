"""Request metrics and the `--metrics` endpoint (`GET /_zigttp/metrics`, Prometheus text 0.0.4).

Each worker keeps plain counters (requests by status, a latency histogram) next to the pool's
(`runtime.metrics.PoolMetrics`) and the static cache's. A `snapshot()` is a JSON-able dict of
all of them. With `--workers N` every worker writes its snapshot to
`<state dir>/metrics-<worker>.json` about once a second (and right before answering a scrape),
so whichever worker answers a scrape reports every worker: other workers' figures are at most
~1 s old. Output has two sets of families: `zigttp_*` summed over workers, and
`zigttp_worker_*{worker="N"}` per worker (so `sum()` never double counts).
"""

from __future__ import annotations

import os
from _bisect import bisect_left  # (bisect.bisect_left itself, without the module)

from zigttp.cache_dir import write_atomically
from zigttp.lean import suppress
from zigttp.lean_threads import Event, start_daemon

TYPE_CHECKING = False  # (typing stays off the start path: bench/README.md)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    Snapshot = dict[str, Any]

BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class RequestMetrics:
    """Requests by status and a duration histogram; unlocked like PoolMetrics (statistics)."""

    def __init__(self) -> None:
        self.by_status: dict[int, int] = {}
        self.bucket_counts = [0] * (len(BUCKETS) + 1)
        self.duration_sum = 0.0
        self.count = 0

    def record(self, status: int, seconds: float) -> None:
        self.by_status[status] = self.by_status.get(status, 0) + 1
        self.bucket_counts[bisect_left(BUCKETS, seconds)] += 1
        self.duration_sum += seconds
        self.count += 1

    def merge(self, by_status: dict[int, int], bucket_counts: list[int], duration_sum: float) -> None:
        """Counts recorded elsewhere with the same buckets (the C lane's, per batch)."""
        for status, count in by_status.items():
            self.by_status[status] = self.by_status.get(status, 0) + count
            self.count += count
        for index, count in enumerate(bucket_counts):
            self.bucket_counts[index] += count
        self.duration_sum += duration_sum


def snapshot(
    worker: int, requests: RequestMetrics, pool: Any, cache: Any | None, state: Snapshot | None = None
) -> Snapshot:
    return {
        "worker": worker,
        "requests": {str(k): v for k, v in requests.by_status.items()},
        "buckets": list(requests.bucket_counts),
        "duration_sum": requests.duration_sum,
        "pool": {
            "size": pool.size,
            "in_use": pool.in_use,
            "exhausted": pool.exhausted,
            "acquisitions": pool.acquisitions,
            "wait_total": pool.wait_total,
            "wait_max": pool.wait_max,
            "executions": pool.executions,
            "exec_total": pool.exec_total,
            "exec_max": pool.exec_max,
            "inline_executions": pool.inline_executions,
        },
        "static": cache.stats() if cache is not None else None,
        "state": state,  # --state: calls to the Redis store (modules._state.StateMetrics)
    }


class SnapshotStore:
    """Per-worker snapshot files in the supervisor's state dir (None: a single process)."""

    def __init__(self, state_dir: str | None, worker: int, take: Callable[[], Snapshot]) -> None:
        self.dir = state_dir or None
        self.worker = worker
        self.take = take
        self._stop = Event()
        if self.dir is not None:
            start_daemon(self._loop, "zigttp-metrics")

    def _loop(self) -> None:
        while not self._stop.wait(1.0):
            self.write()

    def write(self) -> Snapshot:
        current = self.take()
        if self.dir is not None:
            import json  # (a worker of a server with a state directory; not on the start path)

            target = os.path.join(self.dir, f"metrics-{self.worker}.json")
            # (never recreating the state directory: it is the server's, removed when it stops)
            write_atomically(target, json.dumps(current).encode(), create_folder=False)
        return current

    def collect(self) -> list[Snapshot]:
        own = self.write()
        if self.dir is None:
            return [own]
        import json

        found = {own["worker"]: own}
        names = sorted(
            name for name in os.listdir(self.dir) if name.startswith("metrics-") and name.endswith(".json")
        )
        for name in names:
            with suppress(OSError, ValueError):
                with open(os.path.join(self.dir, name)) as file:
                    data = json.loads(file.read())
                found.setdefault(data["worker"], data)
        return [found[key] for key in sorted(found)]

    def close(self) -> None:
        self._stop.set()


def render(snapshots: list[Snapshot]) -> str:
    out: list[str] = []
    for prefix, rows in (
        ("zigttp", [(None, _sum(snapshots))]),
        ("zigttp_worker", [(str(s["worker"]), s) for s in snapshots]),
    ):
        _family_lines(out, prefix, rows)
    return "\n".join(out) + "\n"


def _labels(worker: str | None, **extra: str) -> str:
    pairs = ([("worker", worker)] if worker is not None else []) + list(extra.items())
    return "{" + ",".join(f'{k}="{v}"' for k, v in pairs) + "}" if pairs else ""


def _family_lines(out: list[str], prefix: str, rows: list[tuple[str | None, Snapshot]]) -> None:
    def family(
        name: str, kind: str, help_text: str, values: Callable[[str | None, Snapshot], list[str]]
    ) -> None:
        out.append(f"# HELP {prefix}_{name} {help_text}")
        out.append(f"# TYPE {prefix}_{name} {kind}")
        for worker, snap in rows:
            out.extend(f"{prefix}_{line}" for line in values(worker, snap))

    def pool(key: str) -> Callable[[str | None, Snapshot], list[str]]:
        return lambda w, s: [f"{_pool_name(key)}{_labels(w)} {_num(s['pool'][key])}"]

    family("requests_total", "counter", "Requests answered, by status.", _status_lines)
    family(
        "request_duration_seconds",
        "histogram",
        "Time from request parsed to response ready.",
        lambda w, s: _histogram_lines("request_duration_seconds", w, s, BUCKETS),
    )
    for key, kind, text in _POOL_FIELDS:
        family(_pool_name(key), kind, text, pool(key))
    if any(s["static"] is not None for _, s in rows):
        for key, kind, text in _STATIC_FIELDS:
            family(f"static_cache_{key}", kind, text, _static_line(key))
    if any(s.get("state") is not None for _, s in rows):
        _state_families(family)


def _state_families(family: Callable[..., None]) -> None:
    from zigttp.modules._state import BUCKETS as STATE_BUCKETS

    def counter(key: str) -> Callable[[str | None, Snapshot], list[str]]:
        return lambda w, s: [f"state_{key}_total{_labels(w)} {(s.get('state') or {}).get(key, 0)}"]

    family("state_calls_total", "counter", "Calls to the --state store (cache, ratelimit).", counter("calls"))
    family(
        "state_errors_total",
        "counter",
        "Calls that got state_unavailable: store unreachable, too slow, or in cooldown.",
        counter("errors"),
    )
    family(
        "state_call_duration_seconds",
        "histogram",
        "Time of one call to the --state store.",
        lambda w, s: _histogram_lines(
            "state_call_duration_seconds", w, s.get("state") or _EMPTY_STATE, STATE_BUCKETS
        ),
    )


_POOL_FIELDS = (
    ("size", "gauge", "Runtimes in the pool."),
    ("in_use", "gauge", "Runtimes checked out right now."),
    ("exhausted", "counter", "Requests refused with 503 because no runtime freed up in time."),
    ("acquisitions", "counter", "Runtime checkouts."),
    ("wait_total", "counter", "Seconds spent waiting for a runtime, in total."),
    ("wait_max", "gauge", "Longest wait for a runtime, in seconds."),
    ("executions", "counter", "Handler executions."),
    ("exec_total", "counter", "Seconds of handler execution, in total."),
    ("exec_max", "gauge", "Longest handler execution, in seconds."),
    ("inline_executions", "counter", "Handler executions on the event-loop thread (inline lane)."),
)
_STATIC_FIELDS = (
    ("hits_total", "counter", "Static files answered from the cache."),
    ("misses_total", "counter", "Cacheable static files read from disk."),
    ("evictions_total", "counter", "Entries evicted to respect the byte bound."),
    ("hit_bytes_total", "counter", "Bytes answered from the cache."),
    ("bytes", "gauge", "Bytes held by the cache."),
    ("entries", "gauge", "Files held by the cache."),
)


def _status_lines(worker: str | None, snap: Snapshot) -> list[str]:
    return [f"requests_total{_labels(worker, status=k)} {v}" for k, v in sorted(snap["requests"].items())]


def _static_line(key: str) -> Callable[[str | None, Snapshot], list[str]]:
    def line(worker: str | None, snap: Snapshot) -> list[str]:
        value = (snap["static"] or {}).get(key.removesuffix("_total"), 0)
        return [f"static_cache_{key}{_labels(worker)} {value}"]

    return line


def _pool_name(key: str) -> str:
    renamed = {
        "exhausted": "exhausted_total",
        "acquisitions": "acquisitions_total",
        "wait_total": "wait_seconds_total",
        "wait_max": "wait_seconds_max",
        "executions": "executions_total",
        "exec_total": "exec_seconds_total",
        "exec_max": "exec_seconds_max",
        "inline_executions": "inline_executions_total",
    }
    return "pool_" + renamed.get(key, key)


def _num(value: float) -> str:
    return repr(float(value)) if isinstance(value, float) else str(value)


def _histogram_lines(name: str, worker: str | None, snap: Snapshot, buckets: tuple[float, ...]) -> list[str]:
    lines, running = [], 0
    for bound, count in zip((*buckets, float("inf")), snap["buckets"], strict=True):
        running += count
        le = "+Inf" if bound == float("inf") else repr(bound)
        lines.append(f"{name}_bucket{_labels(worker, le=le)} {running}")
    lines.append(f"{name}_sum{_labels(worker)} {_num(float(snap['duration_sum']))}")
    lines.append(f"{name}_count{_labels(worker)} {running}")
    return lines


_EMPTY_STATE: Snapshot = {"calls": 0, "errors": 0, "buckets": [0] * 13, "duration_sum": 0.0}


def _sum(snapshots: list[Snapshot]) -> Snapshot:
    total: Snapshot = {
        "requests": {},
        "buckets": [0] * (len(BUCKETS) + 1),
        "duration_sum": 0.0,
        "pool": {},
        "static": None,
    }
    for snap in snapshots:
        for status, count in snap["requests"].items():
            total["requests"][status] = total["requests"].get(status, 0) + count
        total["buckets"] = [a + b for a, b in zip(total["buckets"], snap["buckets"], strict=True)]
        total["duration_sum"] += snap["duration_sum"]
        for key, value in snap["pool"].items():
            combine = max if key.endswith("_max") else (lambda a, b: a + b)
            total["pool"][key] = combine(total["pool"].get(key, 0), value)
        if snap["static"] is not None:
            base = total["static"] or {}
            total["static"] = {k: base.get(k, 0) + v for k, v in snap["static"].items()}
        if snap.get("state") is not None:
            total["state"] = _add_state(total.get("state"), snap["state"])
    return total


def _add_state(base: Snapshot | None, more: Snapshot) -> Snapshot:
    if base is None:
        return dict(more)
    return {
        "calls": base["calls"] + more["calls"],
        "errors": base["errors"] + more["errors"],
        "duration_sum": base["duration_sum"] + more["duration_sum"],
        "buckets": [a + b for a, b in zip(base["buckets"], more["buckets"], strict=True)],
    }
