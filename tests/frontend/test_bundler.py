"""Relative imports are bundled into one script; the entry keeps its lines; dependency lines
map back to their files; errors (missing file, cycle, escaping the root) are located."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from zigttp.errors import ModuleResolutionError
from zigttp.frontend.pipeline import compile_file

Write = Callable[[str, str], Path]


def test_named_default_and_namespace_imports_run(project: Path, write: Write, js: Any) -> None:
    write(
        "utils.ts",
        "export const x: number = 2;\nexport default function twice(n: number) { return n * 2; }\n",
    )
    write("math/index.js", "export function add(a, b) { return a + b; }\n")
    entry = write(
        "handler.ts",
        (
            'import twice, { x } from "./utils.ts";\n'
            'import * as m from "./math";\n'
            "export function handler() { return twice(x) + m.add(1, 2); }\n"
        ),
    )
    compiled = compile_file(entry, use_cache=False)
    assert js(compiled.code, "handler()") == 7
    assert js(compiled.code, "globalThis.__zigttp_exports.handler()") == 7


def test_entry_lines_are_preserved_exactly(project: Path, write: Write) -> None:
    write("dep.ts", "export const a = 1;\n")
    source = 'import { a } from "./dep";\n\nexport function handler() {\n  return a;\n}\n'
    entry = write("handler.ts", source)
    code = compile_file(entry, use_cache=False).code
    assert code.startswith('"use strict";const { a } = __zigttp_mod_1();')
    assert code.splitlines()[3] == "  return a;"


def test_locate_maps_dependency_lines_to_their_file(project: Path, write: Write) -> None:
    write("dep.ts", "export const a = 1;\nexport function boom() {\n  throw new Error('x');\n}\n")
    entry = write("handler.ts", 'import { boom } from "./dep";\nexport function handler() { boom(); }\n')
    compiled = compile_file(entry, use_cache=False)
    lines = compiled.code.splitlines()
    throw_line = next(i for i, text in enumerate(lines, 1) if "throw new Error" in text)
    file, line = compiled.locate(throw_line)
    assert Path(file).name == "dep.ts" and line == 3
    assert compiled.locate(2) == (str(entry), 2)


def test_stack_trace_line_maps_back_to_dependency(
    project: Path, write: Write, context: Callable[[], Any]
) -> None:
    write("dep.js", "export function boom() {\n  throw new Error('bad');\n}\n")
    entry = write("handler.js", 'import { boom } from "./dep.js";\nfunction handler() { return boom(); }\n')
    compiled = compile_file(entry, use_cache=False)
    ctx = context()
    ctx.eval(compiled.code)
    stack = ctx.eval("(() => { try { handler(); } catch (e) { return e.stack; } })()")
    line = int(stack.split("<input>:")[1].split(":")[0])
    assert Path(compiled.locate(line)[0]).name == "dep.js"
    assert compiled.locate(line)[1] == 2


def test_reexports_and_export_star(project: Path, write: Write, js: Any) -> None:
    write("a.ts", "export const one = 1;\nexport const two = 2;\nexport default 'A';\n")
    write(
        "b.ts",
        'export * from "./a";\nexport { one as uno } from "./a";\nexport * as all from "./a";\n',
    )
    entry = write(
        "handler.ts",
        (
            'import { one, two, uno, all } from "./b";\n'
            "export function handler() { return [one, two, uno, all.default].join(); }\n"
        ),
    )
    assert js(compile_file(entry, use_cache=False).code, "handler()") == "1,2,1,A"


def test_module_runs_once_even_if_imported_twice(project: Path, write: Write, js: Any) -> None:
    write("counter.js", "globalThis.loads = (globalThis.loads || 0) + 1;\nexport const c = 1;\n")
    write("other.js", 'import { c } from "./counter.js";\nexport const d = c + 1;\n')
    entry = write(
        "handler.js",
        'import { c } from "./counter.js";\nimport { d } from "./other.js";\n'
        "function handler() { return globalThis.loads * 10 + c + d; }\n",
    )
    assert js(compile_file(entry, use_cache=False).code, "handler()") == 13


def test_files_lists_every_file_read(project: Path, write: Write) -> None:
    dep = write("dep.ts", "export const a = 1;\n")
    entry = write("handler.ts", 'import { a } from "./dep";\nfunction handler() { return a; }\n')
    files = compile_file(entry, use_cache=False).files
    assert files == (str(entry.resolve()), str(dep.resolve()))


def test_missing_file_is_located(project: Path, write: Write) -> None:
    entry = write("handler.ts", '\nimport { a } from "./nope";\nfunction handler() { return a; }\n')
    with pytest.raises(ModuleResolutionError) as info:
        compile_file(entry, use_cache=False)
    diag = info.value.diagnostics[0]
    assert (diag.code, diag.line, diag.col) == ("ZT504", 2, 19)


def test_import_cycle_is_reported(project: Path, write: Write) -> None:
    write("a.ts", 'import { b } from "./b";\nexport const a = 1;\n')
    write("b.ts", 'import { a } from "./a";\nexport const b = a;\n')
    entry = write("handler.ts", 'import { a } from "./a";\nfunction handler() { return a; }\n')
    with pytest.raises(ModuleResolutionError) as info:
        compile_file(entry, use_cache=False)
    diag = info.value.diagnostics[0]
    assert diag.code == "ZT506" and "import cycle" in diag.message
    assert diag.file.endswith("b.ts") and diag.line == 1


def test_import_may_not_escape_project_root(tmp_path: Path) -> None:
    (tmp_path / "secret.js").write_text("export const s = 1;\n")
    app = tmp_path / "app"
    app.mkdir()
    (app / "package.json").write_text("{}")
    entry = app / "handler.js"
    entry.write_text('import { s } from "../secret.js";\nfunction handler() { return s; }\n')
    with pytest.raises(ModuleResolutionError) as info:
        compile_file(entry, use_cache=False)
    assert info.value.diagnostics[0].code == "ZT505"


def test_root_is_nearest_marker_directory(tmp_path: Path, js: Any) -> None:
    (tmp_path / "zigttp.json").write_text("{}")
    (tmp_path / "lib.js").write_text("export const v = 5;\n")
    (tmp_path / "src").mkdir()
    entry = tmp_path / "src" / "handler.js"
    entry.write_text('import { v } from "../lib.js";\nfunction handler() { return v; }\n')
    assert js(compile_file(entry, use_cache=False).code, "handler()") == 5


def test_unknown_export_of_relative_module(project: Path, write: Write) -> None:
    write("dep.ts", "export const a = 1;\n")
    entry = write("handler.ts", 'import { zz } from "./dep";\nfunction handler() { return zz; }\n')
    with pytest.raises(ModuleResolutionError) as info:
        compile_file(entry, use_cache=False)
    assert info.value.diagnostics[0].code == "ZT502"


def test_js_extension_resolves_to_ts_source(project: Path, write: Write, js: Any) -> None:
    write("dep.ts", "export const a: number = 4;\n")
    entry = write("handler.ts", 'import { a } from "./dep.js";\nfunction handler() { return a; }\n')
    assert js(compile_file(entry, use_cache=False).code, "handler()") == 4


def test_zigttp_imports_rewrite_and_record_modules(project: Path, write: Write, js: Any) -> None:
    entry = write(
        "handler.ts",
        'import { env } from "zigttp:env";\n'
        'import * as rl from "zigttp:ratelimit";\n'
        "function handler() { return env('A') + rl.rateReset('k'); }\n",
    )
    compiled = compile_file(entry, use_cache=False)
    assert compiled.code.startswith('"use strict";const { env } = __zigttp_import("env");')
    assert compiled.modules == ("env", "ratelimit")
    assert js(compiled.code, "handler()") == "env:Atrue"


def test_dependency_errors_name_the_dependency_file(project: Path, write: Write) -> None:
    write("dep.js", "export const a = 1;\nwith (a) {}\n")
    entry = write("handler.js", 'import { a } from "./dep.js";\nfunction handler() { return a; }\n')
    with pytest.raises(Exception) as info:
        compile_file(entry, use_cache=False)
    diag = info.value.diagnostics[0]  # type: ignore[attr-defined]
    assert diag.file.endswith("dep.js") and (diag.line, diag.col, diag.code) == (2, 1, "ZT003")


def test_only_code_files_can_be_imported(project: Path, write: Write) -> None:
    write("data.json", '{"a": 1}')
    entry = write("handler.ts", 'import data from "./data.json";\nfunction handler() { return data; }\n')
    with pytest.raises(ModuleResolutionError) as info:
        compile_file(entry, use_cache=False)
    assert info.value.diagnostics[0].code == "ZT504"


def test_exports_assignment_is_the_last_line(project: Path, write: Write) -> None:
    write("dep.ts", "export const a = 1;\n")
    entry = write("handler.ts", 'import { a } from "./dep";\nexport function handler() { return a; }\n')
    compiled = compile_file(entry, use_cache=False)
    lines = compiled.code.splitlines()
    assert lines[-1] == "globalThis.__zigttp_exports = {handler: handler};"
    assert compiled.locate(len(lines)) == (str(entry), 3)
