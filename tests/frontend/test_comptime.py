"""comptime(): allowed forms fold to the reference's literal format; disallowed forms are
diagnostics at file:line:col naming the reason."""

from __future__ import annotations

import pytest

from zigttp.errors import ComptimeError
from zigttp.frontend.comptime_builtins import fnv1a
from zigttp.frontend.pipeline import compile_source


def fold(expr: str) -> str:
    code = compile_source(f"const v = comptime({expr});", "h.ts").code
    return code.removeprefix('"use strict";const v = ').removesuffix(";")


@pytest.mark.parametrize(
    ("text", "digest"),
    [
        ("content-v1", "d8c04d60"),
        ("v1", "944a4668"),
        ("", "811c9dc5"),
        ("hello", "4f9f2cab"),
    ],
)
def test_hash_is_fnv1a_32_as_8_hex_digits(text: str, digest: str) -> None:
    assert fnv1a(text) == digest
    assert fold(f'hash("{text}")') == f'"{digest}"'


@pytest.mark.parametrize(
    ("expr", "literal"),
    [
        ("1 + 2", "3"),
        ("0xFF", "255"),
        ("-5 * 2", "-10"),
        ("2 ** 10", "1024"),
        ("7 / 2", "3.5"),
        ("10 % 4", "2"),
        ("Math.PI", "3.141592653589793"),
        ("Math.sqrt(2)", "1.4142135623730951"),
        ("Math.max(1, 9, 3)", "9"),
        ("Math.round(2.5)", "3"),
        ("2 ** 31", "2147483648"),
        ("1e21", "1e+21"),
        ("0.1 + 0.2", "0.30000000000000004"),
        ("1 / 3 > 0", "true"),
        ("NaN", "NaN"),
        ("-Infinity", "-Infinity"),
        ("5 | 2", "7"),
        ("-1 >>> 0", "4294967295"),
        ("1 << 3", "8"),
        ("6 & 3 ^ 1", "3"),
        ("null ?? 4", "4"),
        ("0 || 'x'", '"x"'),
        ("1 && 2", "2"),
        ("1 === 1 ? 'a' : 'b'", '"a"'),
        ("'a' == 'a'", "true"),
        ("'  Hello World  '.trim().toUpperCase()", '"HELLO WORLD"'),
        # JS semantics: replace() with a string pattern replaces the first occurrence only.
        ("'My Blog Post'.toLowerCase().replace(' ', '-')", '"my-blog post"'),
        ("'a-b-c'.replaceAll('-', '+')", '"a+b+c"'),
        ("'hello'.slice(-3)", '"llo"'),
        ("'hello'.length", "5"),
        ("'a,b'.split(',')", '["a","b"]'),
        ("'7'.padStart(3, '0')", '"007"'),
        ("'ab'.repeat(2)", '"abab"'),
        ("'abc'.includes('b')", "true"),
        ("parseInt('42px')", "42"),
        ("parseInt('ff', 16)", "255"),
        ("parseFloat('3.25e1x')", "32.5"),
        ("JSON.parse('{\"timeout\": 30}')", "({timeout:30})"),
        ("{ a: 1, 'b-c': [true, null] }", '({a:1,"b-c":[true,null]})'),
        ("[1, 2, 3]", "[1,2,3]"),
        ("'line\\n\"q\"\\t\\\\'", '"line\\n\\"q\\"\\t\\\\"'),
        ("undefined", "undefined"),
        ("'v' + 1", '"v1"'),
        ("`plain`", '"plain"'),
    ],
)
def test_allowed_forms_fold_to_literals(expr: str, literal: str) -> None:
    assert fold(expr) == literal


@pytest.mark.parametrize(
    ("expr", "code", "reason"),
    [
        ("foo + 1", "ZT402", "unknown identifier `foo`"),
        ("Date.now()", "ZT403", "non-deterministic"),
        ("Math.random()", "ZT403", "non-deterministic"),
        ("(() => 1)()", "ZT403", "not allowed"),
        ("() => 1", "ZT401", "not allowed"),
        ("fetch('x')", "ZT403", "calling `fetch`"),
        ("`a${1}`", "ZT401", "template interpolation"),
        ("1 / 0", "ZT405", "division by zero"),
        ("hash(1)", "ZT404", "string"),
        ("x = 1", "ZT401", "not allowed"),
        ("new Date()", "ZT401", "not allowed"),
        ("JSON.parse('{bad')", "ZT404", "JSON.parse"),
    ],
)
def test_disallowed_forms_are_located_diagnostics(expr: str, code: str, reason: str) -> None:
    with pytest.raises(ComptimeError) as info:
        compile_source(f"\nconst v = comptime({expr});", "h.ts")
    diag = info.value.diagnostics[0]
    assert (diag.code, diag.file, diag.line) == (code, "h.ts", 2)
    assert diag.col >= 20
    assert reason in diag.message
    assert diag.message.startswith("comptime: ")


def test_error_points_at_the_offending_subexpression() -> None:
    with pytest.raises(ComptimeError) as info:
        compile_source("const v = comptime(1 + foo);", "h.ts")
    assert info.value.diagnostics[0].col == 24  # the `f` of `foo`


def test_depth_over_64_is_refused() -> None:
    expr = "(" * 70 + "1" + ")" * 70
    with pytest.raises(ComptimeError) as info:
        compile_source(f"const v = comptime({expr});", "h.ts")
    assert info.value.diagnostics[0].code == "ZT406"


def test_multiline_comptime_keeps_following_lines() -> None:
    code = compile_source("const v = comptime(\n  1 +\n  2);\nconst w = 1;", "h.ts").code
    assert code.splitlines()[0].endswith("const v = 3")
    assert code.splitlines()[3] == "const w = 1;"


def test_comptime_inside_jsx_child() -> None:
    code = compile_source("const el = <div>{comptime(1 + 2)}</div>;", "h.tsx").code
    assert "$j0(  3)" in code  # 3 at comptime's column
    assert 'function $j0(x0){return($j0=$j.site(["<div>",0,"</div>"]))(x0)}' in code


def test_negative_literal_after_minus_does_not_become_decrement() -> None:
    code = compile_source("const v = 1 -comptime(-2);", "h.ts").code
    assert "1 - -2" in code
