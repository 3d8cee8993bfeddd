"""Byte splices on a source text, and the map from output offsets back to source offsets.

The dialect pass replaces tokens and inserts text; it never moves source text. So every
output byte is either a copied source byte (same offset plus the net length of the edits
before it) or part of an edit's text (mapped to where that edit starts). `source_offset`
answers that with one bisect, which is what keeps diagnostics on the user's column.
"""

from __future__ import annotations

from bisect import bisect_right


class Edits:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self._edits: list[tuple[int, int, int, bytes]] = []  # (start, end, order, text)
        self._out_starts: list[int] = []
        self._segments: list[tuple[int, int, int]] = []  # (out start, source start, copied?)

    @property
    def empty(self) -> bool:
        return not self._edits

    def insert(self, offset: int, text: bytes) -> None:
        self.replace(offset, offset, text)

    def replace(self, start: int, end: int, text: bytes) -> None:
        self._edits.append((start, end, len(self._edits), text))

    def apply(self) -> bytes:
        """The edited text (edits must not overlap; insertions at one offset keep their order)."""
        parts: list[bytes] = []
        segments: list[tuple[int, int, int]] = []
        pos = out = 0
        for start, end, _order, text in sorted(self._edits):
            if start < pos:
                raise ValueError(f"overlapping dialect edits at byte {start}")
            segments.append((out, pos, 1))
            parts.append(self.data[pos:start])
            out += start - pos
            segments.append((out, start, 0))
            parts.append(text)
            out += len(text)
            pos = end
        segments.append((out, pos, 1))
        parts.append(self.data[pos:])
        self._segments = segments
        self._out_starts = [s[0] for s in segments]
        return b"".join(parts)

    def source_offset(self, offset: int) -> int:
        """The source byte that output byte `offset` came from (an edit's start for its text)."""
        i = bisect_right(self._out_starts, offset) - 1
        if i < 0:
            return offset
        out_start, source_start, copied = self._segments[i]
        return source_start + (offset - out_start) if copied else source_start
