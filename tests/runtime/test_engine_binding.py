"""The engine binding through real servers: what issue 15 promised a user.

Each test names one failure of the old PyPI-wheel boundary and shows it is gone: deadlines
that stop everything (with and without host modules), typed memory faults from `-m 64k` up,
raw bytes both ways, host hooks out of reach, leftovers of one request kept out of the next,
and `check`/`build` refusing what the engine would refuse at load.
"""

from __future__ import annotations

import time

import pytest

from tests.conftest import run_zigttp

WITH_MODULE = 'import { sha256 } from "zigttp:crypto";\n'


@pytest.mark.parametrize("prefix", ["", WITH_MODULE], ids=["plain", "with-module"])
@pytest.mark.parametrize(
    "body",
    [
        'return Response.text(String(/^(a+)+$/.test("a".repeat(32) + "!")));',
        'return Response.text(String((0, eval)("for (;;) {}")));',
        'return Response.text(String(new Function("for (;;) {}")()));',
        'Array.prototype.reverse.call({length: 2 ** 40}); return Response.text("done");',
        'Array.prototype.fill.call({length: 2 ** 40}, 1); return Response.text("done");',
        'Array.prototype.copyWithin.call({length: 2 ** 40}, 1, 0); return Response.text("done");',
    ],
    ids=["regex", "indirect-eval", "function-ctor", "reverse", "fill", "copyWithin"],
)
def test_runaway_code_stops_at_the_wall_clock_deadline(serve, prefix: str, body: str) -> None:
    source = (
        prefix + "export function handler(r) {\n  if (r.path === '/spin') { " + body + " }\n"
        "  return Response.text('fine');\n}\n"
    )
    server = serve(source, "-n", "1", "-w", "1", "--timeout", "0.3")
    for _ in range(3):  # more than the pool size: no slot stays stuck (the old server went 503)
        started = time.monotonic()
        response = server.get("/spin", timeout=20)
        assert (response.status_code, response.text) == (500, "handler exceeded its time limit of 0.3s")
        assert time.monotonic() - started < 1.3  # --timeout + 1 s at most
    assert server.get("/").text == "fine"


def test_an_async_handler_whose_jobs_never_end_times_out(serve) -> None:
    server = serve(
        "export default { async fetch(r) { for (;;) await null; } }", "-n", "1", "--timeout", "0.3"
    )
    assert server.get("/", timeout=20).status_code == 500
    assert "time limit" in server.get("/", timeout=20).text


def test_memory_64k_serves_a_small_handler_and_types_an_overrun(serve) -> None:
    source = (
        "export function handler(r) {\n"
        "  if (r.path === '/big') { const a = []; for (let i = 0; i < 1e6; i++) a.push('x' + i); }\n"
        "  if (r.path === '/normalize') { return Response.text('\u00e9'.repeat(1 << 20).normalize('NFD')); }\n"
        "  return Response.json({ ok: true });\n}\n"
    )
    server = serve(source, "-n", "1", "-w", "1", "-m", "64k")
    assert server.get("/").json() == {"ok": True}
    big = server.get("/big")
    assert (big.status_code, big.text) == (500, "handler exceeded the memory limit of 65536 bytes")
    inside_builtin = server.get("/normalize")
    assert (inside_builtin.status_code, inside_builtin.text) == (
        500,
        "handler exceeded the memory limit of 65536 bytes",
    )
    assert server.get("/").json() == {"ok": True}  # replaced runtime, serving again
    assert "MemoryLimitExceeded" in server.wait_for_log("MemoryLimitExceeded")


def test_a_memory_limit_too_small_to_honour_is_a_usage_error() -> None:
    result = run_zigttp("serve", "-m", "16k", "-e", "function handler() { return 'x'; }")
    assert result.returncode == 2
    assert "at least 32k" in result.stderr and "Traceback" not in result.stderr


def test_binary_bodies_cross_unchanged_both_ways(serve) -> None:
    source = (
        "export function handler(r) {\n"
        "  const bytes = r.bytes();\n"
        "  const out = new Uint8Array(bytes.length);\n"
        "  for (let i = 0; i < bytes.length; i++) out[i] = bytes[bytes.length - 1 - i];\n"
        "  return new Response(out, { headers: { 'content-type': 'application/octet-stream' } });\n}\n"
    )
    server = serve(source, "-n", "1")
    payload = bytes(range(256)) * 4 + b"\xff\xfe\x00\x80"
    response = server.post("/", data=payload)
    assert response.status_code == 200
    assert response.content == payload[::-1]


def test_request_text_decodes_and_array_buffer_keeps_the_bytes(serve) -> None:
    source = (
        "export function handler(r) {\n"
        "  const raw = new Uint8Array(r.arrayBuffer());\n"
        "  return Response.json({ text: r.body, n: raw.length, first: raw[0] });\n}\n"
    )
    server = serve(source, "-n", "1")
    assert server.post("/", data=b"\xffok").json() == {"text": "\ufffdok", "n": 3, "first": 255}


