"""TypeScript stripping keeps positions; value-producing TS (enum, namespace) runs like tsc's
output; constructs we cannot generate are errors with a fix hint."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zigttp.errors import TypeStripError
from zigttp.frontend.build import build_inline
from zigttp.frontend.pipeline import compile_source
from zigttp.frontend.result import Options


def strip(source: str, filename: str = "h.ts") -> str:
    """The front end's output alone (no engine compile: generated code may redeclare names)."""
    compiled = build_inline(source, filename, Options())
    if compiled.errors:
        raise TypeStripError(list(compiled.errors))
    return compiled.code.removeprefix('"use strict";')


def test_annotation_becomes_spaces_keeping_columns() -> None:
    assert strip("let x: number = 1;") == "let x         = 1;"


def test_multiline_interface_keeps_line_count() -> None:
    source = "interface A {\n  a: number;\n  b: string;\n}\nconst y = 2;"
    out = strip(source)
    assert out.count("\n") == 4 and out.splitlines()[4] == "const y = 2;"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("const a = b as string;", "const a = b          ;"),
        ("const a = b satisfies T;", "const a = b            ;"),
        ("const a = [1] as const;", "const a = [1]         ;"),
        ("const a = b!.c;", "const a = b .c;"),
        ("const a = f<number>(1);", "const a = f        (1);"),
        ("const m = new Map<string, number>();", "const m = new Map                ();"),
        (
            "function f<T>(x?: T): T | undefined { return x; }",
            "function f   (x    )                { return x; }",
        ),
        ("let v!: number;", "let v         ;"),
        ("import type { A } from './a';", "                             "),
        ("export type { A };", "                  "),
        ("declare const q: number;", "                        "),
        ("class C implements I { }", "class C              { }"),
    ],
)
def test_type_constructs_are_blanked(source: str, expected: str) -> None:
    assert strip(source) == expected


def test_angle_bracket_assertion_in_ts() -> None:
    assert strip("const n = <number>x;") == "const n =         x;"


def test_type_only_import_specifiers_are_elided() -> None:
    assert strip('import { type A } from "zigttp:env";').strip() == ""  # nothing to import


def test_enum_matches_tsc_semantics(js: Any) -> None:
    code = compile_source(
        "enum E { A, B = 10, C, D = 'd' }\nconst out = [E.A, E.B, E.C, E[11], E.D, E['d']];", "h.ts"
    ).code
    assert js(code, "JSON.stringify(out)") == '[0,10,11,"C","d",null]'


def test_namespace_exports_become_properties(js: Any) -> None:
    code = compile_source(
        "namespace NS {\n  export const a = 1;\n  const hidden = 2;\n"
        "  export function f() { return a + hidden; }\n}\nconst out = [NS.a, NS.f(), NS.hidden];",
        "h.ts",
    ).code
    assert js(code, "JSON.stringify(out)") == "[1,3,null]"


def test_parameter_properties_are_refused_with_hint() -> None:
    with pytest.raises(TypeStripError) as info:
        compile_source("class P { constructor(private x: number) {} }", "h.ts")
    diag = info.value.diagnostics[0]
    assert diag.code == "ZT010" and "this.x = x" in diag.hint


def test_decorators_are_refused_with_hint() -> None:
    with pytest.raises(TypeStripError) as info:
        compile_source("@dec\nclass P {}", "h.ts")
    assert info.value.diagnostics[0].code == "ZT011"
    assert info.value.diagnostics[0].line == 1


def test_dotted_namespace_is_refused() -> None:
    with pytest.raises(TypeStripError) as info:
        compile_source("namespace A.B { export const x = 1; }", "h.ts")
    assert info.value.diagnostics[0].code == "ZT012"


def test_overloads_keep_only_the_implementation(js: Any) -> None:
    source = (
        "function f(x: string): string;\nfunction f(x: number): number;\n"
        "function f(x: any): any { return x; }\nconst out = f(3);"
    )
    assert js(compile_source(source, "h.ts").code, "out") == 3


def test_abstract_class_runs(js: Any) -> None:
    source = (
        "abstract class S { abstract area(): number;\n"
        "  twice(): number { return this.area() * 2; } }\n"
        "class Q extends S { area(): number { return 2; } }\nconst out = new Q().twice();"
    )
    assert js(compile_source(source, "h.ts").code, "out") == 4


def test_tsx_generic_arrow_and_jsx_together(js: Any) -> None:
    source = "const id = <T,>(x: T): T => x;\nconst out = renderToString(<b>{id<string>('k')}</b>);"
    assert js(compile_source(source, "h.tsx").code, "out") == "<b>k</b>"


FRAGMENTS = st.sampled_from(
    [
        "let a: number = 1;",
        "interface I {\n  x: string;\n}",
        "type T =\n  | 'a'\n  | 'b';",
        "function f<T>(x: T,\n  y?: number): T { return x; }",
        "const b = (a as any)!;",
        "enum E {\n  A,\n  B\n}",
        "namespace N {\n  export const z = 1;\n}",
        "const c = comptime(\n  1 + 2\n);",
        "declare const d: string;",
        "// comment: with colon",
        "const s = `multi\nline ${1}`;",
        "class K<T> implements I {\n  private p?: T;\n}",
    ]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(FRAGMENTS, min_size=1, max_size=8))
def test_stripping_never_changes_line_count(parts: list[str]) -> None:
    source = "\n".join(parts) + "\n"
    assert strip(source).count("\n") == source.count("\n")


def test_export_equals_is_refused() -> None:
    with pytest.raises(TypeStripError) as info:
        compile_source("const x = 1;\nexport = x;", "h.ts")
    assert (info.value.diagnostics[0].code, info.value.diagnostics[0].line) == ("ZT013", 2)
