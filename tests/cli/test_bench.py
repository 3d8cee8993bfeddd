"""`zigttp bench --quick` runs end to end and emits valid JSON with every section."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT, run_zigttp
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


@pytest.mark.timeout(600)  # compiles the engine extension into the wheel
def test_bench_runs_from_a_regular_non_editable_install(tmp_path) -> None:
    """Issue 19.20: from `pip install .` it failed with FileNotFoundError for
    site-packages/bench/engine/intArithmetic.js: the sources now ship as package data."""
    source = tmp_path / "src"  # a clean copy: no stale build/ or egg-info from the worktree
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "setup.py"):
        shutil.copy(ROOT / name, source)
    for tree in ("native", "vendor"):  # the engine extension is compiled into the wheel
        shutil.copytree(ROOT / tree, source / tree)
    shutil.copytree(ROOT / "zigttp", source / "zigttp", ignore=shutil.ignore_patterns("__pycache__", "*.so"))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp_path / "wheel"), str(source)],
        check=True,
        timeout=600,
        capture_output=True,
    )
    site = tmp_path / "site"
    wheel = next((tmp_path / "wheel").glob("zigttp-*.whl"))
    subprocess.run(
        [*pip, "install", "--no-deps", "--target", str(site), str(wheel)],
        check=True,
        timeout=300,
        capture_output=True,
    )
    env = {**os.environ, "PYTHONPATH": str(site)}  # before the editable install on sys.path
    where = subprocess.run(
        [sys.executable, "-c", "import zigttp; print(zigttp.__file__)"],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    )
    assert where.stdout.startswith(str(site))
    out = tmp_path / "engine.json"
    result = subprocess.run(
        [sys.executable, "-m", "zigttp", "bench", "engine", "--quick", "--json", str(out)],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert {row["name"] for row in json.loads(out.read_text())["engine"]} >= {"intArithmetic", "jsonOps"}
    for asset in ("handlers/bench.tsx", "peers/node_server.js", "peers/page.js", "wrk/post.lua"):
        assert (site / "zigttp" / "bench" / "assets" / asset).is_file(), asset


def test_the_same_run_table_gives_each_figure_against_node_and_the_best_peer() -> None:
    from zigttp.bench.report import summary_table

    def row(server: str, rps: float) -> dict[str, object]:
        return {"server": server, "endpoint": "health", "rps": rps}

    results = {
        "http": [
            row("zigttp loop w2 (default)", 30000),
            row("node", 15000),
            row("deno", 60000),
            row("bun", 40000),
        ],
        "coldstart": {
            "runs": [
                {"name": "zigttp source", "median_ms": 50.0, "pss_mb": 30.0, "rss_mb": 70.0},
                {"name": "node", "median_ms": 100.0, "pss_mb": 40.0, "rss_mb": 44.0},
                {"name": "deno", "median_ms": 40.0, "pss_mb": 29.0, "rss_mb": 31.0},
                {"name": "bun", "median_ms": 10.0, "pss_mb": 25.0, "rss_mb": 28.0},
            ]
        },
    }
    lines = summary_table(results).splitlines()
    assert "| health rps | 30,000 | 15,000 | 60,000 | 40,000 | 2.00 | 0.50 (deno) |" in lines
    assert (
        "| spawn → first 200, source | 50.0 ms | 100.0 ms | 40.0 ms | 10.0 ms | 0.50 | 5.00 (bun) |" in lines
    )
    assert "| memory (PSS), source | 30.0 MB | 40.0 MB | 29.0 MB | 25.0 MB | 0.75 | 1.20 (bun) |" in lines
