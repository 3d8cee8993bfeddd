"""tree-sitter adapter: the one place that knows which grammar parses which file.

`.ts` uses the TypeScript grammar (so `<T>x` assertions parse); `.tsx`/`.jsx` (and inline
code) use TSX; `.js` uses TypeScript too, a superset of the JavaScript we accept. Every pass
(strip, JSX, comptime, imports, analyzer) reads this single tree: parse once.
"""

from __future__ import annotations

import re
import threading
from functools import cache

import tree_sitter_typescript as tst
from tree_sitter import Language, Node, Parser, Query, QueryCursor, Tree

from zigttp.diagnostics import Diagnostic
from zigttp.frontend.source import SourceFile

_JSX_TAG = re.compile(r"<[A-Za-z>][^<]*(/>|</)")


@cache
def language(jsx: bool) -> Language:
    return Language(tst.language_tsx() if jsx else tst.language_typescript())


_local = threading.local()


def _parser(jsx: bool) -> Parser:
    """One parser per thread and grammar: a tree-sitter Parser must not be shared across
    threads (compiles may run on pool or reload threads)."""
    parsers: dict[bool, Parser] = _local.__dict__.setdefault("parsers", {})
    if jsx not in parsers:
        parsers[jsx] = Parser(language(jsx))
    return parsers[jsx]


def parse(source: SourceFile) -> Tree:
    return _parser(source.jsx).parse(source.data)


@cache
def _query(jsx: bool, pattern: str) -> Query:
    return Query(language(jsx), pattern)


def captures(source: SourceFile, root: Node, pattern: str) -> dict[str, list[Node]]:
    """Run a tree-sitter query (in C, so much faster than a Python walk)."""
    return QueryCursor(_query(source.jsx, pattern)).captures(root)


def syntax_errors(source: SourceFile, root: Node) -> list[Diagnostic]:
    """ERROR and MISSING nodes → ZT001 diagnostics (the first few; later ones cascade)."""
    if not root.has_error:
        return []
    found: list[Diagnostic] = []
    for node in captures(source, root, "(ERROR) @e").get("e", []):
        snippet = source.data[node.start_byte : node.end_byte][:20].decode("utf-8", "replace")
        line = source.line_text(node.start_point.row + 1)
        found.append(
            source.diagnostic(node, "ZT001", f"syntax error near `{snippet.strip()}`", _hint(source, line))
        )
    found.extend(_missing(source, root))
    found.sort(key=lambda d: (d.line, d.col))
    return found[:5] or [source.diagnostic(root, "ZT001", "syntax error")]


def _missing(source: SourceFile, node: Node) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current.is_missing:
            out.append(source.diagnostic(current, "ZT001", f"syntax error: missing `{current.type}`"))
        elif current.has_error:
            stack.extend(current.children)
    return out


def _hint(source: SourceFile, line: str) -> str:
    if not source.jsx and _JSX_TAG.search(line):
        return "JSX is only parsed in .jsx and .tsx files; rename the file"
    return "check the syntax at this position"


def field(node: Node, name: str) -> Node:
    """A child the grammar guarantees on an error-free tree (e.g. a binary's `left`)."""
    child = node.child_by_field_name(name)
    if child is None:
        raise ValueError(f"malformed tree: {node.type} without {name}")
    return child
