"""The extension's C API, called directly: what each Runtime method and compile() promise."""

from __future__ import annotations

import gc
import json
import threading

import pytest

from tests.engine.harness import Fault, load, responder
from zigttp.runtime import _engine
from zigttp.runtime.engine import runtime_bytecode


def bare(memory: int = 0) -> _engine.Runtime:
    return _engine.Runtime(memory, 1 << 20, 0, lambda _level, _text: None)


def test_compile_returns_bytecode_that_run_evaluates() -> None:
    runtime = bare()
    runtime.run(_engine.compile("globalThis.x = 6 * 7;", "<t>"), 1.0, False)
    assert runtime.eval("x") == "42"


def test_compile_error_carries_message_and_position() -> None:
    with pytest.raises(_engine.CompileError) as caught:
        _engine.compile("let a = 1;\nlet a = 2;", "file.js")
    message = caught.value.args[0]
    assert message == "invalid redefinition of lexical identifier\n    at file.js:2:7\n"


def test_engine_version_names_the_patch_level() -> None:
    assert _engine.ENGINE_VERSION.startswith("quickjs-ng ")
    assert "+zigttp." in _engine.ENGINE_VERSION


def test_install_prelude_then_dispatch_answers() -> None:
    engine = responder('Response.json({m: request.method, u: request.url, h: request.headers.get("x-a")})')
    status, head, body = engine.dispatch(method="PUT", url="/p?q=1", headers="x-a\0b\0")
    assert status == 200
    assert head == b"content-type: application/json\r\n"
    assert json.loads(body) == {"m": "PUT", "u": "/p?q=1", "h": "b"}


def test_install_prelude_refuses_a_script_without_the_dispatcher() -> None:
    runtime = bare()
    with pytest.raises(RuntimeError, match="dispatch"):
        runtime.install_prelude(_engine.compile("(function (hooks) { return {}; })", "<t>"))


def test_run_with_hooks_requires_a_function() -> None:
    with pytest.raises(Fault) as caught:
        bare().run(_engine.compile("42", "<t>"), 1.0, True)
    assert caught.value.args[0] == "exception"
    assert "did not evaluate to a function" in caught.value.args[1]


def test_hooks_are_not_reachable_from_globals() -> None:
    # the C hooks by name, on globals and one level below them (the prelude keeps them in closures)
    engine = responder(
        "(() => { const found = [], names = ['host', 'utf8Decode', 'utf8Encode'];\n"
        "  for (const k of Object.getOwnPropertyNames(globalThis)) {\n"
        "    const v = globalThis[k];\n"
        "    if (typeof v === 'function' && names.includes(v.name)) found.push(k);\n"
        "    if (v && (typeof v === 'object' || typeof v === 'function')) for (const j of Object.getOwnPropertyNames(v)) {\n"
        "      let w; try { w = v[j]; } catch (e) { continue; }\n"
        "      if (typeof w === 'function' && names.includes(w.name)) found.push(k + '.' + j);\n"
        "    }\n  }\n  return Response.json(found); })()"
    )
    assert json.loads(engine.dispatch()[2]) == []


def test_eval_returns_json_or_none() -> None:
    runtime = bare()
    assert runtime.eval("({a: [1, 'x']})") == '{"a":[1,"x"]}'
    assert runtime.eval("undefined") is None
    assert runtime.eval("Promise.resolve(1).then((v) => { globalThis.v = v; }); 0") == "0"
    assert runtime.eval("v") == "1"  # the job ran before eval returned


def test_eval_exception_is_a_fault_with_the_stack() -> None:
    with pytest.raises(Fault) as caught:
        bare().eval("function f() { throw new TypeError('nope'); }\nf()", "t.js")
    kind, message = caught.value.args
    assert kind == "exception"
    assert message.startswith("TypeError: nope\n")
    assert "t.js:1" in message


def test_memory_used_grows_with_allocations() -> None:
    runtime = bare()
    before = runtime.memory_used()
    runtime.eval("globalThis.keep = new Array(100000).fill(1); 0")
    assert runtime.memory_used() > before + 400_000


def test_limit_memory_counts_from_the_current_baseline() -> None:
    runtime = bare(memory=256 * 1024)
    runtime.eval("globalThis.big = 'x'.repeat(4 << 20); 0")  # before the cap: allowed
    runtime.limit_memory()
    runtime.eval("globalThis.small = new Array(1000).fill(0); 0")  # under the cap
    with pytest.raises(Fault) as caught:
        runtime.eval("globalThis.more = 'y'.repeat(1 << 20); 0")
    assert caught.value.args[0] == "memory"


