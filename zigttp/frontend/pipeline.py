"""Front-end pipeline contract: source in, one plain JS script out.

Every command (`serve`, `check`, `build`, `test`) goes through `compile_file` /
`compile_source`. The output `CompiledHandler.code` is a classic script (no import/export
syntax) that the runtime evaluates once per context after its prelude:

* it starts with `"use strict";` on line 1 (no newline added, so line numbers are unchanged);
* line N of the output is line N of the entry file (bundled dependencies come first on
  their own line ranges, recorded in `line_map`);
* `export function handler`, `export default function`, `export default {fetch}` are
  rewritten to plain declarations plus an assignment to `globalThis.__zigttp_exports`;
  a plain global `function handler` needs nothing;
* `import {a as b} from "zigttp:NAME"` becomes `const {a: b} = __zigttp_import("NAME");`;
* JSX becomes `h(tag, props, ...children)` calls (with `Fragment`), `comptime(expr)` a literal.

Errors raise `SourceError` with diagnostics; warnings ride along in `diagnostics`.

INTERIM: until the tree-sitter front end lands this passes plain JavaScript through.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from zigttp.diagnostics import Diagnostic


@dataclass(frozen=True)
class LineSpan:
    """Output lines [start, end] (1-based, inclusive) come from `file` starting at `file_line`."""

    start: int
    end: int
    file: str
    file_line: int


@dataclass(frozen=True)
class CompiledHandler:
    filename: str
    code: str
    diagnostics: tuple[Diagnostic, ...] = ()
    modules: tuple[str, ...] = ()  # virtual modules imported, e.g. ("ratelimit",)
    files: tuple[str, ...] = ()  # every source file read (for --watch)
    line_map: tuple[LineSpan, ...] = field(default=())

    def locate(self, line: int) -> tuple[str, int]:
        """Map an output line to (file, line) in the user's sources."""
        for span in self.line_map:
            if span.start <= line <= span.end:
                return span.file, span.file_line + (line - span.start)
        return self.filename, line


def compile_source(source: str, filename: str = "<inline>") -> CompiledHandler:
    return CompiledHandler(filename=filename, code='"use strict";' + source, files=())


def compile_file(path: str | Path) -> CompiledHandler:
    file = Path(path)
    compiled = compile_source(file.read_text(encoding="utf-8"), str(file))
    return CompiledHandler(filename=str(file), code=compiled.code, files=(str(file),))
