"""Instructions executed from spawn to the first 200 (callgrind), for a start path's code.

    .venv/bin/python bench/coldstart_instructions.py [--before DIR] [-- SERVE ARGS...]

Wall time of a cold start moves by ±50 % on this shared 2-core VM; instruction counts do not.
Starts `zigttp serve -q -w 1 -n 1 zigttp/bench/assets/handlers/bench.tsx` (the installed script)
under callgrind,
polls `/api/health` until it answers 200, then has callgrind dump its counters at that moment
(`callgrind_control --dump`) and stops the server. `-w 1`: a supervisor and its one worker. A
forked child starts from its parent's counters, so the worker's count is the start's whole
critical path (the supervisor up to the fork, then the worker); callgrind_control cannot reach
a forked child, so that count is taken at its exit after SIGTERM (it includes the drain, in
every tree alike; the fast start is held so that it imports nothing more meanwhile). `-n 1`:
one runtime, so no pool warms up after the answer (the other runtimes of a default pool are
built after the first answer and are not part of the start; with them the counts would depend
on how far the warm-up got before the exit).

Since session 8 the supervisor answers a cold start's first request itself and forks the
worker after it (README, "The first answer"), except for a pool of one runtime: so with
`-- serve -q -w 1 -n 2 HANDLER` the supervisor's count at the first 200 is the critical path
(it includes the answer, and the fork when it came before the dump), and the worker's is what
it ran after the fork. `--before DIR` measures another checkout too (see
coldstart_compare.py); `--artifact APP.pyz` measures `python APP.pyz -q -w 1 -n 1` (a `zigttp
build` of the handler) instead.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HELD = {"ZIGTTP_FAST_START_HOLD": "/nonexistent"}  # the fast start imports nothing after its answer
HANDLER = str(ROOT / "zigttp" / "bench" / "assets" / "handlers" / "bench.tsx")


def instructions(extra: dict[str, str], args: list[str]) -> tuple[int, int]:
    """(the supervisor's count at the first 200, the worker's at its exit)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | HELD | extra
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        process = subprocess.Popen(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={out}.%p",
                sys.executable,
                *args,
                "-p",
                str(port),
            ],
            cwd=extra.get("PYTHONPATH", ROOT),  # (the cwd comes first on sys.path: -m, -c)
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_200(port)
            workers = _children(process.pid)
            subprocess.run(["callgrind_control", "--dump", str(process.pid)], capture_output=True, check=True)
            supervisor = _dumped(Path(tmp), process.pid)
            # callgrind_control cannot reach a forked child: its dump is written when it exits,
            # so SIGTERM drains it (the fast start held: nothing more is imported meanwhile)
            process.send_signal(signal.SIGTERM)
            worker = sum(_dumped(Path(tmp), pid) for pid in workers)
        finally:
            for pid in _children(process.pid):
                os.kill(pid, signal.SIGKILL)
            process.send_signal(signal.SIGKILL)
            process.wait()
    return supervisor, worker


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(child) for child in out.split()]


def _dumped(folder: Path, pid: int, timeout: float = 60.0) -> int:
    """The instructions in `pid`'s dump once callgrind has written it (it ends with the totals);
    a forked worker's dump counts what it ran after the fork."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for dump in folder.glob(f"callgrind.out.{pid}*"):
            match = re.search(r"^totals: (\d+)", dump.read_text(errors="replace"), re.M)
            if match:
                return int(match.group(1))
        time.sleep(0.1)
    raise TimeoutError(f"callgrind wrote no dump for {pid}: {sorted(p.name for p in folder.iterdir())}")


def _wait_200(port: int, timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=60) as client:
                client.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
                if client.recv(64).startswith(b"HTTP/1.1 200"):
                    return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError("no 200 from the server under callgrind")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before")
    parser.add_argument("--artifact", help="measure `python APP.pyz -q -w 1 -n 1` instead")
    parser.add_argument("serve", nargs="*", default=["serve", "-q", "-w", "1", "-n", "1", HANDLER])
    args = parser.parse_args()
    script = Path(sys.executable).with_name("zigttp")  # what a user runs (no runpy: -m adds ~5 M)
    serve = [str(script), *args.serve] if script.exists() else ["-m", "zigttp", *args.serve]
    command = [args.artifact, "-q", "-w", "1", "-n", "1"] if args.artifact else serve
    variants = {"this tree": {}}
    if args.before:
        variants["before"] = {"PYTHONPATH": args.before}
    for name, extra in variants.items():
        supervisor, worker = instructions(extra, command)
        print(
            f"{name:10} spawn → first 200: {worker / 1e6:,.1f} M instructions in the worker at its exit, "
            f"{supervisor / 1e6:,.1f} M in the supervisor at the first 200"
        )


if __name__ == "__main__":
    main()
