"""Request → JS arguments and the prelude's encoded response → HandlerResponse.

Only strings cross the boundary (the binding does not convert objects, and strings are the
cheapest thing it does convert). Request headers go in as "name\\0value\\0..." (NUL cannot
occur in a header). The response comes back as defined in prelude.js (`wire`):

    "<status>[b]\\r\\n<name>: <value>\\r\\n...\\n<body>"   or   "!<kind>\\n<message>"

so its header lines are already in HTTP form and reach the socket without re-parsing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain

from zigttp import errors

_FRAME = re.compile(r"<input>:(\d+)(?::(\d+))?")
_HEADER_BLOCK = re.compile(r"(?:[!#$%&'*+\-.^_`|~0-9A-Za-z]+: [^\r\n\0]*\r\n)+")
_FAILURES: dict[str, type[errors.HandlerError]] = {
    "X": errors.HandlerException,
    "H": errors.InvalidHandler,
    "R": errors.InvalidHandlerResult,
    "D": errors.CallStackOverflow,
    "S": errors.StackOverflow,
    "M": errors.MemoryLimitExceeded,
    "T": errors.TimeLimitExceeded,
}


@dataclass(slots=True)
class HandlerResponse:
    status: int
    header_block: bytes = b""  # "name: value\r\n" lines, ready for the wire
    body: bytes = b""

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


def decode_response(encoded: str) -> HandlerResponse:
    """Parse the prelude's response string; failures raise the matching HandlerError.

    The prelude validates everything, but a handler can replace the builtins it runs on, so the
    framing is checked again here (defence in depth): a final status, header lines of a token
    name and a value without CR/LF/NUL. Anything else is a 500, never bytes on the wire.
    A handler answers with a handful of distinct heads, so each validated head (status line and
    header lines) is kept in a bounded table: the common response costs one dict lookup.
    """
    if encoded[:1] == "!":
        raise failure(encoded)
    end = encoded.find("\r\n\n")
    if end < 0:
        return _malformed("no status line or header block")
    head = encoded[: end + 2]
    known = _HEADS.get(head)
    if known is None:
        known = _validate_head(head)
    status, block, binary = known
    body = encoded[end + 3 :]
    try:
        if binary:
            payload = body.replace("\u0100", "\x00").encode("latin-1")
        else:
            payload = body.encode("utf-8", "surrogatepass")
    except UnicodeEncodeError:
        return _malformed("a binary body holds characters above U+00FF")
    return HandlerResponse(status, block, payload)


_HEADS: dict[str, tuple[int, bytes, bool]] = {}
MAX_KNOWN_HEADS = 512


def _validate_head(head: str) -> tuple[int, bytes, bool]:
    """`head` is "<status>[b]\\r\\n" + header lines; remembered once it passed."""
    status_end = head.find("\r\n")
    status_text = head[:status_end]
    binary = status_text.endswith("b")  # bytes as latin-1, NUL carried as U+0100 (prelude.js)
    if binary:
        status_text = status_text[:-1]
    if not (len(status_text) == 3 and status_text.isdigit() and "200" <= status_text <= "599"):
        return _malformed(f"status {status_text[:20]!r} is not a final HTTP status (200..599)")
    lines = head[status_end + 2 :]
    if lines and _HEADER_BLOCK.fullmatch(lines) is None:
        return _malformed("a header line is not `name: value` (token name, no CR/LF/NUL in value)")
    known = (int(status_text), lines.encode("latin-1", "replace"), binary)
    if len(_HEADS) >= MAX_KNOWN_HEADS:  # per-request values (cookies, ids): start over
        _HEADS.clear()
    _HEADS[head] = known
    return known


def _malformed(reason: str) -> HandlerResponse:
    raise errors.InvalidHandlerResult(f"malformed response from the handler runtime: {reason}")


def failure(encoded: str) -> errors.HandlerError:
    kind, _, message = encoded[1:].partition("\n")
    error_class = _FAILURES.get(kind, errors.HandlerException)
    return error_class(message or "Internal Server Error")


def map_stack(text: str, locate: Callable[[int, int], tuple[str, int, int]]) -> str:
    """Rewrite `<input>:LINE:COL` stack frames to the user's file:line:col
    (`locate` is `CompiledHandler.frame`)."""

    def replace(match: re.Match[str]) -> str:
        file, line, col = locate(int(match.group(1)), int(match.group(2) or 0))
        return f"{file}:{line}:{col}" if match.group(2) else f"{file}:{line}"

    return _FRAME.sub(replace, text)


def split_message(message: str) -> tuple[str, str]:
    """A JS failure message is `message\\n    at ...`; the 500 body carries only the message.

    The stack loses the prelude's own frames at its bottom (`run`/`dispatch`, `settle` for
    async handlers, `fetchWrapper` for `export default { fetch }`): they are evaluated as
    `<input>` too, so mapping them onto the handler's file would print line numbers the file
    does not have."""
    at = message.find("\n    at ")
    if at < 0:
        return message.rstrip("\n"), ""
    return message[:at], _GLUE_FRAMES.sub("\n", message[at:]).lstrip("\n")


_GLUE_FRAMES = re.compile(
    r"(?:\n    at (?:fetchWrapper|run|dispatch|settleNow|settle) \(<input>:\d+:\d+\))+\n?\Z"
)
