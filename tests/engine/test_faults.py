"""Every Fault kind the extension raises, from the engine's own state, and the runaway cases
a deadline must stop (loops, regex backtracking, long C loops of builtins, promise jobs)."""

from __future__ import annotations

import pytest

from tests.engine.harness import Fault, load, prelude_only, responder, run_isolated
from zigttp.runtime import _engine

QUICK = 0.2  # seconds: the deadline the runaway cases get


def test_handler_exception_kind_and_message() -> None:
    kind, message = responder("(() => { throw new RangeError('bad ' + request.url); })()").fault(url="/x")
    assert kind == "exception"
    assert message.startswith("bad /x\n")  # the prelude's report: message, then the stack


def test_top_level_exception_while_loading() -> None:
    with pytest.raises(Fault) as caught:
        prelude_only().run(_engine.compile("throw new Error('at load');", "<input>"), 1.0, False)
    assert caught.value.args[0] == "exception"
    assert caught.value.args[1].startswith("Error: at load\n    at <eval> (<input>:1")


@pytest.mark.parametrize(
    "script",
    [
        'Object.defineProperty(Error.prototype, "message", {get() { for (;;); }}); throw new Error();',
        'const e = new Error("m"); Object.defineProperty(e, "stack", {get() { for (;;); }}); throw e;',
        'Object.defineProperty(Error.prototype, "message", {get() { throw 1; }}); throw new TypeError();',
    ],
)
def test_error_getters_are_not_called_when_reporting(script: str) -> None:
    # The report is read after the deadline is disarmed, with the GIL held: a getter called
    # there hung the process for good (before the fix). Run apart so a regression fails.
    done = run_isolated(
        "from zigttp.runtime import _engine\n"
        "for how in ('run', 'eval'):\n"
        "    runtime = _engine.Runtime(0, 1 << 20, 0, print)\n"
        f"    script = {script!r}\n"
        "    try:\n"
        "        if how == 'run': runtime.run(_engine.compile(script, '<t>'), 0.2, False)\n"
        "        else: runtime.eval(script, '<t>', 0.2)\n"
        "    except _engine.Fault as exc:\n"
        "        print(how, exc.args[0])\n",
        timeout=30,
    )
    assert done.stdout.split("\n")[:2] == ["run exception", "eval exception"], done.stderr


def test_seal_calls_no_getter_of_the_watched_builtins() -> None:
    # seal() records the watched builtins' descriptors in C (native/engine/integrity.c): a
    # looping getter the top level put on one of them is recorded, never called (it held the
    # runtime build forever when the JS snapshot read it). Run apart so a regression fails.
    done = run_isolated(
        "from tests.engine.harness import _engine, prelude_only\n"
        "runtime = prelude_only()\n"
        "runtime.run(_engine.compile(\"Object.defineProperty(Array.prototype, 'join', {get() { for (;;); }});\", 'h'),"
        " 1.0, False)\n"
        "try:\n"
        "    runtime.seal()\n"
        "    print('sealed', runtime.tainted)\n"
        "except _engine.Fault as exc:\n"
        "    print(exc.args[0])\n",
        timeout=30,
    )
    assert done.stdout.strip() == "sealed False", done.stderr


def test_thrown_non_errors_are_reported_without_calling_them() -> None:
    for thrown in (
        "42",
        "'text'",
        "null",
        "Symbol('s')",
        "{toString() { for (;;); }}",
        "new Proxy({}, {get() { for (;;); }})",
    ):
        with pytest.raises(Fault) as caught:
            _engine.Runtime(0, 1 << 20, 0, print).eval(f"throw {thrown}", "<t>", QUICK)
        assert caught.value.args[0] == "exception", thrown


def test_no_handler_is_a_handler_fault() -> None:
    kind, message = load("const notAHandler = 1;").fault()
    assert kind == "handler"
    assert "no handler defined" in message


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("42", "result"),
        ("null", "result"),
        ("undefined", "result"),
        ("({})", "result"),
        ("Symbol()", "result"),
        ("() => 1", "result"),
        ("({status: 200, body: {}})", "result"),
        ("({status: 200, body: Symbol()})", "result"),
        ("({status: 99})", "exception"),  # checkStatus's RangeError: the handler's mistake, with its stack
        ("({status: 200, headers: 5})", "exception"),
        ("new Response('x', {headers: {'bad name': 'v'}})", "exception"),
    ],
)
def test_invalid_results(value: str, kind: str) -> None:
    assert responder(value).fault()[0] == kind


def test_endless_loop_hits_the_deadline() -> None:
    engine = responder("(() => { while (true) {} })()")
    assert engine.fault(timeout=QUICK) == ("timeout", "handler exceeded its time limit")


def test_the_deadline_cannot_be_caught() -> None:
    engine = responder("(() => { try { while (true) {} } catch (e) {} finally { return 'caught'; } })()")
    assert engine.fault(timeout=QUICK)[0] == "timeout"


