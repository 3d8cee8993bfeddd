"""Request logs: `--log-format json` lines, console output sharing the request id, X-Request-Id."""

from __future__ import annotations

import json

import pytest

HANDLER = """
function handler(r) {
  console.warn("working on " + r.url);
  if (r.url === "/boom") throw new Error("boom");
  return Response.text("hello");
}
"""


def json_lines(server) -> list[dict]:
    return [json.loads(line) for line in server.stderr.splitlines() if line.startswith("{")]


def wait_json(server, needle: str) -> list[dict]:
    server.wait_for_log(needle)
    return json_lines(server)


def test_json_access_line_fields(serve, backend):
    server = serve(HANDLER, "--log-format", "json", "--backend", backend)
    server.get("/hi?x=1")
    access = next(r for r in wait_json(server, '"status"') if "status" in r)
    assert {k: access[k] for k in ("level", "method", "path", "status", "bytes", "worker")} == {
        "level": "info",
        "method": "GET",
        "path": "/hi?x=1",
        "status": 200,
        "bytes": 5,
        "worker": 1,
    }
    assert access["ts"].endswith("Z") and isinstance(access["duration_ms"], float)
    assert access["request_id"] == "1-1"


def test_console_output_shares_the_request_id(serve):
    server = serve(HANDLER, "--log-format", "json")
    server.get("/a", headers={"X-Request-Id": "trace-7"})
    records = [r for r in wait_json(server, '"status"') if r.get("request_id") == "trace-7"]
    console = next(r for r in records if r.get("source") == "console")
    assert (console["level"], console["msg"]) == ("warn", "working on /a")
    assert any(r.get("status") == 200 for r in records)


def test_every_line_is_json_including_errors(serve):
    server = serve(HANDLER, "--log-format", "json")
    server.get("/boom")
    server.wait_for_log('"status":500')
    records = json_lines(server)
    error = next(r for r in records if r["level"] == "error")
    assert error["msg"] == "Error: boom" or "boom" in error["msg"]
    lines = [line for line in server.stderr.splitlines() if line.strip()]
    assert len(records) == len(lines)


def test_incoming_request_id_is_kept_and_echoed(serve, backend):
    server = serve(HANDLER, "--backend", backend)
    response = server.get("/", headers={"X-Request-Id": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    server.wait_for_log("[abc-123] GET / -> 200")


def test_unsafe_request_id_is_replaced(serve):
    server = serve(HANDLER)
    response = server.get("/", headers={"X-Request-Id": "bad id\twith spaces"})
    assert response.headers["x-request-id"] == "1-1"


def test_text_format_is_the_default(serve):
    server = serve(HANDLER)
    server.get("/t")
    server.wait_for_log("[1-1] console.warn: working on /t")
    server.wait_for_log("[1-1] GET /t -> 200 5B")


def test_quiet_drops_access_lines_but_not_console(serve):
    server = serve(HANDLER, "-q", "--log-format", "json")
    server.get("/q")
    server.wait_for_log("working on /q")
    assert not any("status" in r for r in json_lines(server))


def test_module_log_lines_carry_the_running_request_id(tmp_path):
    """The `zigttp:log` sink: a module call on a pool thread logs with that request's id."""
    import io

    from zigttp.frontend.pipeline import compile_source
    from zigttp.log import ServerLog
    from zigttp.modules import ModuleContext, ModuleSpec
    from zigttp.runtime.handler import load_handler
    from zigttp.runtime.limits import RuntimeLimits
    from zigttp.runtime.pool import Call, RuntimePool

    stream = io.StringIO()
    log = ServerLog(stream, fmt="json", worker=3)

    def create(ctx: ModuleContext) -> dict:
        return {"note": lambda text: ctx.options["log_sink"]("warn", text, {"k": 1})}

    spec = ModuleSpec(name="probe", exports=("note",), create=create)
    source = 'const {note} = __zigttp_import("probe");\nfunction handler(r) { note("hi " + r.path); return Response.text("ok"); }'
    compiled = compile_source(source, "probe.js")
    compiled = type(compiled)(compiled.filename, compiled.code, modules=("probe",))
    context = ModuleContext(state_dir=str(tmp_path), options={"log_sink": log.module_log})
    handler = load_handler(compiled, RuntimeLimits(), module_context=context, extra_modules=(spec,))
    pool = RuntimePool(1, handler.new_runtime)
    pool.start()
    try:
        assert pool.run_blocking(Call("GET", "/x", "{}", None, "req-9")).status == 200
    finally:
        pool.close()
    record = json.loads(stream.getvalue().splitlines()[0])
    assert {k: record[k] for k in ("level", "request_id", "source", "msg", "context", "worker")} == {
        "level": "warn",
        "request_id": "req-9",
        "source": "zigttp:log",
        "msg": "hi /x",
        "context": {"k": 1},
        "worker": 3,
    }


LOGGING = """
import { logInfo, logWarn } from "zigttp:log";
export function handler(r) {
  logInfo("handling " + r.path, { user: "u1" });
  logWarn("careful");
  return Response.text("ok");
}
"""


def test_zigttp_log_shares_the_json_stream_with_the_request_id(serve, backend):
    server = serve(LOGGING, "--log-format", "json", "--backend", backend)
    server.get("/p", headers={"X-Request-Id": "rid-5"})
    records = [r for r in wait_json(server, '"status"') if r.get("source") == "zigttp:log"]
    assert [(r["level"], r["msg"], r["request_id"]) for r in records] == [
        ("info", "handling /p", "rid-5"),
        ("warn", "careful", "rid-5"),
    ]
    assert records[0]["context"] == {"user": "u1"}


def test_zigttp_log_in_the_text_stream(serve):
    server = serve(LOGGING)
    server.get("/t")
    server.wait_for_log('[1-1] log.info: handling /t {"user": "u1"}')


@pytest.mark.parametrize("workers", ["1", "2"])
def test_the_start_line_is_json_too(serve, workers):
    # `Listening on ...` was printed as plain text even under --log-format json; it is one JSON
    # object now whose msg still starts with `Listening on URL` (what scripts wait for).
    server = serve(HANDLER, "--log-format", "json", "--workers", workers, "-n", "2")
    record = json.loads(server.banner)
    assert record["msg"] == f"Listening on {server.url}" and record["url"] == server.url
    assert (record["level"], record["pool"]) == ("info", 2)
    assert record["handler"].endswith(".js") and isinstance(record["load_ms"], float)
    assert record.get("workers", 1) == int(workers)
    assert record["ts"].endswith("Z")
