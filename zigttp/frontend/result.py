"""What the front end hands the runtime: `CompiledHandler` and its line map.

Re-exported by `pipeline` (the public contract); kept separate so that the build steps can
construct results without importing the pipeline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

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

    def frame(self, line: int, col: int) -> tuple[str, int, int]:
        """Map an engine position (output line:col, 1-based) to (file, line, col) in the user's
        sources: the line through `line_map`, the column by dropping what the front end
        inserted before it on that output line (`"use strict";`, call-depth guards, loop ticks)."""
        file, source_line = self.locate(line)
        if col <= 0 or not 0 < line <= len(self._lines):
            return file, source_line, col
        return file, source_line, source_column(self._lines[line - 1], col)

    @cached_property
    def _lines(self) -> list[str]:
        return self.code.split("\n")

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]


@dataclass(frozen=True)
class Options:
    """What a compile may vary; part of the cache key. (Here, not in transform.py, so that a
    cache hit never imports the parser.)"""

    depth_guard: bool = True
    profile: str = "default"  # analyzer profile: "default" or "strict"
    require_handler: bool = False  # `check`: a missing handler is an error


# Text the front end inserts without a line break (build.PREFIX, guard.OPEN/CLOSE/TICK, and
# the expression-arrow wrapper `{ if ... try { return (EXPR); } finally { __zd--; } }`): a test
# keeps this in step with those constants. An arrow wrapper opened on an earlier line is taken
# for a block body's (its `); ` and last `}` then count as source: columns up to 4 too far).
_INSERTED = re.compile(
    r'(?P<prefix>^"use strict";)'
    r"|(?P<arrow>\{ if \(\+\+__zd > 1024\) __zdo\(\); try \{ return \()"
    r"|(?P<block> if \(\+\+__zd > 1024\) __zdo\(\); try \{)"
    r"|(?P<tick> if \(--__zb < 0\) __ztick\(\); )"
    r"|(?P<close>\} finally \{ __zd--; \} (?=\}))"
)


def _inserted_spans(output_line: str) -> list[tuple[int, int]]:
    """[start, end) character ranges of inserted text on one output line, in order."""
    spans: list[tuple[int, int]] = []
    opened: list[str] = []
    for match in _INSERTED.finditer(output_line):
        kind = match.lastgroup or ""
        start, end = match.span()
        if kind in ("arrow", "block"):
            opened.append(kind)
        elif kind == "close" and opened and opened.pop() == "arrow":
            start, end = start - 3, end + 1  # `); ` before and the wrapper's own `}` after
        spans.append((start, end))
    return spans


def source_column(output_line: str, col: int) -> int:
    """`col` on `output_line` minus the inserted text before it (inside an insertion: its start)."""
    shift, at = 0, col - 1
    for start, end in _inserted_spans(output_line):
        if start >= at:
            break
        if end > at:
            return start + 1 - shift
        shift += end - start
    return col - shift
