"""What the front end hands the runtime: `CompiledHandler` and its line map.

Re-exported by `pipeline` (the public contract); kept separate so that the build steps can
construct results without importing the pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
    bytecode: bytes = field(default=b"", compare=False, repr=False)  # the engine's compiled form of `code`

    def locate(self, line: int) -> tuple[str, int]:
        """Map an output line to (file, line) in the user's sources."""
        for span in self.line_map:
            if span.start <= line <= span.end:
                return span.file, span.file_line + (line - span.start)
        return self.filename, line

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

    profile: str = "default"  # analyzer profile: "default" or "strict"
    require_handler: bool = False  # `check`: a missing handler is an error