def test_seal_makes_builtin_changes_taint_the_runtime() -> None:
    engine = load(
        "Array.prototype.push = Array.prototype.push;  // top level: allowed\n"
        "function handler(r) { if (r.url === '/t') JSON.parse = () => 1; return 'ok'; }"
    )
    engine.dispatch()
    assert engine.runtime.tainted is False
    engine.dispatch(url="/t")
    assert engine.runtime.tainted is True
    assert engine.runtime.settle_leftovers(10.0) is not None  # why it must be replaced


@pytest.mark.parametrize(
    "change",
    [
        "delete String.prototype.split",
        # an accessor standing in for the method, even one answering the same function
        "Object.defineProperty(Array.prototype, 'map', {get: () => map, configurable: true})",
        "Object.defineProperty(globalThis, 'Response', {get: () => R, configurable: true})",
        "Promise.prototype.then = function then(a, b) { return then0.call(this, a, b); }",
    ],
)
def test_the_integrity_check_sees_deletions_accessors_and_replacements(change: str) -> None:
    engine = load(
        "const map = Array.prototype.map, R = Response, then0 = Promise.prototype.then;\n"
        f"function handler(r) {{ if (r.url === '/t') {{ {change}; }} return 'ok'; }}"
    )
    engine.dispatch()
    assert engine.runtime.tainted is False
    engine.dispatch(url="/t")
    assert engine.runtime.tainted is True


@pytest.mark.parametrize(
    "change",
    [
        "JSON.stringify = function stringify() { return '1'; }",
        "Object.defineProperty(Array.prototype, 'join', {get: () => join, configurable: true})",
        "delete globalThis.Headers",
        "Function.prototype.call = Function.prototype.apply",
    ],
)
def test_the_integrity_check_follows_watched_builtins_that_moved(change: str) -> None:
    """The check reads each watched property at the slot it had last time (engine patch 15): a
    request that deletes and adds other properties of the same objects (the global object,
    Array.prototype: their slots move) does not taint the runtime; a change to a watched one
    after that still does."""
    engine = load(
        "const join = Array.prototype.join;\n"
        "for (let i = 0; i < 40; i++) globalThis['top' + i] = i;\n"
        "Array.prototype.extra = 1; delete Array.prototype.at;\n"
        "function handler(r) {\n"
        "  if (r.url === '/move') { for (let i = 0; i < 40; i += 2) delete globalThis['top' + i];\n"
        "    for (let i = 0; i < 10; i++) globalThis['more' + i] = i; delete Array.prototype.extra; }\n"
        f"  if (r.url === '/t') {{ {change}; }}\n"
        "  return 'ok';\n}"
    )
    for _ in range(3):
        engine.dispatch(url="/move")
        engine.dispatch()
    assert engine.runtime.tainted is False
    engine.dispatch(url="/t")
    assert engine.runtime.tainted is True


def test_the_integrity_check_calls_no_getter() -> None:
    # A getter the top level put on a watched builtin is the reference: checked as the same
    # accessor after every request, never called (it would be handler code inside the check).
    engine = load(
        "globalThis.reads = 0; const join = Array.prototype.join;\n"
        "Object.defineProperty(Array.prototype, 'join', {get() { reads++; return join; }, configurable: true});\n"
        "function handler(r) { return String(reads); }"
    )
    assert [engine.dispatch()[2] for _ in range(3)] == [b"0", b"0", b"0"]
    assert engine.runtime.tainted is False


def test_seal_freezes_prototype_extension() -> None:
    engine = responder("(Object.prototype.isAdmin = true, Response.text(String(({}).isAdmin)))")
    # preventExtensions: a sloppy-mode handler's assignment is ignored, not planted
    assert engine.dispatch()[2] == b"undefined"


def test_settle_leftovers_with_nothing_pending_is_healthy() -> None:
    engine = responder("'ok'")
    engine.dispatch()
    assert engine.runtime.settle_leftovers(10.0) is None  # healthy


