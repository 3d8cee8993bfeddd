"""The front end: handler source (JS/TS/JSX/TSX + relative imports) → one runnable JS script.

Public API: `pipeline.compile_file`, `pipeline.compile_source` (→ `CompiledHandler`),
`pipeline.diagnose` and `check.run_check`. Map of the package:

    source.py      SourceFile, byte ↔ line:col, Diagnostic construction
    parser.py      tree-sitter grammars (TS / TSX), one parse per file, syntax errors
    facts.py       the single query per file: emitter triggers, type splices, analyzer facts
    transform.py   the line-preserving rewriting walk (Emitter) all passes plug into
    typescript.py  type stripping          ts_codegen.py  enum / namespace generation
    jsx.py         JSX → h() calls
    comptime*.py   comptime() evaluator     jsvalues.py    JS value semantics for it
    imports.py     import/export rewriting  bundler.py     relative-import module graph
    analyzer.py    subset rules → diagnostics (rules/: catalogue, subset, state, unused)
    build.py       per-file compile + bundle assembly
    cache.py       on-disk cache by content hash
    pipeline.py    the contract the runtime uses     check.py   `zigttp check`

Nothing here is imported by `import zigttp.frontend` itself, keeping `serve`'s import path
lean until a compile is actually needed.
"""
