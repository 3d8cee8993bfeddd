"""`serve --trace` records traffic as fixtures that `zigttp test` / `serve --replay` replay."""

from __future__ import annotations

import concurrent.futures
import json
from pathlib import Path

import requests

from tests.conftest import run_zigttp, start_server
from tests.testing.support import FAKE, module_handler
from zigttp.modules import ModuleContext
from zigttp.runtime.handler import load_handler
from zigttp.runtime.limits import RuntimeLimits
from zigttp.runtime.pool import Call, RuntimePool
from zigttp.testing.fixtures import load_fixture
from zigttp.testing.runner import run_fixture
from zigttp.testing.trace import tracing_factory

HANDLER = """function handler(req) {
  if (req.path === "/boom") throw new Error("kaboom");
  return Response.json({ path: req.path, query: req.query, body: req.body }, { headers: { "x-v": "1" } });
}
"""


def record(tmp_path: Path) -> Path:
    handler = tmp_path / "app.js"
    handler.write_text(HANDLER)
    trace = tmp_path / "trace.jsonl"
    server = start_server(["-n", "2", "-q", "--trace", str(trace), str(handler)], cwd=tmp_path)
    try:
        assert server.get("/a?x=1").status_code == 200
        assert server.post("/b", data="payload").status_code == 200
        assert server.get("/boom").status_code == 500
    finally:
        server.stop()
    return trace


def test_trace_rows_are_fixture_rows(tmp_path: Path) -> None:
    trace = record(tmp_path)
    rows = [json.loads(line) for line in trace.read_text().splitlines() if line.strip()]
    assert [r["type"] for r in rows] == ["test", "request", "expect"] * 3
    assert rows[0]["handler"] == "app.js"
    assert rows[4]["method"] == "POST" and rows[4]["body"] == "payload"
    assert rows[5]["status"] == 200 and rows[5]["headers"]["x-v"] == "1"
    assert rows[8] == {"type": "expect", "status": 500, "body": "kaboom", "headers": {}}


def test_trace_replays_as_passing_tests(tmp_path: Path) -> None:
    record(tmp_path)
    result = run_zigttp("test", "trace.jsonl", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == "3 passed, 0 failed"


def test_replay_flag_exits_with_the_test_status(tmp_path: Path) -> None:
    trace = record(tmp_path)
    assert run_zigttp("serve", "--replay", str(trace), "app.js", cwd=tmp_path).returncode == 0
    (tmp_path / "app.js").write_text(HANDLER.replace('"x-v": "1"', '"x-v": "2"'))
    changed = run_zigttp("serve", "--replay", str(trace), "app.js", cwd=tmp_path)
    assert changed.returncode == 1
    assert 'header x-v: expected "1", actual "2"' in changed.stdout


def test_unwritable_trace_file_is_a_startup_error(tmp_path: Path) -> None:
    (tmp_path / "app.js").write_text(HANDLER)
    result = run_zigttp(
        "serve",
        "--port",
        "0",
        "--trace",
        str(tmp_path / "no" / "t.jsonl"),
        "app.js",
        cwd=tmp_path,
        timeout=30,
    )
    assert result.returncode == 2
    assert "cannot write trace file" in result.stderr
    assert "Traceback" not in result.stderr


def test_module_calls_are_traced_from_concurrent_slots_and_replay(tmp_path: Path) -> None:
    compiled = module_handler("""
const boot = lookup("boot");
register("r");
function handler(req) { return Response.text(boot + "|" + lookup(req.path) + "|" + lookup("again")); }
""")
    trace = tmp_path / "trace.jsonl"
    handler = load_handler(
        compiled, RuntimeLimits(), module_context=ModuleContext(str(tmp_path)), extra_modules=(FAKE,)
    )
    pool = RuntimePool(3, tracing_factory(handler, str(trace)))
    pool.start()
    try:

        def call(index: int) -> bytes:
            return pool.run_blocking(Call("GET", f"/r{index}", "", None, f"id-{index}")).body

        with concurrent.futures.ThreadPoolExecutor(6) as workers:
            bodies = list(workers.map(call, range(24)))
    finally:
        pool.close()
    assert bodies[5] == b"real:boot|real:/r5|real:again"
    fixture = load_fixture(trace)
    assert len(fixture.tests) == 24
    first = fixture.tests[0]
    assert (first.io[0].fn, first.io[0].args) == ("lookup", ["boot"])  # load-time call first
    assert len(first.io) == 3  # `register` is not traceable: not recorded
    run = run_fixture(fixture, compiled.filename, compiled=compiled, extra_modules=(FAKE,), strict_io=True)
    assert [r.status for r in run.results] == ["pass"] * 24, run.results[0].reasons


def test_trace_of_unreachable_server_is_untouched(tmp_path: Path) -> None:
    """A request the HTTP layer refuses (never reaching the handler) is not a trace row."""
    handler = tmp_path / "app.js"
    handler.write_text(HANDLER)
    trace = tmp_path / "trace.jsonl"
    server = start_server(["-q", "--trace", str(trace), str(handler)], cwd=tmp_path)
    try:
        assert server.raw(b"BOGUS\r\n\r\n").startswith(b"HTTP/1.1 400")
        assert requests.get(server.url + "/ok", timeout=10).status_code == 200
    finally:
        server.stop()
    assert len(load_fixture(trace).tests) == 1


def test_trace_with_workers_keeps_every_block_whole(tmp_path: Path) -> None:
    handler = tmp_path / "app.js"
    handler.write_text(HANDLER)
    trace = tmp_path / "trace.jsonl"
    server = start_server(["-w", "2", "-n", "2", "-q", "--trace", str(trace), str(handler)], cwd=tmp_path)
    try:
        with concurrent.futures.ThreadPoolExecutor(8) as workers:
            statuses = list(
                workers.map(lambda i: server.get(f"/p{i}", data="x" * 2000).status_code, range(40))
            )
    finally:
        server.stop()
    assert statuses == [200] * 40
    fixture = load_fixture(trace)
    assert sorted(t.request.url for t in fixture.tests if t.request) == sorted(f"/p{i}" for i in range(40))
    assert run_zigttp("test", "trace.jsonl", cwd=tmp_path).returncode == 0


def test_real_module_calls_are_traced_and_replayed(tmp_path: Path) -> None:
    (tmp_path / "digest.ts").write_text(
        'import { sha256 } from "zigttp:crypto";\n'
        "export function handler(req: Request): Response {\n"
        '  return Response.json({ digest: sha256(req.body ?? "") });\n'
        "}\n"
    )
    trace = tmp_path / "trace.jsonl"
    server = start_server(["-n", "1", "-q", "--trace", str(trace), "digest.ts"], cwd=tmp_path)
    try:
        assert server.post("/", data="test").json()["digest"].startswith("9f86d081")
    finally:
        server.stop()
    io = load_fixture(trace).tests[0].io
    assert [(r.module, r.fn, r.args) for r in io] == [("crypto", "sha256", ["test"])]
    assert str(io[0].result).startswith("9f86d081")
    replay = run_zigttp("test", "--strict-io", "trace.jsonl", cwd=tmp_path)
    assert replay.returncode == 0, replay.stdout
