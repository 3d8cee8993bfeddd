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
    """Parse the prelude's response string; failures raise the matching HandlerError."""
    if encoded.startswith("!"):
        raise failure(encoded)
    status_end = encoded.find("\r\n")
    end = encoded.find("\r\n\n", status_end)
    status_text = encoded[:status_end]
    body = encoded[end + 3 :]
    if status_text.endswith("b"):  # binary: bytes as latin-1, NUL carried as U+0100 (prelude.js)
        payload = body.replace("\u0100", "\x00").encode("latin-1")
        status_text = status_text[:-1]
    else:
        payload = body.encode("utf-8", "surrogatepass")
    block = encoded[status_end + 2 : end + 2].encode("latin-1", "replace")
    return HandlerResponse(int(status_text), block, payload)


def failure(encoded: str) -> errors.HandlerError:
    kind, _, message = encoded[1:].partition("\n")
    error_class = _FAILURES.get(kind, errors.HandlerException)
    return error_class(message or "Internal Server Error")


def map_stack(text: str, locate: Callable[[int], tuple[str, int]]) -> str:
    """Rewrite `<input>:LINE:COL` stack frames to the user's file:line:col."""

    def replace(match: re.Match[str]) -> str:
        file, line = locate(int(match.group(1)))
        col = f":{match.group(2)}" if match.group(2) else ""
        return f"{file}:{line}{col}"

    return _FRAME.sub(replace, text)


def split_message(message: str) -> tuple[str, str]:
    """A JS failure message is `message\\n    at ...`; the 500 body carries only the message."""
    at = message.find("\n    at ")
    if at < 0:
        return message.rstrip("\n"), ""
    return message[:at], message[at + 1 :]
