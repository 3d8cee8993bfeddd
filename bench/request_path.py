"""Per-request cost of the inline lane, split into Python, JS and kernel.

    .venv/bin/python bench/request_path.py [--requests 20000] [--server SECONDS] [--callgrind]

In-process part (stable, no sockets): the real `HttpConnection`, `RequestReader`,
`Dispatcher` and inline runtime of the event-loop backend, fed one request per loop
iteration's flush the way uvloop feeds them (`data_received`, then the batch flush), with a
transport that only keeps the written bytes. "total" is that whole path; "JS" is the same
request's `JsRuntime.dispatch` alone (the engine, the prelude's glue and the C marshalling);
"Python" is the difference. Run it under `valgrind --tool=callgrind` (`--callgrind`) for
instruction counts that the machine's load does not move: the whole path per request from
two runs of different lengths (the difference cancels the start-up), the JS side alone as the
instructions inside the extension's `dispatch` and `settle_leftovers` (`--toggle-collect`).
Endpoints: the HTTP bench's handler (health, greet, echo) and a Workers-style `{ fetch }`
handler (`bench/handlers/workers.ts`: a URL, request headers, a JSON body, response headers).

`--server S`: one `zigttp serve -w 1 -q` process under `wrk -c50` for S seconds; the process's
user and system CPU time (/proc/PID/stat, the supervisor and its worker) divided by the
requests served gives user (Python + JS) and kernel µs per request on real sockets.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from zigttp.config import ServerConfig
from zigttp.log import ServerLog
from zigttp.runtime.lanes import PROBATION
from zigttp.server.connection import HttpConnection
from zigttp.server.dispatch import Dispatcher
from zigttp.server.lifecycle import Server
from zigttp.server.loop_backend import LoopServer, new_event_loop

ROOT = Path(__file__).resolve().parent.parent
HANDLER = str(ROOT / "zigttp" / "bench" / "assets" / "handlers" / "bench.tsx")
WORKERS = str(ROOT / "bench" / "handlers" / "workers.ts")
AGENT = b"user-agent: Mozilla/5.0 (X11; Linux x86_64) bench\r\naccept: */*\r\n"
ENDPOINTS: dict[str, tuple[str, bytes]] = {
    "health": (HANDLER, b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n"),
    "greet": (HANDLER, b"GET /api/greet/world HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n"),
    "echo": (
        HANDLER,
        b"POST /api/echo HTTP/1.1\r\nHost: 127.0.0.1:8080\r\ncontent-type: application/json\r\n"
        b'content-length: 26\r\n\r\n{"name":"bench","n":[1,2]}',
    ),
    "w-user": (
        WORKERS,
        b"GET /api/users/42?fields=name,email HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
        + AGENT
        + b"authorization: Bearer abc.def\r\n\r\n",
    ),
    "w-item": (
        WORKERS,
        b"POST /api/items HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
        + AGENT
        + b'content-type: application/json\r\ncontent-length: 30\r\n\r\n{"name":"widget","tags":[1,2]}',
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


def _server_parts(handler: str) -> tuple[LoopServer, Dispatcher]:
    config = ServerConfig(quiet=True, pool_size=2)
    server = Server(handler, config, log=ServerLog(access=False))
    dispatcher, sock, pool = server._prepare(None)
    sock.close()
    pool.lanes.proven = PROBATION  # past probation: the inline lane, as under sustained load
    pool.inline_allowed("/")  # (which builds the loop thread's runtime, as a request then does)
    pool.lanes.demote = lambda url: None  # type: ignore[method-assign]  # a preempted run (this
    # machine is shared) must not move the path to the threads mid-measurement
    loop = new_event_loop()  # uvloop, as served
    return LoopServer(config, dispatcher, loop), dispatcher


def _runners(name: str) -> tuple[Callable[[], None], Callable[[], None]]:
    """(the whole in-process path, the JS side alone) for one request of endpoint `name`."""
    handler, raw = ENDPOINTS[name]
    server, dispatcher = _server_parts(handler)
    connection = HttpConnection(server)
    connection.connection_made(KeepTransport())
    runtime = dispatcher.pool.inline.runtime  # type: ignore[union-attr]
    runtime.timeout = 60.0  # not the inline bound: under valgrind a first request that loads
    # a web API file (URL) takes longer than 0.1 s

    def one() -> None:
        connection.data_received(raw)
        server._flush()

    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    method, target, _ = lines[0].split(" ")
    wire = "\0".join(
        part
        for line in lines[1:]
        for part in (line.partition(":")[0].lower(), line.partition(":")[2].strip())
    )

    def js() -> None:
        runtime.dispatch(method, target, wire, body or None, "http://127.0.0.1:8080")
        runtime.settle_leftovers()

    return one, js


def in_process(requests: int, names: list[str]) -> dict[str, dict[str, float]]:
    out = {}
    for name in names:
        one, js = _runners(name)
        total = _best(one, requests)
        engine = _best(js, requests)
        out[name] = {"total_us": total, "js_us": engine, "python_us": total - engine}
    return out


def fixed(name: str, mode: str, requests: int) -> None:
    """`requests` runs of one endpoint's path (callgrind counts them; see `callgrind`)."""
    one, js = _runners(name)
    run = js if mode == "js" else one
    run()  # the first run's one-time work (the lane, caches) is not a request's
    for _ in range(requests):
        run()


