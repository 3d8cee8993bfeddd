"""Engine microbenchmarks (the original's suite, assets/engine/*.js) in our runtime and the peers.

Each script defines `bench(n)`; ops/s = n / seconds for one call after a warm-up call.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from zigttp.bench import peers
from zigttp.runtime.engine import time_script

ITERATIONS = {
    "intArithmetic": 50_000,
    "stringConcat": 50_000,
    "stringOps": 50_000,
    "objectCreate": 50_000,
    "propertyAccess": 50_000,
    "arrayOps": 50_000,
    "functionCalls": 50_000,
    "recursion": 5,
    "jsonOps": 5_000,
    "gcPressure": 50_000,
    "httpHandler": 5_000,
    "httpHandlerHeavy": 2_000,
    "forOfLoop": 50_000,
}


def run(quick: bool = False) -> list[dict[str, object]]:
    rows = []
    found = peers.available()
    for name, iterations in ITERATIONS.items():
        n = max(1, iterations // 10) if quick else iterations
        script = peers.ASSETS / "engine" / f"{name}.js"
        row: dict[str, object] = {
            "name": name,
            "iterations": n,
            "zigttp": n / time_script(script.read_text(), n),
        }
        for peer, executable in found.items():
            seconds = _peer_seconds(peer, executable, script, n)
            row[peer] = n / seconds if seconds else None
        rows.append(row)
    return rows


def _peer_seconds(peer: str, executable: str, script: Path, n: int) -> float | None:
    try:
        out = subprocess.run(
            peers.harness_command(peer, executable, script, n),
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout
        return max(float(out.strip().splitlines()[-1]), 1e-9)
    except (subprocess.SubprocessError, ValueError, IndexError, OSError):
        return None