def test_settle_leftovers_runs_promise_jobs_left_by_a_request() -> None:
    engine = load(
        "globalThis.log = [];\nfunction handler() { Promise.resolve().then(() => log.push(1)); return 'ok'; }"
    )
    # the job may run during the request's own drain or in settle_leftovers, never later
    engine.dispatch()
    assert engine.runtime.settle_leftovers(10.0) is None  # healthy
    assert engine.runtime.eval("log.length") == "1"


def test_settle_leftovers_that_throw_ask_for_replacement() -> None:
    engine = load(
        "const registry = new FinalizationRegistry(() => { throw new Error('late'); });\n"
        "function handler() { registry.register({}, 1); return 'ok'; }"
    )
    engine.dispatch()
    engine.runtime.eval("for (let i = 0; i < 20000; i++) ({}); 0")  # allocation pressure: a GC
    reason = engine.runtime.settle_leftovers(10.0)  # why it must be replaced
    assert "FinalizationRegistry callback) threw: Error: late" in reason


def test_finalization_callbacks_run_only_in_settle_leftovers() -> None:
    engine = load(
        "globalThis.ran = [];\nconst registry = new FinalizationRegistry((v) => ran.push(v));\n"
        "function handler(request) {\n"
        "  if (request.url === '/register') { registry.register({}, 'gone'); return 'registered'; }\n"
        "  for (let i = 0; i < 20000; i++) ({});  // allocation pressure: the engine collects\n"
        "  return Response.text(String(ran.length));\n}"
    )
    engine.dispatch(url="/register")
    assert (
        engine.runtime.eval("(() => { for (let i = 0; i < 20000; i++) ({}); return ran.length; })()") == "0"
    )
    assert engine.dispatch(url="/count")[2] == b"0"  # collected, but the callback waits
    assert engine.runtime.settle_leftovers(10.0) is None  # healthy
    assert engine.dispatch(url="/count")[2] == b"1"


def test_a_runtime_refuses_other_threads() -> None:
    engine = responder("'ok'")
    errors: list[BaseException] = []

    def misuse() -> None:
        for call in (
            engine.dispatch,
            lambda: engine.runtime.eval("1"),
            engine.runtime.memory_used,
            engine.runtime.seal,
            engine.runtime.limit_memory,
            lambda: engine.runtime.settle_leftovers(10.0),
            lambda: engine.runtime.run(b"", 1.0, False),
            lambda: engine.runtime.install_prelude(runtime_bytecode()[0]),
        ):
            try:
                call()
            except RuntimeError as exc:
                errors.append(exc)

    worker = threading.Thread(target=misuse)
    worker.start()
    worker.join()
    assert len(errors) == 8
    assert all("thread that created it" in str(e) for e in errors)
    assert engine.dispatch()[2] == b"ok"  # still fine on its own thread


def test_a_runtime_created_on_a_thread_can_be_dropped_on_another() -> None:
    made: list[object] = []
    worker = threading.Thread(target=lambda: made.append(responder("'ok'")))
    worker.start()
    worker.join()
    made.clear()  # freed here, on another thread's stack
    gc.collect()


def test_reentry_from_a_hook_is_refused_not_a_crash() -> None:
    holder: list[_engine.Runtime] = []
    seen: list[str] = []

    def console(level: str, text: str) -> None:
        try:
            holder[0].eval("1")
        except RuntimeError as exc:
            seen.append(str(exc))

    runtime = _engine.Runtime(0, 1 << 20, 0, console)
    holder.append(runtime)
    prelude = runtime_bytecode()[0]
    runtime.install_prelude(prelude)
    runtime.run(_engine.compile("function handler() { console.log('x'); return 'ok'; }", "<t>"), 1.0, False)
    runtime.seal()
    assert runtime.dispatch("GET", "/", "", None, 10.0)[2] == b"ok"
    assert seen == ["Runtime re-entered from a hook"]


def test_dispatch_checks_its_argument_types() -> None:
    engine = responder("'ok'")
    with pytest.raises(TypeError):
        engine.runtime.dispatch("GET", "/", "", "not bytes", 1.0)
    with pytest.raises(TypeError):
        engine.runtime.dispatch("GET", "/", "")
    with pytest.raises(TypeError):
        engine.runtime.dispatch("GET", "/", "", None, "soon")
    assert engine.dispatch()[2] == b"ok"