def callgrind(requests: int, names: list[str]) -> dict[str, dict[str, float]]:
    """Instructions per request of each endpoint: the whole path (two runs of different
    lengths, the difference cancels the start-up) and the JS side (only the instructions
    inside the extension's dispatch and settle_leftovers are collected)."""
    out = {}
    for name in names:
        # once outside valgrind first: a new build of the engine compiles (and caches) the
        # bytecode in its first process, which the two runs below must not count
        subprocess.run(
            [sys.executable, __file__, "--fixed", "total", "--endpoint", name, "--requests", "1"], check=True
        )
        runs = [_instructions(name, "total", n) for n in (requests, 2 * requests)]
        total = (runs[1] - runs[0]) / requests
        js = _instructions(name, "js", requests, "runtime_dispatch", "runtime_settle_leftovers") / (
            requests + 1
        )
        out[name] = {"total_instr": total, "js_instr": js, "python_instr": total - js}
    return out


def _instructions(name: str, mode: str, requests: int, *only: str) -> int:
    toggles = ["--collect-atstart=no", *(f"--toggle-collect={fn}" for fn in only)] if only else []
    out = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            *toggles,
            sys.executable,
            __file__,
            "--fixed",
            mode,
            "--endpoint",
            name,
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
    """utime and stime of `pid` and its descendants: `serve -w 1` runs its worker in a child
    (the supervisor's own CPU alone was ~0 per request)."""
    user = system = 0
    for each in _tree(pid):
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rpartition(")")[2].split()
        except OSError:  # (gone meanwhile)
            continue
        user += int(fields[11])
        system += int(fields[12])
    return user, system


def _tree(pid: int) -> list[int]:
    found = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            found.extend(_tree(int(child)))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=0, help="20000 in-process, 1000 under callgrind")
    parser.add_argument("--server", type=int, default=0, metavar="SECONDS")
    parser.add_argument("--callgrind", action="store_true", help="instruction counts (valgrind)")
    parser.add_argument("--endpoint", action="append", choices=list(ENDPOINTS), help="default: all")
    parser.add_argument("--fixed", choices=("total", "js"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    names = args.endpoint or list(ENDPOINTS)
    if args.fixed:
        fixed(names[0], args.fixed, args.requests)
        return
    if args.callgrind:
        for name, row in callgrind(args.requests or 1000, names).items():
            print(
                f"{name:7} instructions per request: total {row['total_instr']:9,.0f}  JS "
                f"{row['js_instr']:8,.0f}  Python {row['python_instr']:8,.0f}"
            )
        return
    for name, row in in_process(args.requests or 20000, names).items():
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
