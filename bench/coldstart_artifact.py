"""Cold start of a handler served from source vs from its `zigttp build` artifact.

    .venv/bin/python bench/coldstart_artifact.py [HANDLER] [--runs 20] [--pool 1]

Measures spawn → first 200 (a fresh port, polled until it answers 200), median and p95 of
`--runs` runs after 3 warm-ups, round-robin over the variants, for:

* source, front-end cache off (`ZIGTTP_NO_CACHE=1`): parses TS/JSX on every start;
* source, default (the front end may reuse its on-disk cache);
* artifact via `zigttp serve OUT.pyz` and via `python OUT.pyz`: no front end at all.

The default handler is examples/handler.tsx when this build compiles TSX, else examples/hello.js.
Figures, not assertions: nothing here fails a build.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from zigttp.bench.http import free_port, wait_ready

ROOT = Path(__file__).resolve().parent.parent


def default_handler() -> Path:
    from zigttp.errors import ZigttpError
    from zigttp.frontend.pipeline import compile_file

    tsx = ROOT / "examples" / "handler.tsx"
    try:
        if "<section" not in compile_file(tsx).code:
            return tsx
    except ZigttpError:
        pass
    return ROOT / "examples" / "hello.js"


def measure_once(command: list[str], env: dict[str, str]) -> float:
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [*command, "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT
    )
    try:
        wait_ready(f"http://127.0.0.1:{port}/", process=process)
        return (time.perf_counter() - started) * 1000
    finally:
        process.terminate()
        process.wait(15)


def measure(variants: dict[str, tuple[list[str], dict[str, str]]], runs: int) -> dict[str, list[float]]:
    """Round-robin over the variants so machine noise and drift hit them all alike."""
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for run in range(runs + 3):
        for name, (command, env) in variants.items():
            elapsed = measure_once(command, env)
            if run >= 3:
                samples[name].append(elapsed)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("handler", nargs="?")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--pool", type=int, default=1, help="-n for every server (default 1)")
    args = parser.parse_args()
    handler = Path(args.handler).resolve() if args.handler else default_handler()
    base_env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    flags = ["-q", "-n", str(args.pool)]
    with tempfile.TemporaryDirectory() as scratch:
        artifact = Path(scratch) / "handler.pyz"
        subprocess.run(
            [sys.executable, "-m", "zigttp", "build", str(handler), "-o", str(artifact)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        variants = {
            "source (no front-end cache)": (
                [sys.executable, "-m", "zigttp", "serve", *flags, str(handler)],
                {**base_env, "ZIGTTP_NO_CACHE": "1"},
            ),
            "source (default)": ([sys.executable, "-m", "zigttp", "serve", *flags, str(handler)], base_env),
            "artifact: zigttp serve": (
                [sys.executable, "-m", "zigttp", "serve", *flags, str(artifact)],
                base_env,
            ),
            "artifact: python OUT.pyz": ([sys.executable, str(artifact), *flags], base_env),
        }
        print(
            f"Cold start (spawn -> first 200) of {handler.relative_to(ROOT)}, pool {args.pool}, "
            f"median of {args.runs} runs after 3 warm-ups"
        )
        for name, values in measure(variants, args.runs).items():
            ordered = sorted(values)
            p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
            print(f"  {name:28} median {statistics.median(ordered):7.1f} ms   p95 {p95:7.1f} ms")


if __name__ == "__main__":
    main()
