"""Build steps: one file → `Unit` (parse, transform, analyze), a graph → one script.

`compile_text` is the whole per-file front end: a single tree-sitter parse, syntax errors
short-circuit (no point transforming a broken tree), then the emitter and the analyzer run
over the same tree. `assemble` lays the units out as described in `bundler`.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from zigttp.diagnostics import Diagnostic
from zigttp.frontend import dialect, facts, jsx_template, parser
from zigttp.frontend.analyzer import analyze
from zigttp.frontend.bundler import Graph, Unit, exports_object, project_root, wrap_dependency
from zigttp.frontend.result import CompiledHandler, LineSpan
from zigttp.frontend.source import SourceFile, read_source
from zigttp.frontend.transform import Emitter, Exports, Options

PREFIX = '"use strict";'


def compile_text(
    source: SourceFile, is_entry: bool, graph: Graph, options: Options, resolver: Graph | None
) -> Unit:
    """Compile one file; its diagnostics and virtual modules are added to `graph`."""
    tree = parser.parse(source)
    if tree.root_node.has_error and dialect.needs_dialect(source):
        source, misuse = dialect.desugar(source)  # the original zigttp's |>, match, assert
        graph.diagnostics.extend(misuse)
        if any(d.is_error for d in misuse):
            return Unit(Path(source.path), source.path, source.text, Exports())
        tree = parser.parse(source)
    errors = parser.syntax_errors(source, tree.root_node)
    if errors:
        graph.diagnostics.extend(errors)
        return Unit(Path(source.path), source.path, source.text, Exports())
    strict = options.profile == "strict"
    found = facts.collect(source, tree.root_node, strict)
    edits = facts.splices(found)
    em = Emitter(source, tree.root_node, options, resolver, found.get("n", []), edits)
    root = tree.root_node  # spans first to last token: keep the whitespace around it
    data = source.data
    code = (data[: root.start_byte] + em.emit(root) + data[root.end_byte :]).decode("utf-8")
    graph.diagnostics.extend(em.diagnostics)
    graph.diagnostics.extend(analyze(source, tree.root_node, found, options, is_entry, em.exports))
    graph.modules |= em.modules
    tail = jsx_template.site_declarations(em.jsx_sites)
    return Unit(Path(source.path), source.path, code, em.exports, tail=tail)


def compile_unit(path: Path, display: str, is_entry: bool, graph: Graph, options: Options) -> Unit:
    """Read and compile one file of the graph (an unreadable file is a ZT002 diagnostic)."""
    try:
        source = read_source(path, display)
    except (OSError, UnicodeDecodeError) as exc:
        graph.diagnostics.append(
            Diagnostic(display, 1, 1, "error", "ZT002", f"cannot read file: {exc}", "check the path")
        )
        return Unit(path, display, "", Exports())
    unit = compile_text(source, is_entry, graph, options, graph)
    unit.path = path
    return unit


def build_entry(path: Path, options: Options) -> CompiledHandler:
    resolved = path.resolve()
    graph = Graph(root=project_root(path), compile_unit=partial(compile_unit, options=options))
    graph.stack.append(resolved)
    entry = compile_unit(resolved, str(path), True, graph, options)
    graph.stack.pop()
    files = (str(resolved), *(str(u.path) for u in graph.order))
    return assemble(entry, graph, files)


def build_inline(text: str, filename: str, options: Options) -> CompiledHandler:
    graph = Graph(root=Path.cwd(), compile_unit=partial(compile_unit, options=options))
    entry = compile_text(SourceFile(filename, text), True, graph, options, None)
    return assemble(entry, graph, ())


def assemble(entry: Unit, graph: Graph, files: tuple[str, ...]) -> CompiledHandler:
    parts = [PREFIX + entry.code]
    entry_lines = last = entry.code.count("\n") + 1
    spans = [LineSpan(1, last, entry.display, 1)]
    for unit in graph.order:
        lines = unit.code.count("\n") + 1
        parts.append("\n" + wrap_dependency(unit))
        spans.append(LineSpan(last + 1, last + lines, unit.display, 1))
        spans.append(LineSpan(last + lines + 1, last + lines + 1, unit.display, lines))
        last += lines + 1
    if entry.exports.named or entry.exports.stars:  # the script's last line
        parts.append(f"\nglobalThis.__zigttp_exports = {exports_object(entry.exports)};{entry.tail}")
        last += 1
        spans.append(LineSpan(last, last, entry.display, entry_lines))
    elif entry.tail:  # a line of its own after every mapped line (a handler not exported)
        parts.append("\n" + entry.tail)
    return CompiledHandler(
        filename=entry.display,
        code="".join(parts),
        diagnostics=tuple(_ordered(graph.diagnostics)),
        modules=tuple(sorted(graph.modules)),
        files=files,
        line_map=tuple(spans),
    )


def _ordered(diags: list[Diagnostic]) -> list[Diagnostic]:
    unique = dict.fromkeys(diags)
    return sorted(unique, key=lambda d: (d.file, d.line, d.col, d.code))
