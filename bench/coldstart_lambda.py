"""`zigttp lambda`: init → first invocation answered, against the local Runtime API double.

    .venv/bin/python bench/coldstart_lambda.py [--runs 15] [--before DIR]

Spawns `zigttp lambda zigttp/bench/assets/handlers/bench.tsx` with `AWS_LAMBDA_RUNTIME_API` pointing at
tests/aws/runtime_double.py (the Runtime API the end-to-end tests use), with one API Gateway
v2 event for `/api/health` already queued, and times spawn → the double receiving the
invocation's response. `--before DIR`: the same for another checkout, run from its own
directory (`python -m` puts the working directory first on sys.path, so PYTHONPATH alone
would run this tree again), interleaved. Median and min after one warm-up.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.aws.runtime_double import RuntimeApiDouble  # noqa: E402
from zigttp.bench.peers import server_env  # noqa: E402

HANDLER = "zigttp/bench/assets/handlers/bench.tsx"  # relative to the checkout measured
EVENT = json.loads((ROOT / "tests" / "aws" / "events" / "apigw-http-v2.json").read_text())
EVENT.update(rawPath="/api/health")
EVENT["requestContext"]["http"]["path"] = "/api/health"


def once(root: Path) -> float:
    api = RuntimeApiDouble()
    api.server.handle_error = lambda *_: None  # type: ignore[method-assign]  # (the runtime's
    # long poll for a second event is reset when it is stopped)
    request_id = str(uuid.uuid4())
    import queue

    api.outcomes[request_id] = queue.Queue()
    api.events.put((request_id, json.dumps(EVENT).encode()))
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "zigttp", "lambda", HANDLER],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=server_env(AWS_LAMBDA_RUNTIME_API=api.address),
    )
    try:
        outcome = api.outcomes[request_id].get(timeout=30)
        elapsed = (time.perf_counter() - started) * 1000
        assert outcome.kind == "response" and outcome.payload["statusCode"] == 200, outcome
        return elapsed
    finally:
        process.terminate()
        process.wait(10)
        api.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--before")
    args = parser.parse_args()
    variants = {"zigttp lambda": ROOT}
    if args.before:
        variants["before"] = Path(args.before).resolve()
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for round_ in range(args.runs + 1):
        for name, root in variants.items():
            elapsed = once(root)
            if round_:
                samples[name].append(elapsed)
    for name, times in samples.items():
        print(
            f"{name:14} init → first invocation: median {statistics.median(times):.1f} ms, "
            f"min {min(times):.1f} ms"
        )
    print(f"(load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
