"""Call-depth guard: depth 1,000 works, beyond 1,024 frames is a CallStackOverflow, and
instrumented code behaves exactly like uninstrumented code."""

from __future__ import annotations

from typing import Any

import pytest

from zigttp.frontend.pipeline import compile_source

RECURSIVE = """
function depth(n) { return n === 0 ? 0 : 1 + depth(n - 1); }
const arrow = (n) => n === 0 ? 0 : 1 + arrow(n - 1);
const obj = { m(n) { return n === 0 ? 0 : 1 + this.m(n - 1); } };
const expr = function (n) { return n === 0 ? 0 : 1 + expr(n - 1); };
function overflow(kind, n) {
  try { return kind(n); } catch (e) { return String(e); }
}
"""


@pytest.mark.parametrize("fn", ["depth", "arrow", "obj.m.bind(obj)", "expr"])
def test_recursion_to_1000_works(fn: str, js: Any) -> None:
    code = compile_source(RECURSIVE, "h.js").code
    assert js(code, f"{fn}(1000)") == 1000


@pytest.mark.parametrize("fn", ["depth", "arrow", "obj.m.bind(obj)", "expr"])
def test_beyond_1024_frames_is_call_stack_overflow(fn: str, js: Any) -> None:
    code = compile_source(RECURSIVE, "h.js").code
    assert js(code, f"overflow({fn}, 1100)") == "RangeError: CallStackOverflow"


def test_counter_is_balanced_after_returns_and_throws(js: Any) -> None:
    code = compile_source(RECURSIVE + "overflow(depth, 50); depth(10);", "h.js").code
    assert js(code, "__zd") == 0


BEHAVIOUR = """
function classic(a, b = 2) { if (a) { return a + b; } return -1; }
function directive() { "use strict"; return typeof this; }
const arrowObj = () => ({ k: 1 });
const arrowSeq = (x) => (x, x + 1);
const gen = function* () { yield 1; yield 2; };
class K {
  constructor(v) { this.v = v; }
  get double() { return this.v * 2; }
  static of(v) { return new K(v); }
}
class D extends K { constructor(v) { super(v + 1); } field = () => this.v; }
const nested = (a) => (b) => (c) => a + b + c;
function noBody() {}
function finallyWins() { try { return 1; } finally { } }
const result = JSON.stringify([classic(1), classic(0), arrowObj(), arrowSeq(1), [...gen()],
  K.of(3).double, nested(1)(2)(3), noBody(), finallyWins(), directive(), new D(1).field()]);
"""


def test_instrumented_code_behaves_the_same(js: Any) -> None:
    guarded = js(compile_source(BEHAVIOUR, "h.js").code, "result")
    plain = js(compile_source(BEHAVIOUR, "h.js", depth_guard=False).code, "result")
    assert guarded == plain == '[3,-1,{"k":1},2,[1,2],6,6,null,1,"undefined",2]'


def test_guard_keeps_line_numbers() -> None:
    source = "function f() {\n  return 1;\n}\nconst g = () =>\n  2;\n"
    code = compile_source(source, "h.js").code
    assert code.count("\n") == source.count("\n")
    assert code.splitlines()[1] == "  return 1;"


def test_guard_can_be_disabled() -> None:
    assert (
        "__zd" not in compile_source("function f() { return 1; }", "h.js", depth_guard=False).code
    )
