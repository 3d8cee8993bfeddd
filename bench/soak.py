"""Bounded soak: saturate a real `zigttp serve` with good requests, handler faults and clients
that disconnect mid-response; report errors, file descriptors, RSS and their slopes.

    .venv/bin/python bench/soak.py                 # 5 minutes (the default), 2 workers
    .venv/bin/python bench/soak.py --seconds 30 --json

Pass/fail (exit 1 on any): zero non-200 answers to good requests; every worker that started is
alive at the end (same pids: none died and was restarted); after warm-up the server's fd count
grows by at most --max-fd-growth and its RSS slope stays under --max-rss-slope MB/min.
Targets 127.0.0.1 only; client threads and duration are bounded by the flags.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HANDLER = r"""
function depth(n) { return n === 0 ? 0 : 1 + depth(n - 1); }
const BIG = "z".repeat(512 * 1024);
async function handler(req) {
  switch (req.path) {
    case "/ok": return Response.json({ok: true, q: req.query.i});
    case "/echo": return Response.text(await req.text());
    case "/big": return Response.text(BIG);
    case "/throw": throw new Error("soak fault");
    case "/recurse": return Response.json({d: depth(1e7)});
    case "/oom": { const hog = []; for (;;) hog.push("x".repeat(8192) + hog.length); }
    case "/loop": for (;;) {}
  }
  return Response.text("not found", {status: 404});
}
"""
FAULTS = ["/throw", "/recurse", "/oom", "/loop"]
BANNER = re.compile(r"Listening on http://(\S+?):(\d+)")


@dataclass
class Tally:
    good: int = 0
    good_failed: int = 0  # non-200 answers or errors on good requests
    faults: int = 0
    fault_statuses: dict[int, int] = field(default_factory=dict)
    disconnects: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, name: str, value: int = 1) -> None:
        with self.lock:
            setattr(self, name, getattr(self, name) + value)


def start_server(workers: int, pool: int, timeout: float) -> tuple[subprocess.Popen[str], int]:
    path = Path(tempfile.mkdtemp(prefix="zigttp-soak-")) / "soak.js"
    path.write_text(HANDLER)
    command = [
        sys.executable,
        "-m",
        "zigttp",
        "serve",
        str(path),
        "--port",
        "0",
        "-q",
        "-n",
        str(pool),
        "-m",
        "32m",
        "--timeout",
        str(timeout),
        "--workers",
        str(workers),
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    for line in process.stdout:
        match = BANNER.search(line)
        if match:
            threading.Thread(target=_drain, args=(process,), daemon=True).start()
            return process, int(match.group(2))
    raise SystemExit(f"server did not start: {process.stderr.read() if process.stderr else ''}")


def _drain(process: subprocess.Popen[str]) -> None:
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            threading.Thread(target=lambda s=stream: [None for _ in s], daemon=True).start()


def process_tree(root: int) -> list[int]:
    """`root` and its descendants, from /proc (Linux)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            parents.setdefault(ppid, []).append(int(entry))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(parents.get(pid, []))
    return tree


def sample(root: int) -> tuple[int, float]:
    """(open fds, RSS in MB) summed over the server's process tree."""
    fds, rss_kb = 0, 0
    for pid in process_tree(root):
        try:
            fds += len(os.listdir(f"/proc/{pid}/fd"))
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss_kb += int(line.split()[1])
        except OSError:
            continue
    return fds, rss_kb / 1024


def slope_per_minute(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, value) points, per minute."""
    if len(points) < 2:
        return 0.0
    n = len(points)
    mean_t = sum(t for t, _ in points) / n
    mean_v = sum(v for _, v in points) / n
    var = sum((t - mean_t) ** 2 for t, _ in points)
    cov = sum((t - mean_t) * (v - mean_v) for t, v in points)
    return cov / var * 60 if var else 0.0


def client(port: int, stop: threading.Event, tally: Tally, fault_ratio: float, seed: int) -> None:
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while not stop.is_set():
        roll = rng.random()
        if roll < fault_ratio:
            _fault(port, rng.choice(FAULTS), tally)
        elif roll < fault_ratio * 2:
            _disconnect(port, rng, tally)
        else:
            conn = _good(conn, port, rng, tally)
    conn.close()


def _good(
    conn: http.client.HTTPConnection, port: int, rng: random.Random, tally: Tally
) -> http.client.HTTPConnection:
    body = "b" * rng.randint(0, 4096)
    try:
        if body:
            conn.request("POST", "/echo", body=body)
        else:
            conn.request("GET", f"/ok?i={rng.randint(0, 1 << 30)}")
        response = conn.getresponse()
        data = response.read()
        ok = response.status == 200 and (not body or data == body.encode())
    except (OSError, http.client.HTTPException):
        ok = False
        conn.close()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    tally.add("good")
    if not ok:
        tally.add("good_failed")
    return conn


def _fault(port: int, path: str, tally: Tally) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path)
        status = conn.getresponse().status
    except (OSError, http.client.HTTPException):
        status = 0
    finally:
        conn.close()
    with tally.lock:
        tally.faults += 1
        tally.fault_statuses[status] = tally.fault_statuses.get(status, 0) + 1


def _disconnect(port: int, rng: random.Random, tally: Tally) -> None:
    """Ask for a 512 KiB body and hang up after a few bytes (or before any)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(b"GET /big HTTP/1.1\r\nHost: soak\r\n\r\n")
            if rng.random() < 0.5:
                sock.recv(rng.randint(1, 4096))
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    except OSError:
        pass
    tally.add("disconnects")


