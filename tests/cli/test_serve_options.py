"""`zigttp serve` flags: the -m grammar, -n default, -h is host, help and usage errors."""

from __future__ import annotations

import os

import pytest

from tests.conftest import run_zigttp, start_server
from zigttp.config import cgroup_cpu_quota, default_pool_size, default_workers, parse_size
from zigttp.errors import UsageError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", 0),
        ("100", 100),
        ("1k", 1024),
        ("1K", 1024),
        ("1kb", 1024),
        ("256k", 262144),
        ("1m", 1048576),
        ("1MB", 1048576),
        ("256mb", 268435456),
        ("1g", 1073741824),
        ("2GB", 2 << 30),
    ],
)
def test_memory_size_grammar_accepts_units(text: str, expected: int) -> None:
    assert parse_size(text) == expected


@pytest.mark.parametrize("text", ["", "k", "1.5m", "1b", " 1m", "1m ", "-1", "1tb", "0x10", "1 m"])
def test_memory_size_grammar_rejects_everything_else(text: str) -> None:
    with pytest.raises(UsageError, match="k/kb"):
        parse_size(text)


def test_bad_memory_flag_exits_2_with_the_grammar() -> None:
    result = run_zigttp("serve", "-m", "12parsecs", "-e", "function handler(){}")
    assert result.returncode == 2
    assert "k/kb" in result.stderr and "12parsecs" in result.stderr


@pytest.mark.parametrize(("cpus", "pool"), [(1, 8), (4, 8), (14, 28), (64, 128), (100, 128)])
def test_default_pool_is_twice_the_cpus_clamped_to_8_128(cpus: int, pool: int) -> None:
    assert default_pool_size(cpus) == pool


def test_serve_banner_reports_the_default_pool_size(serve) -> None:
    server = serve("function handler() { return Response.text('x') }")
    assert f"pool {default_pool_size(os.cpu_count())}," in server.banner


@pytest.mark.parametrize(("cpus", "workers"), [(1, 1), (2, 2), (8, 8), (64, 8)])
def test_default_workers_are_one_per_core_at_most_8(cpus: int, workers: int) -> None:
    assert default_workers(cpus) == workers


@pytest.mark.parametrize(
    ("content", "cpus"),
    [("max 100000", None), ("150000 100000", 2), ("50000 100000", 1), ("400000 100000", 4), ("junk", None)],
)
def test_cgroup_cpu_quota_caps_the_default_workers(tmp_path, content: str, cpus: int | None) -> None:
    cpu_max = tmp_path / "cpu.max"
    cpu_max.write_text(content + "\n")
    assert cgroup_cpu_quota(str(cpu_max)) == cpus
    assert cgroup_cpu_quota(str(tmp_path / "missing")) is None


def test_serve_without_workers_flag_starts_one_worker_per_core(tmp_path, monkeypatch) -> None:
    handler = tmp_path / "h.js"
    handler.write_text("function handler() { return Response.text('x') }")
    monkeypatch.delenv("ZIGTTP_WORKERS", raising=False)
    server = start_server(["-n", "1", "-q", str(handler)], env={"ZIGTTP_WORKERS": ""})
    try:
        expected = default_workers()
        assert (f"(workers {expected}," in server.banner) == (expected > 1), server.banner
        assert server.get("/").text == "x"
    finally:
        server.stop()


def test_help_lists_every_seed_option_and_h_is_host() -> None:
    result = run_zigttp("serve", "--help")
    assert result.returncode == 0
    for flag in [
        "-p, --port",
        "-h, --host",
        "-e, --eval",
        "-m, --memory",
        "-n, --pool",
        "-q, --quiet",
        "--help",
        "--timeout",
        "--backend",
        "--workers",
        "--isolation",
    ]:
        assert flag in result.stdout, flag


@pytest.mark.parametrize("args", [["serve", "-h"], ["serve", "handler.js", "-h"]])
def test_bare_h_says_it_is_host_and_where_help_is(args) -> None:
    result = run_zigttp(*args)
    assert result.returncode == 2
    assert "-h is --host" in result.stderr and "--help" in result.stderr, result.stderr
    assert "requires an argument" not in result.stderr


def test_serve_without_a_handler_is_a_usage_error() -> None:
    result = run_zigttp("serve")
    assert result.returncode == 2
    assert "no handler specified" in result.stderr


def test_missing_handler_file_exits_nonzero_naming_the_file() -> None:
    result = run_zigttp("serve", "does/not/exist.js")
    assert result.returncode != 0
    assert "does/not/exist.js" in result.stderr


def test_handler_with_a_syntax_error_exits_1_with_file_and_line(tmp_path) -> None:
    handler = tmp_path / "broken.js"
    handler.write_text("function handler(r) {\n  return Response.json({a: 1};\n}\n")
    result = run_zigttp("serve", str(handler), "-p", "0")
    assert result.returncode == 1
    assert "syntax error" in result.stderr
    assert "broken.js:2:" in result.stderr
    assert "^" in result.stderr  # the caret under the column


def test_eval_flag_serves_inline_code(serve) -> None:
    from tests.conftest import start_server

    server = start_server(["-e", "function handler(r) { return Response.json({inline: true}) }"])
    try:
        assert server.get("/").json() == {"inline": True}
        assert "handler <inline>" in server.banner
    finally:
        server.stop()


def test_banner_names_address_pool_handler_and_load_time(serve) -> None:
    server = serve("function handler() { return Response.text('x') }", "-n", "3")
    assert server.banner.startswith(f"Listening on http://127.0.0.1:{server.port} (pool 3, handler ")
    assert "loaded in " in server.banner and " ms)" in server.banner


def test_quiet_turns_off_the_request_log(serve) -> None:
    loud = serve("function handler() { return Response.text('x') }")
    quiet = serve("function handler() { return Response.text('x') }", "-q")
    loud.get("/loud-path")
    quiet.get("/quiet-path")
    loud.wait_for_log("GET /loud-path -> 200")
    quiet.get("/")
    assert "quiet-path" not in quiet.stderr
