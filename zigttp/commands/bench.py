"""`zigttp bench`: run the chosen parts, print tables, write JSON, apply the regression gate."""

from __future__ import annotations

import json
import platform
import sys
import time
from pathlib import Path
from typing import Any

PARTS = ("engine", "http", "coldstart")


def run_bench(
    parts: tuple[str, ...],
    *,
    quick: bool,
    json_path: str | None,
    check_path: str | None,
    seconds: float,
    connections: int,
) -> int:
    from zigttp.bench import report

    chosen = parts or PARTS
    results: dict[str, Any] = {"machine": _machine(), "quick": quick, "started": time.time()}
    if "engine" in chosen:
        from zigttp.bench import engine

        results["engine"] = engine.run(quick)
        print("Engine microbenchmarks (ops/s)\n" + report.engine_table(results["engine"]) + "\n")
    if "http" in chosen:
        import shutil

        from zigttp.bench import http

        if shutil.which("wrk") is None:
            results["http_skipped"] = "wrk not found: run bench/install-peers.sh (Debian package wrk)"
            print(f"HTTP throughput skipped: {results['http_skipped']}\n")
        else:
            results["http"] = http.run(quick, seconds, connections)
            table = report.http_table(results["http"])
            print(f"HTTP throughput (wrk, {connections} connections)\n{table}\n")
    if "coldstart" in chosen:
        from zigttp.bench import coldstart

        results["coldstart"] = coldstart.run(quick)
        print("Cold start (spawn → first 200)\n" + report.coldstart_table(results["coldstart"]) + "\n")
    if "http" in results or "coldstart" in results:
        print("Same run, zigttp (default) against the peers\n" + report.summary_table(results) + "\n")
    if json_path:
        Path(json_path).write_text(json.dumps(results, indent=2))
    if check_path:
        regressions = report.check(results, Path(check_path))
        for line in regressions:
            sys.stderr.write(f"regression: {line}\n")
        return 1 if regressions else 0
    return 0


def _machine() -> dict[str, Any]:
    import os

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "processor": platform.processor(),
    }
