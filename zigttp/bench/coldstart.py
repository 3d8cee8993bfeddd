"""Cold start (spawn → first 200; median and p95 after warm-ups) and memory.

Measures the handler from source, the same handler as a built artifact (when `zigttp build`
exists), and each peer, one start of each in turn (so a host whose speed drifts during the run
moves every row alike, not the rows measured while it was slow); RSS after the last start; and
the RSS cost of one more pooled runtime (RSS with a 64-runtime pool minus RSS with 8, divided by 56).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from zigttp.bench import peers
from zigttp.bench.http import HANDLER, free_port, wait_ready


def rss_kb(pid: int) -> int:
    """Resident KB of `pid` and its children, each page counted once per process (VmRSS)."""
    return _tree_sum(pid, "/proc/{}/status", "VmRSS:")


def pss_kb(pid: int) -> int:
    """Proportional KB of the tree (Pss): a page shared by N processes (a forked worker's
    copy-on-write pages, shared libraries) counts 1/N in each, so the sum is the memory the
    server really holds; for one process it is close to its RSS."""
    return _tree_sum(pid, "/proc/{}/smaps_rollup", "Pss:")


def _tree_sum(pid: int, template: str, field: str) -> int:
    total = 0
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    for one in [pid, *map(int, children)]:
        try:
            for line in Path(template.format(one)).read_text().splitlines():
                if line.startswith(field):
                    total += int(line.split()[1])
                    break
        except OSError:
            continue
    return total


def _spawn_to_200(command: list[str], port: int, settle: float = 0.0) -> tuple[float, int, int]:
    """ms to the first 200, then RSS and PSS (KB), read `settle` seconds after it."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=peers.ASSETS,
        env=peers.server_env(PORT=str(port)),
    )
    try:
        wait_ready(f"http://127.0.0.1:{port}/api/health")
        elapsed = (time.perf_counter() - started) * 1000
        time.sleep(settle)
        return elapsed, rss_kb(process.pid), pss_kb(process.pid)
    finally:
        process.terminate()
        process.wait(10)
        _wait_port_free(port)


def _wait_port_free(port: int, timeout: float = 10.0) -> None:
    """Workers finish draining after their supervisor exits: the next start must not reach them."""
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return
        time.sleep(0.01)


def _built_artifact(workdir: Path) -> str | None:
    out = workdir / "bench-handler.pyz"
    result = subprocess.run(
        peers.zigttp_command("build", HANDLER, "-o", str(out)),
        capture_output=True,
        text=True,
        cwd=peers.ASSETS,
    )
    return str(out) if result.returncode == 0 and out.exists() else None


def run(quick: bool = False, runs: int = 20) -> dict[str, object]:
    runs = 3 if quick else runs
    warmups = 1 if quick else 3
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        commands = {"zigttp source": peers.zigttp_serve(HANDLER, port)}
        artifact = _built_artifact(Path(tmp))
        if artifact:  # as deployed: `python APP.pyz`, port from the environment (PORT)
            commands["zigttp artifact"] = [sys.executable, artifact]
            # the same artifact through the command: CPython runs a zip application through
            # runpy and what it imports (~15 M instructions of a ~95 M start; bench/README.md)
            commands["zigttp artifact, zigttp serve"] = peers.zigttp_serve(artifact, port)
        for peer, executable in peers.available().items():
            commands[peer] = peers.server_command(peer, executable, port)
        samples: dict[str, list[float]] = {name: [] for name in commands}
        memory: dict[str, tuple[int, int]] = {}
        for index in range(runs + warmups):  # round-robin: the host's drift hits every row alike
            for name, command in commands.items():
                elapsed, rss, pss = _spawn_to_200(command, port)
                memory[name] = (rss, pss)
                if index >= warmups:
                    samples[name].append(elapsed)
        rows = [_row(name, samples[name], *memory[name]) for name in commands]
    return {"runs": rows, **_pool_costs(port)}


def _row(name: str, samples: list[float], rss: int, pss: int) -> dict[str, object]:
    ordered = sorted(samples)
    return {
        "name": name,
        "median_ms": statistics.median(samples),
        "p95_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))],
        "rss_mb": rss / 1024,
        "pss_mb": pss / 1024,
    }


def _pool_costs(port: int) -> dict[str, float]:
    """Pre-warm time of a 64-runtime pool (in-process) and the RSS of one more runtime."""
    from zigttp.config import ServerConfig
    from zigttp.frontend.pipeline import compile_file
    from zigttp.log import ServerLog
    from zigttp.server.lifecycle import build_handler, start_pool

    config = ServerConfig(pool_size=64, quiet=True, backend="threads")
    handler = build_handler(compile_file(HANDLER), config, ServerLog(access=False))
    started = time.perf_counter()
    pool = start_pool(handler, config)
    prewarm_ms = (time.perf_counter() - started) * 1000
    pool.close()
    # Read once the pool is warm: it builds all but its first runtime after the first answer.
    small = _spawn_to_200(peers.zigttp_serve(HANDLER, port, "-n", "8", "--workers", "1"), port, 2.0)
    large = _spawn_to_200(peers.zigttp_serve(HANDLER, port, "-n", "64", "--workers", "1"), port, 2.0)
    return {"prewarm_64_ms": prewarm_ms, "rss_per_runtime_kb": (large[1] - small[1]) / 56}
