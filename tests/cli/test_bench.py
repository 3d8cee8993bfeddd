"""`zigttp bench --quick` runs end to end and emits valid JSON with every section."""

from __future__ import annotations

import json
import shutil

from tests.conftest import run_zigttp
from zigttp.config import default_workers


def test_bench_quick_emits_json_with_every_section(tmp_path) -> None:
    out = tmp_path / "bench.json"
    result = run_zigttp("bench", "--quick", "--json", str(out), timeout=600)
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text())
    assert {row["name"] for row in data["engine"]} >= {"stringOps", "jsonOps", "httpHandler", "recursion"}
    assert all(row["zigttp"] > 0 for row in data["engine"])
    if shutil.which("wrk") is None:
        assert "wrk not found" in data["http_skipped"]
    else:
        endpoints = {(row["server"], row["endpoint"]) for row in data["http"]}
        assert ("zigttp loop w1", "health") in endpoints
        if default_workers() > 1:  # the default start (one worker per core) is measured too
            assert (f"zigttp loop w{default_workers()} (default)", "page") in endpoints
        assert all(row["rps"] > 0 for row in data["http"])
    assert data["coldstart"]["runs"][0]["name"] == "zigttp source"
    assert data["coldstart"]["prewarm_64_ms"] > 0
    assert "Engine microbenchmarks" in result.stdout and "HTTP throughput" in result.stdout


def test_bench_engine_part_alone_runs(tmp_path) -> None:
    out = tmp_path / "engine.json"
    result = run_zigttp("bench", "engine", "--quick", "--json", str(out), timeout=300)
    assert result.returncode == 0, result.stderr
    assert "http" not in json.loads(out.read_text())


def test_check_gate_fails_on_a_regression_relative_to_node(tmp_path) -> None:
    from zigttp.bench.report import check

    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"engine": [{"name": "jsonOps", "zigttp": 100.0, "node": 100.0}]}))
    assert check({"engine": [{"name": "jsonOps", "zigttp": 95.0, "node": 100.0}]}, baseline) == []
    regressions = check({"engine": [{"name": "jsonOps", "zigttp": 80.0, "node": 100.0}]}, baseline)
    assert regressions and "engine/jsonOps" in regressions[0]
