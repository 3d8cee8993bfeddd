"""HTTP throughput and cold start: zigttp vs Node on the same handler, same load generator.

    .venv/bin/python bench/http_throughput.py [--duration 10] [--connections 50]

Starts `zigttp serve examples/hello.js` (with --workers 1 and 2) and `node bench/peers/node_server.js`,
drives each with `wrk` (Debian package `wrk`; see bench/install-peers.sh), and prints RPS,
p50/p99 latency and the ratio to Node, then cold start (spawn → first 200, median of 20) and
RSS after warm-up. Figures, not assertions: nothing here fails a build.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ZIGTTP = [sys.executable, "-m", "zigttp", "serve", "-q"]
HANDLER = str(ROOT / "examples" / "hello.js")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(url: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.005)
    raise RuntimeError(f"{url} never answered 200")


def rss_kb(pid: int) -> int:
    total = 0
    pids = [pid, *_children(pid)]
    for one in pids:
        try:
            for line in Path(f"/proc/{one}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def wrk(url: str, duration: int, connections: int, threads: int = 1) -> dict[str, float]:
    result = subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", result).group(1))  # type: ignore[union-attr]

    def latency(label: str) -> float:
        match = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", result)
        if not match:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", result)
    return {
        "rps": rps,
        "p50": latency("50"),
        "p99": latency("99"),
        "errors": float(errors.group(1)) if errors else 0.0,
    }


def start(command: list[str], port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    wait_ready(f"http://127.0.0.1:{port}/api/health")
    return process


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()


def contenders(port: int) -> dict[str, list[str]]:
    found = {
        "zigttp w1": [*ZIGTTP, HANDLER, "-p", str(port)],
        "zigttp w2": [*ZIGTTP, HANDLER, "-p", str(port), "--workers", "2"],
    }
    if shutil.which("node"):
        found["node"] = ["node", str(ROOT / "bench" / "peers" / "node_server.js"), str(port)]
    return found


def throughput(args: argparse.Namespace) -> None:
    endpoints = ["/api/health", "/api/greet/world"]
    print(f"HTTP throughput: wrk -c {args.connections} -d {args.duration}s, loopback")
    print(
        f"{'server':12} {'endpoint':18} {'rps':>10} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'x node':>7}"
    )
    results: dict[tuple[str, str], dict[str, float]] = {}
    for name, command in contenders(port := free_port()).items():
        process = start(command, port)
        try:
            for endpoint in endpoints:
                wrk(f"http://127.0.0.1:{port}{endpoint}", 2, args.connections)  # warm-up
                results[(name, endpoint)] = wrk(
                    f"http://127.0.0.1:{port}{endpoint}", args.duration, args.connections
                )
        finally:
            stop(process)
    for (name, endpoint), figures in results.items():
        node = results.get(("node", endpoint))
        ratio = figures["rps"] / node["rps"] if node else float("nan")
        print(
            f"{name:12} {endpoint:18} {figures['rps']:10.0f} {figures['p50']:8.2f} "
            f"{figures['p99']:8.2f} {figures['errors']:7.0f} {ratio:7.2f}"
        )


def cold_start(args: argparse.Namespace) -> None:
    print(f"\nCold start (spawn → first 200), {args.runs} runs after 3 warm-ups; RSS after warm-up")
    for name, command in contenders(port := free_port()).items():
        if "w2" in name:
            continue
        samples = []
        for run in range(args.runs + 3):
            started = time.perf_counter()
            process = subprocess.Popen(
                command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT
            )
            wait_ready(f"http://127.0.0.1:{port}/api/health")
            if run >= 3:
                samples.append((time.perf_counter() - started) * 1000)
            rss = rss_kb(process.pid)
            stop(process)
        print(
            f"{name:12} median {statistics.median(samples):7.1f} ms   "
            f"p95 {sorted(samples)[int(len(samples) * 0.95) - 1]:7.1f} ms   RSS {rss / 1024:6.1f} MB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--skip-throughput", action="store_true")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk not found: run bench/install-peers.sh (Debian package wrk)")
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    if not args.skip_throughput:
        throughput(args)
    cold_start(args)


if __name__ == "__main__":
    main()
