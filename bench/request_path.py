"""Per-request cost of the inline lane, split into Python, JS and kernel.

    .venv/bin/python bench/request_path.py [--requests 20000] [--server SECONDS]

In-process part (stable, no sockets): the real `HttpConnection`, `RequestReader`,
`Dispatcher` and inline runtime of the event-loop backend, fed one request per loop
iteration's flush the way uvloop feeds them (`data_received`, then the batch flush), with a
transport that only keeps the written bytes. "total" is that whole path; "JS" is the same
request's `JsRuntime.dispatch` alone (the engine, the prelude's glue and the C marshalling);
"Python" is the difference. Run it under `valgrind --tool=callgrind` (`--callgrind`) for
instruction counts that the machine's load does not move.

`--server S`: one `zigttp serve -w 1 -q` process under `wrk -c50` for S seconds; the process's
user and system CPU time (/proc/PID/stat) divided by the requests served gives user (Python +
JS) and kernel µs per request on real sockets.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from zigttp.config import ServerConfig
from zigttp.log import ServerLog
from zigttp.runtime.lanes import PROBATION
from zigttp.server.connection import HttpConnection
from zigttp.server.dispatch import Dispatcher
from zigttp.server.lifecycle import Server
from zigttp.server.loop_backend import LoopServer, new_event_loop

ROOT = Path(__file__).resolve().parent.parent
HANDLER = str(ROOT / "bench" / "handlers" / "bench.tsx")
REQUESTS = {
    "health": b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n",
    "greet": b"GET /api/greet/world HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n",
    "echo": (
        b"POST /api/echo HTTP/1.1\r\nHost: 127.0.0.1:8080\r\ncontent-type: application/json\r\n"
        b'content-length: 26\r\n\r\n{"name":"bench","n":[1,2]}'
    ),
}


class KeepTransport(asyncio.Transport):
    """Counts what the connection writes; never closes (the request path only)."""

    def __init__(self) -> None:
        super().__init__()
        self.written = 0

    def write(self, data: bytes) -> None:  # type: ignore[override]
        self.written += len(data)

    def writelines(self, chunks: object) -> None:  # type: ignore[override]
        for chunk in chunks:  # type: ignore[attr-defined]
            self.written += len(chunk)

    def is_closing(self) -> bool:
        return False

    def get_write_buffer_size(self) -> int:
        return 0


def _server_parts() -> tuple[LoopServer, Dispatcher]:
    config = ServerConfig(quiet=True, pool_size=2)
    server = Server(HANDLER, config, log=ServerLog(access=False))
    dispatcher, sock, pool = server._prepare(None)
    sock.close()
    pool.lanes.proven = PROBATION  # past probation: the inline lane, as under sustained load
    pool.lanes.demote = lambda url: None  # type: ignore[method-assign]  # a preempted run (this
    # machine is shared) must not move the path to the threads mid-measurement
    loop = new_event_loop()  # uvloop, as served
    return LoopServer(config, dispatcher, loop), dispatcher


def in_process(requests: int, fixed: str = "") -> dict[str, dict[str, float]]:
    server, dispatcher = _server_parts()
    connection = HttpConnection(server)
    transport = KeepTransport()
    connection.connection_made(transport)
    runtime = dispatcher.pool.inline.runtime  # type: ignore[union-attr]
    out = {}
    for name, raw in REQUESTS.items():
        if fixed and name != "health":
            continue

        def one(raw: bytes = raw) -> None:
            connection.data_received(raw)
            server._flush()

        head, _, body = raw.partition(b"\r\n\r\n")
        target = head.split(b" ")[1].decode()
        method = head.split(b" ")[0].decode()
        wire = "host\0127.0.0.1:8080" + (
            "\0content-type\0application/json\0content-length\026" if body else ""
        )

        def js(
            method: str = method, target: str = target, wire: str = wire, body: bytes | None = body or None
        ) -> None:
            runtime.dispatch(method, target, wire, body)
            runtime.settle_leftovers()

        if fixed:  # one fixed run, for instruction counts (see `callgrind`)
            for _ in range(requests):
                (js if fixed == "js" else one)()
            return {}
        total = _best(one, requests)
        engine = _best(js, requests)
        out[name] = {"total_us": total, "js_us": engine, "python_us": total - engine}
    return out


def callgrind(requests: int) -> dict[str, float]:
    """Instructions per request (total path and JS alone) of /api/health, from two runs of
    different lengths under callgrind each (the difference cancels the start-up)."""
    counts = {}
    for mode in ("total", "js"):
        runs = [_instructions(mode, n) for n in (requests, 2 * requests)]
        counts[mode] = (runs[1] - runs[0]) / requests
    return {
        "total_instr": counts["total"],
        "js_instr": counts["js"],
        "python_instr": counts["total"] - counts["js"],
    }


def _instructions(mode: str, requests: int) -> int:
    out = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            __file__,
            "--fixed",
            mode,
            "--requests",
            str(requests),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    return int(re.search(r"Collected : (\d+)", out).group(1))  # type: ignore[union-attr]


def _best(fn: object, count: int, rounds: int = 5) -> float:
    for _ in range(min(count, 500)):
        fn()  # type: ignore[operator]
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(count):
            fn()  # type: ignore[operator]
        best = min(best, (time.perf_counter() - started) / count * 1e6)
    return best


def on_server(seconds: int, endpoint: str = "/api/health") -> dict[str, float]:
    """User and kernel CPU µs per request of one real server process under wrk."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "zigttp", "serve", "-q", "-w", "1", HANDLER, "-p", str(port)],
        stdout=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}{endpoint}"
    try:
        time.sleep(1.0)
        subprocess.run(["wrk", "-t1", "-c50", "-d2s", url], capture_output=True, check=True)
        before = _cpu_ticks(process.pid)
        out = subprocess.run(
            ["wrk", "-t1", "-c50", f"-d{seconds}s", url], capture_output=True, text=True, check=True
        ).stdout
        after = _cpu_ticks(process.pid)
    finally:
        process.terminate()
        process.wait(10)
    served = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    tick = 1e6 / os.sysconf("SC_CLK_TCK")
    return {
        "rps": served / seconds,
        "user_us": (after[0] - before[0]) * tick / served,
        "kernel_us": (after[1] - before[1]) * tick / served,
    }


def _cpu_ticks(pid: int) -> tuple[int, int]:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return int(fields[11]), int(fields[12])  # utime, stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--server", type=int, default=0, metavar="SECONDS")
    parser.add_argument("--callgrind", action="store_true", help="instruction counts (valgrind)")
    parser.add_argument("--fixed", choices=("total", "js"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fixed:
        in_process(args.requests, args.fixed)
        return
    if args.callgrind:
        row = callgrind(args.requests)
        print(
            f"health instructions per request: total {row['total_instr']:,.0f}, JS "
            f"{row['js_instr']:,.0f}, Python {row['python_instr']:,.0f}"
        )
        return
    for name, row in in_process(args.requests).items():
        print(
            f"{name:7} total {row['total_us']:6.2f} µs  JS {row['js_us']:6.2f} µs  "
            f"Python {row['python_us']:6.2f} µs"
        )
    if args.server:
        row = on_server(args.server)
        print(
            f"server /api/health: {row['rps']:,.0f} rps, user {row['user_us']:.1f} µs, "
            f"kernel {row['kernel_us']:.1f} µs per request"
        )


if __name__ == "__main__":
    main()
