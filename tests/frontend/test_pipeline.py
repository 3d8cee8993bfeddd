"""The pipeline contract the runtime relies on (see `zigttp/frontend/pipeline.py`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from zigttp.errors import SourceError, SyntaxDiagnosticError
from zigttp.frontend.pipeline import CompiledHandler, LineSpan, compile_file, compile_source

Write = Callable[[str, str], Path]


def test_use_strict_on_line_one_without_newline() -> None:
    code = compile_source("function handler() {}\n", "h.js").code
    assert code.startswith('"use strict";function handler()')


def test_plain_javascript_passes_through_with_only_the_guard() -> None:
    source = "function handler(req) {\n  return Response.text(req.path);\n}\n"
    assert compile_source(source, "h.js").code == '"use strict";' + source


@pytest.mark.parametrize(
    ("source", "expression", "expected"),
    [
        ("export function handler() { return 1; }", "handler()", 1),
        ("export const handler = () => 2;", "handler()", 2),
        ("export default function handler() { return 3; }", "__zigttp_exports.default()", 3),
        ("export default function () { return 4; }", "__zigttp_exports.default()", 4),
        ("export default { fetch(req) { return 5; } };", "__zigttp_exports.default.fetch()", 5),
        ("const h2 = () => 6;\nexport default h2;", "__zigttp_exports.default()", 6),
        ("function handler() { return 7; }\nexport { handler };", "__zigttp_exports.handler()", 7),
        ("function f() { return 8; }\nexport { f as handler };", "__zigttp_exports.handler()", 8),
        (
            "export default class { static fetch() { return 9; } }",
            "__zigttp_exports.default.fetch()",
            9,
        ),
    ],
)
def test_export_forms_reach_the_runtime(source: str, expression: str, expected: int, js: Any) -> None:
    assert js(compile_source(source, "h.js").code, expression) == expected


def test_exports_assignment_does_not_shift_entry_lines() -> None:
    source = "export function handler() {\n  return 1;\n} // trailing comment"
    code = compile_source(source, "h.js").code
    assert code.splitlines()[2].startswith("}")
    assert code.splitlines()[3].startswith("globalThis.__zigttp_exports")


def test_no_import_or_export_syntax_is_left(js: Any) -> None:
    source = (
        'import { env } from "zigttp:env";\nexport const a = 1;\n'
        "export default function handler() { return env('x'); }\n"
    )
    assert js(compile_source(source, "h.js").code, "__zigttp_exports.default()") == "env:x"


def test_errors_raise_source_error_subclass() -> None:
    with pytest.raises(SourceError) as info:
        compile_source("with (o) {}", "h.js")  # the engine's strict-mode SyntaxError
    assert (
        info.value.diagnostics[0].headline() == "h.js:1:1: error[ZT003]: SyntaxError: invalid keyword: with"
    )


def test_full_javascript_compiles_in_the_default_profile() -> None:
    """Issue 17 item 6: `var`, `new Date(...)`, holes and `==` are ordinary JavaScript."""
    compiled = compile_source(
        "var a = [1,,2]; const d = new Date(0);\nfunction handler(r) { return r == a ? d : null; }", "h.js"
    )
    assert [d.severity for d in compiled.diagnostics if d.severity == "error"] == []


def test_syntax_error_is_located() -> None:
    with pytest.raises(SyntaxDiagnosticError) as info:
        compile_source("function handler( {", "h.js")
    assert info.value.diagnostics[0].code == "ZT001"


def test_jsx_in_a_ts_file_suggests_renaming() -> None:
    with pytest.raises(SyntaxDiagnosticError) as info:
        compile_source("const a = 1;\nconst el = <div>hi</div>;\n", "h.ts")
    assert any("rename" in d.hint for d in info.value.diagnostics)


def test_warnings_ride_along() -> None:
    compiled = compile_source("function handler(r) { return r + nope; }", "h.js")
    assert [d.code for d in compiled.diagnostics] == ["ZT204"]


def test_missing_handler_does_not_block_serve() -> None:
    """serve answers 500 at request time instead (spec §2); only `check` reports ZT107."""
    assert "ZT107" not in [d.code for d in compile_source("const x = 1;", "h.js").diagnostics]


def test_relative_import_needs_a_file() -> None:
    with pytest.raises(SourceError) as info:
        compile_source('import { a } from "./a";', "<inline>")
    assert info.value.diagnostics[0].code == "ZT503"


def test_compile_file_records_filename_and_files(write: Write) -> None:
    path = write("h.tsx", "export function handler() { return <p/>; }\n")
    compiled = compile_file(path, use_cache=False)
    assert compiled.filename == str(path)
    assert compiled.files == (str(path.resolve()),)


def test_byte_order_mark_is_dropped(write: Write) -> None:
    path = write("h.js", "\ufefffunction handler() { return 1; }\n")
    assert compile_file(path, use_cache=False).code.startswith('"use strict";function')


def test_non_ascii_columns_count_characters() -> None:
    compiled = compile_source('const s = "ééé"; nope(s);\nfunction handler() {}', "h.js")
    assert compiled.diagnostics[0].col == 18


def test_locate_defaults_to_entry_file() -> None:
    handler = CompiledHandler(filename="h.ts", code="", line_map=(LineSpan(10, 12, "dep.ts", 1),))
    assert handler.locate(3) == ("h.ts", 3)
    assert handler.locate(11) == ("dep.ts", 2)


def test_stack_trace_lines_match_the_source(js: Any) -> None:
    source = (
        "interface I { a: number }\n"
        "function handler(req: I): string {\n"
        "  const x: number = 1;\n"
        "  throw new Error('line 4');\n"
        "}\n"
    )
    code = compile_source(source, "h.ts").code
    stack = js(code, "(() => { try { handler({a: 1}); } catch (e) { return e.stack; } })()")
    assert "<input>:4:" in stack


def test_compiles_are_thread_safe() -> None:
    from concurrent.futures import ThreadPoolExecutor

    source = "interface I { a: number }\nexport function handler(r: I) { return <p>{r.a}</p>; }\n"
    expected = compile_source(source, "h.tsx").code
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: compile_source(source, "h.tsx").code, range(40)))
    assert set(results) == {expected}


def test_leading_and_trailing_blank_lines_are_kept(js: Any) -> None:
    source = "\n\n\nfunction handler() {\n  throw new Error('line 5');\n}\n\n\n"
    code = compile_source(source, "h.js").code
    assert code.count("\n") == source.count("\n")
    stack = js(code, "(() => { try { handler(); } catch (e) { return e.stack; } })()")
    assert "<input>:5:" in stack


def test_missing_entry_file_is_a_plain_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as info:
        compile_file(tmp_path / "nope.ts", use_cache=False)
    assert type(info.value) is SourceError
    assert info.value.diagnostics[0].code == "ZT002"
