"""`zigttp lambda`: init → first invocation answered, against the local Runtime API double.

    .venv/bin/python bench/coldstart_lambda.py [--runs 15] [--before DIR]

Spawns `zigttp lambda zigttp/bench/assets/handlers/bench.tsx` as deploy/lambda/bootstrap starts
it (`python -c`), with `AWS_LAMBDA_RUNTIME_API` pointing at tests/aws/runtime_double.py (the
Runtime API the end-to-end tests use) and one API Gateway v2 event for `/api/health` already
queued, and times spawn → the double receiving the invocation's response. `--before DIR`:
the same for another checkout, run from its own directory (`python -c` puts the working
directory first on sys.path, so PYTHONPATH alone would run this tree again), interleaved.
Median and min after one warm-up. `--callgrind`: instructions executed from spawn to the
response instead (valgrind; one run per variant after a warm-up; robust on a shared machine
where wall time is not).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.aws.runtime_double import RuntimeApiDouble  # noqa: E402
from zigttp.bench.peers import server_env  # noqa: E402

HANDLER = "zigttp/bench/assets/handlers/bench.tsx"  # relative to the checkout measured
BOOTSTRAP = 'import sys; sys.argv[0] = "zigttp"; from zigttp.entry import main; main()'  # its -c
EVENT = json.loads((ROOT / "tests" / "aws" / "events" / "apigw-http-v2.json").read_text())
EVENT.update(rawPath="/api/health")
EVENT["requestContext"]["http"]["path"] = "/api/health"


def once(root: Path, callgrind: bool = False) -> float:
    """ms from spawn to the invocation's response (`callgrind`: M instructions until then)."""
    api = RuntimeApiDouble()
    api.server.handle_error = lambda *_: None  # type: ignore[method-assign]  # (the runtime's
    # long poll for a second event is reset when it is stopped)
    request_id = str(uuid.uuid4())
    import queue

    api.outcomes[request_id] = queue.Queue()
    api.events.put((request_id, json.dumps(EVENT).encode()))
    started = time.perf_counter()
    dumps = tempfile.mkdtemp(prefix="coldstart-lambda-")
    valgrind = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={dumps}/out.%p"] if callgrind else []
    process = subprocess.Popen(
        [*valgrind, sys.executable, "-c", BOOTSTRAP, "lambda", HANDLER],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=server_env(AWS_LAMBDA_RUNTIME_API=api.address),
    )
    try:
        outcome = api.outcomes[request_id].get(timeout=300 if callgrind else 30)
        elapsed = (time.perf_counter() - started) * 1000
        assert outcome.kind == "response" and outcome.payload["statusCode"] == 200, outcome
        return _instructions(process.pid, Path(dumps)) / 1e6 if callgrind else elapsed
    finally:
        process.terminate()
        process.wait(60)
        api.close()
        shutil.rmtree(dumps, ignore_errors=True)


def _instructions(pid: int, dumps: Path) -> int:
    """The process's instruction count now (callgrind_control dumps it)."""
    subprocess.run(["callgrind_control", "--dump", str(pid)], capture_output=True, check=True)
    for dump in dumps.glob(f"out.{pid}*"):
        found = re.search(r"^totals: (\d+)", dump.read_text(errors="replace"), re.M)
        if found:
            return int(found.group(1))
    raise RuntimeError(f"callgrind wrote no dump for {pid}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--before")
    parser.add_argument("--callgrind", action="store_true", help="count instructions instead")
    args = parser.parse_args()
    if args.callgrind:
        args.runs = 1
    variants = {"zigttp lambda": ROOT}
    if args.before:
        variants["before"] = Path(args.before).resolve()
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for round_ in range(args.runs + 1):
        for name, root in variants.items():
            elapsed = once(root, args.callgrind)
            if round_:
                samples[name].append(elapsed)
    for name, times in samples.items():
        if args.callgrind:
            print(f"{name:14} init → first invocation: {times[0]:,.1f} M instructions")
            continue
        print(
            f"{name:14} init → first invocation: median {statistics.median(times):.1f} ms, "
            f"min {min(times):.1f} ms"
        )
    print(f"(load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
