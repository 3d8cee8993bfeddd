"""Spawn → first 200 of this checkout against another (e.g. main) and the peers, interleaved.

    .venv/bin/python bench/coldstart_compare.py [--before DIR] [--runs 15]

`--artifact APP.pyz` adds `python APP.pyz -q -p PORT` (built from the same handler with
`zigttp build`). `--before DIR`: a checkout of the tree to compare with
(`git archive REV | tar -x -C DIR`, plus
this build's `zigttp/runtime/_engine*.so` copied into it), run with PYTHONPATH=DIR. Round-robin
over the variants so the machine's drift hits them alike; median and min of `--runs` after one
warm-up each; also the memory (PSS and summed RSS of the process tree) after the first
response, and the CPU time the tree ran until then (schedstat: steadier than wall time on
a shared machine). Default server (one worker per core) and `--workers 1`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

from zigttp.bench import peers
from zigttp.bench.coldstart import pss_kb, rss_kb
from zigttp.bench.http import HANDLER, free_port, wait_ready


def variants(before: str | None, artifact: str | None) -> dict[str, tuple[list[str], dict[str, str]]]:
    serve = peers.zigttp_serve(HANDLER, "{port}")  # what a user types: the installed script
    out = {"zigttp": (serve, {}), "zigttp -w1": ([*serve, "-w", "1"], {})}
    launch = [sys.executable, artifact or "", "-q", "-p", "{port}"]  # `python APP.pyz ARGS`
    if artifact:
        out["artifact"] = (launch, {})
    if before:
        out["before"] = (serve, {"PYTHONPATH": before})
        out["before -w1"] = ([*serve, "-w", "1"], {"PYTHONPATH": before})
        if artifact:
            out["artifact before"] = (launch, {"PYTHONPATH": before})
    for peer, executable in peers.available().items():
        out[peer] = ([*peers.server_command(peer, executable, 0)[:-1], "{port}"], {})
    return out


def cpu_ms(pid: int) -> float:
    """CPU time the process tree has run so far (every thread's schedstat, in ns): what the
    start cost, whatever else the machine runs meanwhile."""
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    total = 0
    for one in [pid, *map(int, children)]:
        try:
            for task in os.listdir(f"/proc/{one}/task"):
                with open(f"/proc/{one}/task/{task}/schedstat") as stat:
                    total += int(stat.read().split()[0])
        except OSError:
            continue
    return total / 1e6


def once(command: list[str], extra: dict[str, str]) -> tuple[float, int, int, float]:
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [part.format(port=port) for part in command],
        cwd=extra.get("PYTHONPATH", peers.ROOT),  # (the cwd comes first on sys.path with -m)
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=peers.server_env(**extra),
    )
    try:
        wait_ready(f"http://127.0.0.1:{port}/api/health")
        elapsed = (time.perf_counter() - started) * 1000
        return elapsed, pss_kb(process.pid), rss_kb(process.pid), cpu_ms(process.pid)
    finally:
        process.terminate()
        process.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--artifact", help="a `zigttp build` of the handler: also `python APP.pyz`")
    args = parser.parse_args()
    chosen = variants(args.before, args.artifact)
    samples: dict[str, list[tuple[float, int, int, float]]] = {name: [] for name in chosen}
    for round_ in range(args.runs + 1):
        for name, (command, extra) in chosen.items():
            result = once(command, extra)
            if round_:
                samples[name].append(result)
    print(f"{'variant':16} {'median ms':>10} {'min ms':>8} {'CPU ms':>8} {'PSS MB':>8} {'RSS MB':>8}")
    for name, rows in samples.items():
        times = [row[0] for row in rows]
        print(
            f"{name:16} {statistics.median(times):10.1f} {min(times):8.1f} "
            f"{statistics.median(r[3] for r in rows):8.1f} "
            f"{statistics.median(r[1] for r in rows) / 1024:8.1f} "
            f"{statistics.median(r[2] for r in rows) / 1024:8.1f}"
        )
    print(f"(load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
