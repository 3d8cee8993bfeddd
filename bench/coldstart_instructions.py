"""Instructions executed from spawn to the first 200 (callgrind), for a start path's code.

    .venv/bin/python bench/coldstart_instructions.py [--before DIR] [-- SERVE ARGS...]

Wall time of a cold start moves by ±50 % on this shared 2-core VM; instruction counts do not.
Starts `zigttp serve -q -w 1 bench/handlers/bench.tsx` under `valgrind --tool=callgrind`,
polls `/api/health` until it answers 200, then has callgrind dump its counters at that moment
(`callgrind_control --dump`) and stops the server. One process (`-w 1`): callgrind follows
no fork. `--before DIR` measures another checkout too (see coldstart_compare.py).
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
HANDLER = str(ROOT / "bench" / "handlers" / "bench.tsx")


def instructions(extra: dict[str, str], args: list[str]) -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | extra
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        process = subprocess.Popen(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={out}.%p",
                sys.executable,
                "-m",
                "zigttp",
                *args,
                "-p",
                str(port),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_200(port)
            subprocess.run(["callgrind_control", "--dump", str(process.pid)], capture_output=True, check=True)
            text = _dumped(Path(tmp))
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait()
    return int(re.search(r"^totals: (\d+)", text, re.M).group(1))  # type: ignore[union-attr]


def _dumped(folder: Path, timeout: float = 60.0) -> str:
    """The dump's text once callgrind has finished writing it (it ends with the totals)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for dump in folder.glob("callgrind.out.*"):
            text = dump.read_text(errors="replace")
            if re.search(r"^totals: ", text, re.M):
                return text
        time.sleep(0.1)
    raise TimeoutError("callgrind wrote no dump")


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
    parser.add_argument("serve", nargs="*", default=["serve", "-q", "-w", "1", HANDLER])
    args = parser.parse_args()
    variants = {"this tree": {}}
    if args.before:
        variants["before"] = {"PYTHONPATH": args.before}
    for name, extra in variants.items():
        count = instructions(extra, args.serve)
        print(f"{name:10} spawn → first 200: {count / 1e6:,.1f} M instructions")


if __name__ == "__main__":
    main()