def run(
    seconds: float, clients: int, workers: int, pool: int, fault_ratio: float, warmup: float
) -> dict[str, object]:
    process, port = start_server(workers, pool, timeout=0.3)
    try:
        time.sleep(0.5)
        worker_pids = set(process_tree(process.pid)) - {process.pid}
        stop, tally = threading.Event(), Tally()
        threads = [
            threading.Thread(target=client, args=(port, stop, tally, fault_ratio, seed), daemon=True)
            for seed in range(clients)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        samples: list[tuple[float, int, float]] = []
        while (elapsed := time.monotonic() - started) < seconds:
            fds, rss = sample(process.pid)
            samples.append((elapsed, fds, rss))
            time.sleep(min(1.0, max(0.05, seconds / 60)))
        stop.set()
        for thread in threads:
            thread.join(90)
        duration = time.monotonic() - started
        alive = set(process_tree(process.pid)) - {process.pid}
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            exit_code = process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            exit_code = -9
    steady = [s for s in samples if s[0] >= warmup * seconds] or samples
    return {
        "seconds": round(duration, 1),
        "clients": clients,
        "workers": workers,
        "pool": pool,
        "good_requests": tally.good,
        "good_failed": tally.good_failed,
        "good_per_second": round(tally.good / duration, 1),
        "fault_requests": tally.faults,
        "fault_statuses": tally.fault_statuses,
        "disconnects": tally.disconnects,
        "fd_first": steady[0][1],
        "fd_last": steady[-1][1],
        "fd_max": max(s[1] for s in steady),
        "fd_slope_per_min": round(slope_per_minute([(t, f) for t, f, _ in steady]), 2),
        "rss_mb_first": round(steady[0][2], 1),
        "rss_mb_last": round(steady[-1][2], 1),
        "rss_slope_mb_per_min": round(slope_per_minute([(t, r) for t, _, r in steady]), 2),
        "workers_started": sorted(worker_pids),
        "workers_alive_at_end": sorted(alive),
        "server_exit_code": exit_code,
    }


def verdict(result: dict[str, object], max_fd_growth: int, max_rss_slope: float) -> list[str]:
    problems = []
    if result["good_failed"]:
        problems.append(f"{result['good_failed']} good requests failed")
    if result["workers_started"] != result["workers_alive_at_end"]:
        problems.append("a worker died (pids changed)")
    if int(result["fd_last"]) - int(result["fd_first"]) > max_fd_growth:  # type: ignore[call-overload]
        problems.append(f"fd count grew from {result['fd_first']} to {result['fd_last']}")
    if float(result["rss_slope_mb_per_min"]) > max_rss_slope:  # type: ignore[arg-type]
        problems.append(f"RSS grows {result['rss_slope_mb_per_min']} MB/min")
    if result["server_exit_code"] != 0:
        problems.append(f"server exit code {result['server_exit_code']} after SIGTERM")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pool", type=int, default=4)
    parser.add_argument(
        "--fault-ratio",
        type=float,
        default=0.02,
        help="share of requests that are handler faults (and as many disconnects)",
    )
    parser.add_argument("--warmup", type=float, default=0.2, help="share of the run excluded from slopes")
    parser.add_argument("--max-fd-growth", type=int, default=32)
    parser.add_argument("--max-rss-slope", type=float, default=20.0, help="MB per minute")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    result = run(args.seconds, args.clients, args.workers, args.pool, args.fault_ratio, args.warmup)
    problems = verdict(result, args.max_fd_growth, args.max_rss_slope)
    result["problems"] = problems
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:24} {value}")
        print("PASS" if not problems else "FAIL: " + "; ".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
