"""HTTP throughput: our server (each backend, 1 and 2 workers) and the peers, one load generator.

wrk (Debian package) drives every server with the same connections and duration; on machines
with 4+ cores wrk and the server are pinned to separate cores with taskset.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request

from zigttp.bench import peers
from zigttp.config import default_workers

HANDLER = str(peers.ASSETS / "handlers" / "bench.tsx")
ENDPOINTS = {"health": "/api/health", "echo": "/api/echo", "greet": "/api/greet/world", "page": "/page"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(url: str, timeout: float = 30.0, process: subprocess.Popen[bytes] | None = None) -> None:
    """Poll until `url` answers 200; fail early if `process` (the server) has exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            if process is not None and process.poll() is not None:
                raise RuntimeError(f"server exited with {process.returncode}") from None
            time.sleep(0.003)
    raise RuntimeError(f"{url} never answered 200")


def contenders(port: int, quick: bool) -> dict[str, list[str]]:
    """Our server with one worker and with the default (one per core), then the peers."""
    default = default_workers()
    servers = {"zigttp loop w1": peers.zigttp_serve(HANDLER, port, "--workers", "1")}
    if default > 1:
        servers[f"zigttp loop w{default} (default)"] = peers.zigttp_serve(HANDLER, port)
    if not quick:
        servers["zigttp threads w1"] = peers.zigttp_serve(
            HANDLER, port, "--backend", "threads", "--workers", "1"
        )
        if default > 1:
            servers[f"zigttp threads w{default}"] = peers.zigttp_serve(HANDLER, port, "--backend", "threads")
    for peer, executable in peers.available().items():
        servers[peer] = peers.server_command(peer, executable, port)
    return servers


def _pinning() -> tuple[list[str], list[str]]:
    cores = os.cpu_count() or 1
    if cores < 4 or not shutil.which("taskset"):
        return [], []
    return ["taskset", "-c", f"0-{cores - 2}"], ["taskset", "-c", str(cores - 1)]


def wrk(url: str, seconds: float, connections: int, pin: list[str], post: bool) -> dict[str, float]:
    command = [
        *pin,
        "wrk",
        "-t",
        "1",
        "-c",
        str(connections),
        "-d",
        f"{max(1, round(seconds))}s",
        "--latency",
        url,
    ]
    if post:
        command[len(pin) + 1 : len(pin) + 1] = ["-s", str(peers.ASSETS / "wrk" / "post.lua")]
    out = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    failed = int(errors.group(1)) if errors else 0
    if socket_errors:
        failed += sum(int(g) for g in socket_errors.groups())
    return {"rps": rps, "p50_ms": _latency(out, "50"), "p99_ms": _latency(out, "99"), "errors": failed}


def _latency(out: str, percentile: str) -> float:
    match = re.search(rf"{percentile}%\s+([\d.]+)(us|ms|s)\b", out)
    if not match:
        return float("nan")
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def run(quick: bool = False, seconds: float = 10, connections: int = 50) -> list[dict[str, object]]:
    if not shutil.which("wrk"):
        raise RuntimeError("wrk not found: run bench/install-peers.sh (Debian package wrk)")
    duration = 1 if quick else seconds
    server_pin, load_pin = _pinning()
    rows: list[dict[str, object]] = []
    port = free_port()
    for name, command in contenders(port, quick).items():
        process = subprocess.Popen(
            [*server_pin, *command],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=peers.ASSETS,
            env=peers.server_env(),
        )
        try:
            wait_ready(f"http://127.0.0.1:{port}/api/health")
            for endpoint, path in ENDPOINTS.items():
                url = f"http://127.0.0.1:{port}{path}"
                post = endpoint == "echo"
                wrk(url, 1, connections, load_pin, post)  # warm-up (and the inline lane's probation)
                rows.append(
                    {"server": name, "endpoint": endpoint, **wrk(url, duration, connections, load_pin, post)}
                )
        finally:
            stop(process)
    return rows


def stop(process: subprocess.Popen[bytes]) -> None:
    """A server under test: SIGTERM (it drains), SIGKILL after 10 s."""
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
