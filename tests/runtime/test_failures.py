"""Typed failures (spec §9): each becomes a 500 (or 503) and every runtime keeps serving."""

from __future__ import annotations

import concurrent.futures
import time

FAULTS = r"""
let served = 0;
function depth(n) { return n === 0 ? 0 : 1 + depth(n - 1); }
function handler(req) {
  served++;
  const p = req.path;
  if (p === "/throw") throw new Error("boom on purpose");
  if (p === "/throw-string") throw "a plain string";
  if (p === "/throw-object") throw {code: 7};
  if (p === "/oom") { const hog = []; for (;;) hog.push("x".repeat(4096) + hog.length); }
  if (p === "/recurse") return Response.json({depth: depth(Number(req.query.n))});
  if (p === "/forever") { for (;;) {} }
  if (p === "/number") return 42;
  if (p === "/undefined") return undefined;
  if (p === "/plain-object") return {hello: "world"};
  if (p === "/bad-status") return Response.json({}, {status: 1000});
  if (p === "/bad-header") return Response.text("x", {headers: {"X-Bad": "a\r\nInjected: 1"}});
  if (p === "/big") return Response.text("y".repeat(11 * 1024 * 1024));
  return Response.json({ok: true, served});
}
"""


def _all_runtimes_ok(server, count: int) -> None:
    with concurrent.futures.ThreadPoolExecutor(count) as pool:
        statuses = list(pool.map(lambda _: server.get("/").status_code, range(count * 3)))
    assert statuses == [200] * (count * 3)


def test_js_exception_is_500_with_its_message_then_200(serve) -> None:
    server = serve(FAULTS, "-n", "2")
    response = server.get("/throw")
    assert response.status_code == 500
    assert response.text == "boom on purpose"
    assert server.get("/").status_code == 200


def test_thrown_non_error_values_are_500_with_their_string(serve) -> None:
    server = serve(FAULTS, "-n", "1")
    assert (server.get("/throw-string").status_code, server.get("/throw-string").text) == (
        500,
        "a plain string",
    )
    assert server.get("/throw-object").status_code == 500
    assert server.get("/").status_code == 200


def test_exception_stack_in_log_names_the_users_file_and_line(serve, tmp_path) -> None:
    handler = tmp_path / "lines.js"
    handler.write_text("\n" * 16 + "function handler(r) { throw new Error('line seventeen') }\n")
    server = serve(handler)
    server.get("/")
    log = server.wait_for_log("line seventeen")
    assert f"{handler}:17:" in log
    time.sleep(0.2)  # the rest of the stack follows the message line
    lines = [line for line in server.stderr.splitlines() if str(handler) in line]
    # only the handler's own frames: the prelude's (also evaluated as <input>) must not be
    # mapped onto this 17-line file as lines it does not have
    assert lines and all(f"{handler}:17:" in line for line in lines), lines


def test_out_of_memory_under_m_is_500_and_the_runtime_is_replaced(serve) -> None:
    server = serve(FAULTS, "-n", "2", "-m", "16m")
    response = server.get("/oom")
    assert response.status_code == 500
    assert "memory" in response.text
    server.wait_for_log("MemoryLimitExceeded")
    _all_runtimes_ok(server, 2)


def test_recursion_to_depth_1000_works(serve) -> None:
    server = serve(FAULTS, "-n", "1")
    assert server.get("/recurse?n=1000").json() == {"depth": 1000}


def test_unbounded_recursion_is_500_then_200(serve) -> None:
    server = serve(FAULTS, "-n", "1")
    response = server.get("/recurse?n=10000000")
    assert response.status_code == 500
    assert "stack" in response.text.lower() or "depth" in response.text.lower()
    assert server.get("/").status_code == 200


def test_infinite_loop_hits_the_timeout_then_the_runtime_serves_again(serve) -> None:
    server = serve(FAULTS, "-n", "1", "--timeout", "0.5")
    started = time.monotonic()
    response = server.get("/forever", timeout=20)
    assert response.status_code == 500
    assert "time limit" in response.text
    assert time.monotonic() - started < 10
    assert server.get("/").status_code == 200


def test_non_response_returns_are_500_naming_the_problem(serve) -> None:
    server = serve(FAULTS, "-n", "1")
    assert "returned number" in server.get("/number").text
    assert "returned undefined" in server.get("/undefined").text
    plain = server.get("/plain-object")
    assert plain.status_code == 500 and "Response.json" in plain.text
    assert server.get("/").status_code == 200


def test_invalid_status_and_header_injection_are_500(serve) -> None:
    server = serve(FAULTS, "-n", "1")
    assert server.get("/bad-status").status_code == 500
    response = server.get("/bad-header")
    assert response.status_code == 500
    assert "injected" not in {k.lower() for k in response.headers}


def test_response_over_the_cap_is_500(serve) -> None:
    server = serve(FAULTS, "-n", "1")
    response = server.get("/big")
    assert response.status_code == 500
    assert "exceeds" in response.text


def test_missing_handler_is_500_with_a_clear_message(serve) -> None:
    server = serve("const notTheHandler = 1;", "-n", "1")
    response = server.get("/")
    assert response.status_code == 500
    assert "no handler defined" in response.text


def test_non_callable_handler_is_500(serve) -> None:
    server = serve("const handler = 42;", "-n", "1")
    assert server.get("/").status_code == 500


def test_every_fault_in_turn_leaves_every_runtime_serving(serve) -> None:
    server = serve(FAULTS, "-n", "2", "-m", "32m", "--timeout", "0.5")
    for path in ["/throw", "/oom", "/recurse?n=10000000", "/forever", "/number", "/throw-string"]:
        assert server.get(path, timeout=20).status_code == 500, path
    _all_runtimes_ok(server, 2)
