"""Request and response shapes on the Python side of the engine boundary.

The engine extension builds the JS request from (method, target, headers, body bytes) and
reads the handler's answer back in C as (status, header block, body bytes), validated there
(native/engine/marshal.c). Request headers cross as "name\\0value\\0..." (NUL cannot occur in
a header): one string, parsed by the prelude only if the handler looks.
"""

from __future__ import annotations

from itertools import chain

from zigttp.lean import Pattern

TYPE_CHECKING = False  # (re stays off the start path: zigttp/lean.py)
if TYPE_CHECKING:
    import re
    from collections.abc import Callable

_FRAME = Pattern(r"<input>:(\d+)(?::(\d+))?")


class HandlerResponse:
    """What a handler answered. A plain class (one per request: straight-line `__init__`)."""

    __slots__ = ("body", "header_block", "status", "stream")

    def __init__(
        self, status: int, header_block: bytes = b"", body: bytes = b"", stream: object = None
    ) -> None:
        self.status = status
        self.header_block = header_block  # "name: value\r\n" lines, ready for the wire
        self.body = body
        self.stream = stream  # a runtime.streams.BodyStream when the body is pulled chunk by chunk

    def __repr__(self) -> str:
        return (
            f"HandlerResponse(status={self.status}, header_block={self.header_block!r}, body={self.body!r})"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, HandlerResponse):
            return NotImplemented
        mine = (self.status, self.header_block, self.body, self.stream)
        return mine == (other.status, other.header_block, other.body, other.stream)

    __hash__ = None  # type: ignore[assignment]  (mutable, as the dataclass was)

    @property
    def headers(self) -> list[tuple[str, str]]:
        pairs = []
        for line in self.header_block.decode("latin-1").split("\r\n"):
            if line:
                name, _, value = line.partition(": ")
                pairs.append((name, value))
        return pairs

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((value for key, value in self.headers if key == wanted), None)

    def add_header(self, name: str, value: str) -> None:
        self.header_block += f"{name}: {value}\r\n".encode("latin-1", "replace")


def header_block(pairs: list[tuple[str, str]]) -> bytes:
    return "".join(f"{name}: {value}\r\n" for name, value in pairs).encode("latin-1", "replace")


def encode_headers(headers: dict[str, str]) -> str:
    """Request headers in the prelude's "name\\0value\\0..." form."""
    return "\0".join(chain.from_iterable(headers.items()))


def map_stack(text: str, locate: Callable[[int, int], tuple[str, int, int]]) -> str:
    """Rewrite `<input>:LINE:COL` stack frames to the user's file:line:col
    (`locate` is `CompiledHandler.frame`)."""

    def replace(match: re.Match[str]) -> str:
        file, line, col = locate(int(match.group(1)), int(match.group(2) or 0))
        return f"{file}:{line}:{col}" if match.group(2) else f"{file}:{line}"

    return _FRAME.sub(replace, text)


def split_message(message: str) -> tuple[str, str]:
    """A JS failure message is `message\\n    at ...`; the 500 body carries only the message.

    The stack loses zigttp's own frames (the prelude, the JSX runtime, the module shims:
    files named `zigttp:*`), which say nothing about the handler."""
    at = message.find("\n    at ")
    if at < 0:
        return message.rstrip("\n"), ""
    frames = [line for line in message[at + 1 :].split("\n") if line and "(zigttp:" not in line]
    return message[:at], "\n".join(frames)
