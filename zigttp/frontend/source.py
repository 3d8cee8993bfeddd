"""Source files and the position contract every front-end pass keeps.

tree-sitter reports byte offsets and (row, byte-column) points; users read 1-based lines and
character columns. `SourceFile` owns that translation so diagnostics agree everywhere. The
rule every pass follows: output line N is source line N (types become spaces, generated code
is padded with newlines), so a position in the output is a position in the source.

A file rewritten from the original zigttp's dialect before the parse (`dialect.py`) keeps
its `original` and an offset map: positions are reported in the text the user wrote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from tree_sitter import Node

from zigttp.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from zigttp.frontend.dialect_edits import Edits

JSX_SUFFIXES = (".jsx", ".tsx")


@dataclass
class SourceFile:
    """One file's text, as bytes for the parser and lines for diagnostics."""

    path: str
    text: str
    original: SourceFile | None = None  # the text before the dialect rewrite
    offsets: Edits | None = None  # output byte → byte of `original`
    data: bytes = field(init=False)

    def __post_init__(self) -> None:
        self.data = self.text.encode("utf-8", "surrogatepass")  # lone surrogates must not crash

    @cached_property
    def lines(self) -> list[str]:
        """Split only when a diagnostic needs its source line."""
        return self.text.splitlines() or [""]

    @property
    def jsx(self) -> bool:
        """JSX is parsed in .jsx/.tsx files (and inline sources, which may hold either)."""
        return self.path.endswith(JSX_SUFFIXES) or not Path(self.path).suffix

    def line_text(self, line: int) -> str:
        if self.original is not None:
            return self.original.line_text(line)
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""

    def position(self, node: Node) -> tuple[int, int]:
        """1-based (line, character column) of a node's start, in the text the user wrote."""
        if self.original is not None and self.offsets is not None:
            return self.original.position_at(self.offsets.source_offset(node.start_byte))
        row, byte_col = node.start_point
        raw = self.data.split(b"\n", row + 1)[row] if row else self.data[: byte_col + 1]
        col = len(raw[:byte_col].decode("utf-8", "replace")) + 1
        return row + 1, col

    def position_at(self, offset: int) -> tuple[int, int]:
        """1-based (line, character column) of byte `offset`."""
        line_start = self.data.rfind(b"\n", 0, offset) + 1
        col = len(self.data[line_start:offset].decode("utf-8", "replace")) + 1
        return self.data.count(b"\n", 0, line_start) + 1, col

    def diagnostic(
        self, node: Node, code: str, message: str, hint: str = "", severity: Severity = "error"
    ) -> Diagnostic:
        line, col = self.position(node)
        return self.diagnostic_at(line, col, code, message, hint, severity)

    def diagnostic_at(
        self,
        line: int,
        col: int,
        code: str,
        message: str,
        hint: str = "",
        severity: Severity = "error",
    ) -> Diagnostic:
        return Diagnostic(
            file=self.path,
            line=line,
            col=col,
            severity=severity,
            code=code,
            message=message,
            hint=hint,
            source_line=self.line_text(line),
        )


def read_source(path: Path, display: str) -> SourceFile:
    """Read a handler file as UTF-8 (a BOM is dropped: it would shift column 1)."""
    data = path.read_bytes()
    try:
        return SourceFile(display, data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        from zigttp.diagnostics import Diagnostic
        from zigttp.errors import SourceError

        raise SourceError(
            [
                Diagnostic(
                    display,
                    line,
                    col,
                    "error",
                    "ZT000",
                    f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
                    "save the file as UTF-8",
                )
            ]
        ) from None