@pytest.mark.parametrize("timeout", [float("inf"), 1e300, 1e12, float("nan"), -1.0, 0.0])
def test_any_timeout_value_is_safe(timeout: float) -> None:
    # huge values must mean "far away", not overflow into a deadline in the past
    engine = responder("(() => { let n = 0; for (let i = 0; i < 1e5; i++) n += i; return String(n); })()")
    assert engine.dispatch(timeout=timeout)[2] == b"4999950000"  # loops poll the deadline
    assert engine.runtime.eval("for (let i = 0; i < 1e5; i++); 1", "<t>", timeout) == "1"
    assert engine.runtime.settle_leftovers(timeout) is None  # healthy


def test_constructor_validates_limits() -> None:
    with pytest.raises(ValueError):
        _engine.Runtime(-1, 0, 0, print)
    with pytest.raises(TypeError):
        _engine.Runtime(0, 0, 0)  # type: ignore[call-arg]


def _with_lazy(*entries: object) -> _engine.Runtime:
    return _engine.Runtime(0, 1 << 20, 0, lambda _level, _text: None, None, None, entries)


def test_load_evaluates_a_lazy_entry_with_the_hooks_and_extra_arguments() -> None:
    """hooks.load(i, ...args) calls entry i for its bytecode (each time: the caching is the
    entry's) and runs its function with (hooks, ...args)."""
    calls: list[int] = []
    code = _engine.compile("(function (hooks, a, b) { return [typeof hooks.load, a + b]; })", "<lazy>")
    runtime = _with_lazy(lambda: calls.append(1) or code)
    run = "(function (hooks) { globalThis.out = [hooks.load(0, 40, 2), hooks.load(0, 1, 1)]; })"
    runtime.run(_engine.compile(run, "<t>"), 1.0, True)
    assert json.loads(runtime.eval("out")) == [["function", 42], ["function", 2]]
    assert calls == [1, 1]


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (lambda: b"not bytecode", "exception"),
        (lambda: "text", "gave no bytecode"),
        (lambda: 1 / 0, "internal error in the load hook"),  # a bug: logged, not shown to JS
    ],
)
def test_load_turns_a_bad_lazy_entry_into_a_js_error(entry: object, expected: str) -> None:
    runtime = _with_lazy(entry)
    run = "(function (hooks) { try { hooks.load(0); globalThis.out = 'loaded'; } catch (e) { globalThis.out = String(e); } })"
    runtime.run(_engine.compile(run, "<t>"), 1.0, True)
    out = json.loads(runtime.eval("out"))
    assert out != "loaded" and (expected == "exception" or expected in out)


def test_load_refuses_an_index_outside_the_table_and_a_table_of_non_callables() -> None:
    runtime = _with_lazy()
    run = "(function (hooks) { try { hooks.load(3); } catch (e) { globalThis.out = e.name + ': ' + e.message; } })"
    runtime.run(_engine.compile(run, "<t>"), 1.0, True)
    assert json.loads(runtime.eval("out")) == "RangeError: load: no lazy script 3"
    with pytest.raises(TypeError, match="callables"):
        _with_lazy(b"bytecode")


def test_watch_takes_a_descriptor_only_on_the_owner_thread() -> None:
    runtime = bare()
    runtime.watch(-1)
    with pytest.raises(ValueError):
        runtime.watch(1 << 40)
    failures: list[BaseException] = []

    def elsewhere() -> None:
        try:
            runtime.watch(0)
        except RuntimeError as exc:
            failures.append(exc)

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()
    assert len(failures) == 1 and "thread that created it" in str(failures[0])


def test_utf8_decode_drops_a_leading_bom_unless_asked_to_keep_it() -> None:
    """utf8Decode(bytes) is WHATWG's "UTF-8 decode" (a leading BOM dropped);
    utf8Decode(bytes, true) is "UTF-8 decode without BOM" (URLs, forms, streams past their
    first chunk): the BOM is data. Only a leading one is ever touched."""
    runtime = bare()
    run = (
        "(function (hooks) { const b = new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0xef, 0xbb, 0xbf]);\n"
        "  globalThis.out = [hooks.utf8Decode(b), hooks.utf8Decode(b, true), hooks.utf8Decode(b.subarray(3))]; })"
    )
    runtime.run(_engine.compile(run, "<t>"), 1.0, True)
    assert json.loads(runtime.eval("out")) == ["a\ufeff", "\ufeffa\ufeff", "a\ufeff"]