def test_deadline_covers_eval_and_function_code() -> None:
    assert responder("(0, eval)('for (;;);')").fault(timeout=QUICK)[0] == "timeout"
    assert responder("Function('while (1);')()").fault(timeout=QUICK)[0] == "timeout"


def test_catastrophic_regex_hits_the_deadline() -> None:
    engine = responder("String(/^(a+)+$/.test('a'.repeat(32) + '!'))")
    assert engine.fault(timeout=QUICK)[0] == "timeout"


@pytest.mark.parametrize(
    "call",
    [
        "Array.prototype.reverse.call(o)",
        "Array.prototype.fill.call(o, 1)",
        "Array.prototype.copyWithin.call(o, 1, 0)",
        "Array.prototype.splice.call(o, 0, 1)",
        "Array.prototype.shift.call(o)",
    ],
)
def test_long_builtin_loops_stop_at_the_deadline(call: str) -> None:
    # engine patch 4: these loop over 2**40 indices in C; they poll the interrupt handler
    engine = responder(f"(() => {{ const o = {{length: 2 ** 40}}; {call}; return 'done'; }})()")
    assert engine.fault(timeout=QUICK)[0] == "timeout"


def test_deadline_covers_promise_jobs() -> None:
    engine = load("async function handler() { await null; while (true) {} }")
    assert engine.fault(timeout=QUICK)[0] == "timeout"


def test_a_promise_that_never_settles_is_a_result_fault() -> None:
    kind, message = load("function handler() { return new Promise(() => {}); }").fault()
    assert kind == "result"
    assert "never settled" in message


def test_async_handler_answers_after_its_jobs() -> None:
    engine = load("async function handler(r) { await null; await null; return Response.text(r.method); }")
    assert engine.dispatch(method="POST")[2] == b"POST"


def test_out_of_memory_under_a_limit() -> None:
    engine = responder(
        "(() => { const keep = []; for (;;) keep.push('x'.repeat(1 << 16) + keep.length); })()",
        memory=1 << 20,
    )
    assert engine.fault()[0] == "memory"


def test_out_of_memory_wins_over_a_catch() -> None:
    engine = responder(
        "(() => { try { return 'y'.repeat(1 << 24); } catch (e) { return 'survived'; } })()", memory=1 << 20
    )
    assert engine.fault()[0] == "memory"


def test_out_of_memory_inside_a_builtin() -> None:
    engine = responder(
        "(() => { const s = '\\u1e9b\\u0323'.repeat(1 << 16); return s.normalize('NFKD'); })()",
        memory=256 * 1024,
    )
    assert engine.fault()[0] == "memory"


def test_a_request_body_past_the_memory_limit_is_a_memory_fault() -> None:
    engine = responder("'ok'", memory=64 * 1024)
    assert engine.fault(body=b"z" * (1 << 20), method="POST") == ("memory", "out of memory")
    assert engine.dispatch(body=b"small", method="POST")[2] == b"ok"


def test_call_depth_cap() -> None:
    engine = responder("(() => { const f = (n) => f(n + 1); return f(0); })()", stack=4 << 20, depth=1024)
    assert engine.fault()[0] == "depth"


def test_native_stack_overflow() -> None:
    engine = responder("(() => { const f = (n) => f(n + 1) + 1; return f(0); })()", stack=256 * 1024, depth=0)
    assert engine.fault()[0] == "stack"


def test_faults_leave_the_runtime_serving() -> None:
    engine = load(
        "function handler(r) {\n"
        "  if (r.url === '/throw') throw new Error('x');\n"
        "  if (r.url === '/deep') { const f = (n) => f(n + 1); f(0); }\n"
        "  if (r.url === '/bad') return 42;\n  return 'ok';\n}",
        stack=4 << 20,
    )
    for url in ("/throw", "/deep", "/bad"):
        engine.fault(url=url)
        assert engine.dispatch()[2] == b"ok", url


def test_leftover_jobs_past_the_budget_ask_for_replacement() -> None:
    engine = load("function handler() { Promise.resolve().then(() => { for (;;); }); return 'ok'; }")
    assert engine.dispatch()[2] == b"ok"  # a synchronous answer: the job is left over
    assert engine.runtime.settle_leftovers(QUICK) is not None  # why it must be replaced


def test_finalizer_past_the_budget_asks_for_replacement() -> None:
    engine = load(
        "const registry = new FinalizationRegistry(() => { for (;;); });\n"
        "function handler() { registry.register({}, 1); return 'ok'; }"
    )
    assert engine.dispatch()[2] == b"ok"
    engine.runtime.eval("for (let i = 0; i < 20000; i++) ({}); 0")  # a GC: the callback is queued
    assert engine.runtime.settle_leftovers(QUICK) is not None  # why it must be replaced