@pytest.mark.parametrize(
    "probe",
    [
        "typeof __zigttp_dispatch + typeof __zigttp_configure + typeof __zigttp_snapshot + typeof __zigttp_host",
        "String((0, eval)('typeof __zigttp_dispatch'))",
        "String((0, eval)('__zdl = Infinity; typeof __zdl'))",
    ],
)
def test_host_hooks_are_not_reachable_from_handler_code(serve, probe: str) -> None:
    server = serve(
        f"export function handler(r) {{ return Response.text({probe}); }}", "-n", "1", "--timeout", "0.3"
    )
    text = server.get("/").text
    assert "function" not in text
    spin = serve(
        "export function handler(r) { (0, eval)('__zdl = Infinity'); for (;;) {} }",
        "-n",
        "1",
        "--timeout",
        "0.3",
    )
    assert spin.get("/", timeout=20).status_code == 500  # the deadline lives in C, not in JS


def test_finalization_callbacks_never_run_inside_another_request(serve) -> None:
    source = (
        "let seen = [];\n"
        "const registry = new FinalizationRegistry((held) => { seen.push(held); throw new Error('boom ' + held); });\n"
        "export function handler(r) {\n"
        "  if (r.path === '/leave') { registry.register({ big: new Array(1000).fill(r.url) }, 'secret-1'); }\n"
        "  let junk = []; for (let i = 0; i < 20000; i++) junk.push({ i });\n"
        "  return Response.json({ seen });\n}\n"
    )
    server = serve(source, "-n", "1", "-w", "1")
    assert server.get("/leave").status_code == 200
    for _ in range(20):
        response = server.get("/after")
        assert response.status_code == 200  # the first request's callback never answers this one
        assert "secret-1" not in response.text  # its throw replaced the runtime instead
    server.wait_for_log("FinalizationRegistry callback) threw: Error: boom secret-1", timeout=10)


def test_check_and_build_refuse_what_the_engine_refuses(tmp_path) -> None:
    handler = tmp_path / "h.js"
    handler.write_text("function handler(r) { return Response.text('x'); }\nlet a = 1;\nlet a = 2;\n")
    checked = run_zigttp("check", str(handler))
    assert checked.returncode == 1
    assert "h.js:3:7: error[ZT003]: SyntaxError: invalid redefinition of lexical identifier" in checked.stdout
    built = run_zigttp("build", str(handler), "-o", str(tmp_path / "h.pyz"))
    assert built.returncode == 1 and not (tmp_path / "h.pyz").exists()


def test_check_points_at_a_regexp_literal_the_engine_refuses(tmp_path) -> None:
    """zigttp patch 6: a bad regexp literal is reported at its own line:col, not at 1:1."""
    handler = tmp_path / "h.js"
    handler.write_text(
        "const a = 1;\nconst b = 2;\nconst r = /(ab/;\nfunction handler(r) { return Response.text('x'); }\n"
    )
    checked = run_zigttp("check", str(handler))
    assert checked.returncode == 1
    assert "h.js:3:11: error[ZT003]: SyntaxError: expecting ')'" in checked.stdout


def test_check_counts_columns_in_characters_not_utf8_bytes(tmp_path) -> None:
    handler = tmp_path / "h.js"
    handler.write_text(
        'const s = "ééééé"; let x = 1; let x = 2;\nfunction handler(r) { return Response.text(s); }\n'
    )
    checked = run_zigttp("check", str(handler))
    assert "h.js:1:37: error[ZT003]: SyntaxError: invalid redefinition" in checked.stdout


GATE_MODULE = '''
import os

import zigttp


@zigttp.native("zigttp:gate")
def check() -> bool:
    """Refuses while the test's gate file exists: the handler's top level cannot load then."""
    if os.path.exists(os.environ["GATE_FILE"]):
        raise RuntimeError("gate closed")
    return True
'''


def test_a_failed_rebuild_is_retried_and_the_slot_comes_back(serve, tmp_path) -> None:
    module = tmp_path / "gate.py"
    module.write_text(GATE_MODULE)
    gate = tmp_path / "closed"
    source = (
        'import { check } from "zigttp:gate";\ncheck();\n'
        "export function handler(r) {\n"
        "  if (r.path === '/oom') { const a = []; for (;;) a.push('x'.repeat(1000) + a.length); }\n"
        "  return Response.text('ok');\n}\n"
    )
    server = serve(
        source,
        "-n",
        "1",
        "-m",
        "1m",
        "--module",
        str(module),
        "--pool-wait-timeout-ms",
        "30000",
        env={"GATE_FILE": str(gate)},
    )
    assert server.get("/").text == "ok"
    gate.write_text("")
    assert server.get("/oom").status_code == 500  # its runtime is replaced, and the rebuild fails
    server.wait_for_log("could not rebuild its runtime (retrying", timeout=10)
    gate.unlink()
    response = server.get("/", timeout=30)  # the same slot, rebuilt on a later try
    assert (response.status_code, response.text) == (200, "ok")
    assert server.process.poll() is None
