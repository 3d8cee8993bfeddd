"""The single rewriting walk: one tree in, one line-preserving script out.

Each pass (types, JSX, comptime, imports) contributes handlers keyed by
tree-sitter node type; `Emitter.emit` dispatches on the node and otherwise copies the source
bytes between children verbatim. Rules every handler keeps:

* output for a node starts on the node's first line and ends on its last line (pad with
  `Out.pad_to`), so line N of the output is line N of the source;
* removed TypeScript becomes spaces, so columns on untouched lines stay too;
* problems are appended to `Emitter.diagnostics`, never raised, so `check` sees them all.

Subtrees with no trigger (`facts.TRIGGER_TYPES`, found by the one tree-sitter query in
`facts`) are copied in one slice, and the walk jumps from trigger to trigger; pure type
syntax are byte splices applied while copying (`Emitter.copy`), so
they need no walk at all. That is what keeps a 1,000-line file fast.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Protocol

from tree_sitter import Node

from zigttp.diagnostics import Diagnostic, Severity
from zigttp.frontend.result import Options
from zigttp.frontend.source import SourceFile

Handler = Callable[["Emitter", Node], bytes]
_NOT_NEWLINE = re.compile(rb"[^\r\n]")


@dataclass
class Exports:
    """Names a module exports → the JS expression giving each value, plus `export *` sources."""

    named: dict[str, str] = field(default_factory=dict)
    stars: list[str] = field(default_factory=list)


ModuleRef = tuple[str, frozenset[str] | None]  # (JS expression, export names if known)


class Resolver(Protocol):
    """Turns a relative import into a module reference (the bundler's `Graph`)."""

    def resolve(self, em: Emitter, node: Node, specifier: str) -> ModuleRef | None: ...


class Out:
    """Byte builder that knows its line, so generated code can be padded back into place."""

    def __init__(self, first_row: int) -> None:
        self.parts: list[bytes] = []
        self.row = first_row

    def add(self, chunk: bytes) -> None:
        self.parts.append(chunk)
        self.row += chunk.count(b"\n")

    def pad_to(self, row: int) -> None:
        if row > self.row:
            self.add(b"\n" * (row - self.row))

    def bytes(self) -> bytes:
        return b"".join(self.parts)


class Emitter:
    """Walks one parsed file and produces its rewritten bytes."""

    def __init__(
        self,
        source: SourceFile,
        root: Node,
        options: Options,
        resolver: Resolver | None,
        triggers: list[Node],
        splices: list[tuple[int, int, bytes | None]] | None = None,
    ) -> None:
        self.source = source
        self.data = source.data
        self.root = root
        self.options = options
        self.resolver = resolver
        self.diagnostics: list[Diagnostic] = []
        self.exports = Exports()
        self.modules: set[str] = set()
        self.jsx_sites: list[tuple[str, int]] = []  # compiled JSX: (plan, holes) per site
        self.jsx_direct: frozenset[bytes] | None = None  # jsx_components, once per file
        self.comptime_bytes = 0  # folded literal bytes so far (comptime_pass caps the file)
        self.table = handler_table()
        self.by_kind = kind_table(source.jsx)
        self.starts = sorted({n.start_byte for n in triggers})
        # Byte-range edits (types → spaces) applied wherever source is copied.
        edits = splices or []
        self.splice_start = [e[0] for e in edits]
        self.splice_end = [e[1] for e in edits]
        self.splice_code = [e[2] for e in edits]

    def report(
        self, node: Node, code: str, message: str, hint: str = "", severity: Severity = "error"
    ) -> None:
        self.diagnostics.append(self.source.diagnostic(node, code, message, hint, severity))

    def text(self, node: Node) -> bytes:
        return self.data[node.start_byte : node.end_byte]

    def blank(self, node: Node) -> bytes:
        """Spaces for every character of the node, newlines kept: columns survive."""
        return blank_bytes(self.text(node))

    def blank_range(self, start: int, end: int) -> bytes:
        return blank_bytes(self.data[start:end])

    def copy(self, start: int, end: int) -> bytes:
        """Source bytes [start, end) with the splices in that range applied."""
        ends = self.splice_end
        i = bisect_right(ends, start)
        if i == len(ends) or self.splice_start[i] >= end:
            return self.data[start:end]
        data, starts, codes = self.data, self.splice_start, self.splice_code
        parts: list[bytes] = []
        pos = start
        while i < len(ends) and starts[i] < end:
            left, right, code = max(starts[i], pos), min(ends[i], end), codes[i]
            parts.append(data[pos:left])
            clipped = left != starts[i] or right != ends[i]
            parts.append(blank_bytes(data[left:right]) if code is None or clipped else code)
            pos = right
            i += 1
        parts.append(data[pos:end])
        return b"".join(parts)

    def emit(self, node: Node) -> bytes:
        """A node's output. Without a trigger inside, no handler can change it (every
        handler's node type is itself a trigger or only acts on one), so it is copied."""
        start, end, starts = node.start_byte, node.end_byte, self.starts
        i = bisect_left(starts, start)
        if i == len(starts) or starts[i] >= end:
            return self.copy(start, end)
        handler = self.by_kind.get(node.kind_id)
        if handler is not None:
            return handler(self, node)
        return self.default(node)

    def default(self, node: Node, override: Callable[[Node], bytes | None] | None = None) -> bytes:
        """Source bytes of `node` with each child re-emitted (or replaced by `override`)."""
        if override is not None:
            return self._override(node, override)
        start, end, starts = node.start_byte, node.end_byte, self.starts
        count = len(starts)
        i = bisect_left(starts, start)
        if i == count or starts[i] >= end:
            return self.copy(start, end)
        copy, by_kind = self.copy, self.by_kind
        parts: list[bytes] = []
        pos = start
        cursor = node.walk()
        while i < count and starts[i] < end:
            # Jump straight to the child holding the next trigger; copy everything before it.
            target = starts[i]
            if cursor.goto_first_child_for_byte(target if target > pos else pos) is None:
                break
            child = cursor.node
            cursor.goto_parent()
            if child is None or child.start_byte >= end:
                break
            parts.append(copy(pos, child.start_byte))
            handler = by_kind.get(child.kind_id)
            parts.append(handler(self, child) if handler is not None else self.default(child))
            pos = child.end_byte
            i = bisect_left(starts, pos, i)
        parts.append(copy(pos, end))
        return b"".join(parts)

    def _override(self, node: Node, override: Callable[[Node], bytes | None]) -> bytes:
        parts: list[bytes] = []
        pos = node.start_byte
        for child in node.children:
            parts.append(self.copy(pos, child.start_byte))
            replaced = override(child)
            parts.append(self.emit(child) if replaced is None else replaced)
            pos = child.end_byte
        parts.append(self.copy(pos, node.end_byte))
        return b"".join(parts)


def blank_bytes(chunk: bytes) -> bytes:
    if b"\n" not in chunk and b"\r" not in chunk:
        return b" " * len(chunk)
    return _NOT_NEWLINE.sub(b" ", chunk)


@cache
def kind_table(jsx: bool) -> dict[int, Handler]:
    """The handler table keyed by grammar symbol id (every alias of a name included):
    `node.kind_id` is an int, cheaper than building `node.type` strings on the hot path."""
    from zigttp.frontend import parser

    lang = parser.language(jsx)
    table = handler_table()
    return {
        kind: table[name]
        for kind in range(lang.node_kind_count)
        if (name := lang.node_kind_for_id(kind)) in table
    }


@cache
def handler_table() -> dict[str, Handler]:
    """Every pass's handlers, merged; a node type belongs to exactly one pass."""
    from zigttp.frontend import comptime_pass, imports, jsx, ts_codegen, typescript

    table: dict[str, Handler] = {}
    for module in (typescript, ts_codegen, jsx, comptime_pass, imports):
        overlap = table.keys() & module.HANDLERS.keys()
        assert not overlap, f"node types claimed twice: {overlap}"
        table.update(module.HANDLERS)
    return table
