"""Front-end pipeline contract: source in, one plain JS script out.

Every command (`serve`, `check`, `build`, `test`) goes through `compile_file` /
`compile_source`. The output `CompiledHandler.code` is a classic script (no import/export
syntax) that the runtime evaluates once per context after its prelude:

* it starts with `"use strict";` on line 1 (no newline added, so line numbers are unchanged);
* line N of the output is line N of the entry file; bundled dependencies come after the
  entry's last line, on line ranges recorded in `line_map`, and the exports assignment is
  the script's last line;
* `export function handler`, `export default function`, `export default {fetch}` are
  rewritten to plain declarations plus an assignment to `globalThis.__zigttp_exports`
  (`{default: ..., handler: ..., every other named export}`); a plain global `function
  handler` needs nothing;
* `import {a, b as c} from "zigttp:NAME"` becomes
  `const { a, b: c } = __zigttp_import("NAME");` on the same line (`import * as m` becomes
  `const m = __zigttp_import("NAME");`); relative imports call the bundled module's
  memoised loader, `const { x } = __zigttp_mod_1();`;
* JSX HTML elements become string templates (site calls `$j0(holes...)`, `jsx_template`),
  components and elements with run-time props `h(tag, props, ...children)` calls (with
  `Fragment`; `$j.e(tag, props)` for a component that only reads its props, `jsx_components`);
  `comptime(expr)` becomes a literal;
* nothing is instrumented: deadlines, call depth and memory are the engine's
  (runtime/engine.py); `check` and `build` also run the engine's own compiler over the
  output (`engine_check`), so no script the engine refuses gets past them.

One parse per file (tree-sitter) feeds every pass: strip, JSX, comptime, imports, analyzer.
Errors raise a `SourceError` subclass (by the first error's code family: syntax, TypeScript,
comptime, analyzer, module resolution, JSX) carrying the error diagnostics; warnings ride
along in `CompiledHandler.diagnostics`. `compile_file` results are cached on disk
(`frontend/cache.py`); `diagnose` is `check`'s entry point and never raises.
"""

from __future__ import annotations

from zigttp.errors import source_error
from zigttp.frontend.result import CompiledHandler, LineSpan, Options

TYPE_CHECKING = False  # (pathlib stays off a cache hit's path: bench/README.md)
if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["CompiledHandler", "LineSpan", "compile_file", "compile_source", "diagnose"]


def compile_source(
    source: str,
    filename: str = "<inline>",
    *,
    require_handler: bool = False,
) -> CompiledHandler:
    """Compile inline code (`serve -e`); relative imports are not available.
    `require_handler` (what serving needs) makes a file without a handler ZT107, as `check`."""
    from zigttp.frontend.build import build_inline  # the parser loads only when needed

    options = Options(require_handler=require_handler)
    compiled = build_inline(source, filename, options)
    return _checked(compiled)


def compile_file(
    path: str | Path,
    *,
    use_cache: bool = True,
    require_handler: bool = False,
) -> CompiledHandler:
    """Compile a handler file and everything it imports; cached on disk by content."""
    from zigttp.frontend import cache

    options = Options(require_handler=require_handler)
    if use_cache:
        hit = cache.load(path, options)
        if hit is not None:
            return hit
    from pathlib import Path

    from zigttp.frontend.build import build_entry  # a cache hit never loads the parser

    compiled = _checked(build_entry(Path(path), options))
    if use_cache:
        cache.store(Path(path), options, compiled)
    return compiled


def diagnose(path: str | Path, *, profile: str = "default") -> CompiledHandler:
    """Every diagnostic for `check` (errors included, nothing raised)."""
    from pathlib import Path

    from zigttp.frontend.build import build_entry
    from zigttp.frontend.engine_check import compile_with_engine
    from zigttp.records import replace

    options = Options(profile=profile, require_handler=True)
    compiled = build_entry(Path(path), options)
    if compiled.errors:
        return compiled
    compiled, refused = compile_with_engine(compiled)
    return replace(compiled, diagnostics=(*compiled.diagnostics, *refused))


def _checked(compiled: CompiledHandler) -> CompiledHandler:
    """The front end's errors, then the engine's own compile (which also yields the bytecode)."""
    from zigttp.frontend.engine_check import compile_with_engine

    errors = compiled.errors
    if not errors:
        compiled, errors = compile_with_engine(compiled)
    if errors:
        raise source_error(errors)
    return compiled
