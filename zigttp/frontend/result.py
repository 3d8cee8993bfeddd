"""What the front end hands the runtime: `CompiledHandler` and its line map.

Re-exported by `pipeline` (the public contract); kept separate so that the build steps can
construct results without importing the pipeline.
"""

from __future__ import annotations

from zigttp.diagnostics import Diagnostic
from zigttp.records import field, record


@record(frozen=True)
class LineSpan:
    """Output lines [start, end] (1-based, inclusive) come from `file` starting at `file_line`."""

    start: int
    end: int
    file: str
    file_line: int


@record(frozen=True)
class CompiledHandler:
    filename: str
    code: str
    diagnostics: tuple[Diagnostic, ...] = ()
    modules: tuple[str, ...] = ()  # virtual modules imported, e.g. ("ratelimit",)
    files: tuple[str, ...] = ()  # every source file read (for --watch)
    line_map: tuple[LineSpan, ...] = field(default=())
    bytecode: bytes = field(default=b"", compare=False, repr=False)  # the engine's compiled form of `code`

    def locate(self, line: int) -> tuple[str, int]:
        """Map an output line to (file, line) in the user's sources."""
        for span in self.line_map:
            if span.start <= line <= span.end:
                return span.file, span.file_line + (line - span.start)
        return self.filename, line

    def frame(self, line: int, col: int) -> tuple[str, int, int]:
        """Map an engine position (output line:col, 1-based) to (file, line, col) in the user's
        sources: the line through `line_map`, the column by dropping what the front end
        inserted before it on that output line (`"use strict";` on line 1)."""
        from zigttp.runtime.engine import char_column  # loaded by whoever runs the handler

        file, source_line = self.locate(line)
        return file, source_line, col if col <= 0 else source_column(line, char_column(self.code, line, col))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]


@record(frozen=True)
class Options:
    """What a compile may vary; part of the cache key. (Here, not in transform.py, so that a
    cache hit never imports the parser.)"""

    profile: str = "default"  # analyzer profile: "default" or "strict"
    require_handler: bool = False  # `check`: a missing handler is an error


# The front end inserts one text without a line break: `"use strict";` at the start of the
# output's line 1 (build.PREFIX; a test keeps the two in step).
STRICT_PREFIX = '"use strict";'


def source_column(output_line: int, col: int) -> int:
    """`col` on output line `output_line` as a column of the user's source line."""
    return max(1, col - len(STRICT_PREFIX)) if output_line == 1 else col
