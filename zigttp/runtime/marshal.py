"""Request → JS arguments and the prelude's encoded response → HandlerResponse.

One string each way (measured: one JSON string per call is cheaper than building JS objects
through the binding). The wire format of the response string is defined in prelude.js:

    "<status>\\n<name>: <value>\\n...\\n\\n<body>"   or   "!<kind>\\n<message>"
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from zigttp import errors

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_FRAME = re.compile(r"<input>:(\d+)(?::(\d+))?")
_FAILURES: dict[str, type[errors.HandlerError]] = {
    "X": errors.HandlerException,
    "H": errors.InvalidHandler,
    "R": errors.InvalidHandlerResult,
    "D": errors.CallStackOverflow,
    "S": errors.StackOverflow,
    "M": errors.MemoryLimitExceeded,
}
BINARY_MARKER = "x-zigttp-binary"


@dataclass(slots=True)
class HandlerResponse:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""


def encode_headers(headers: dict[str, str]) -> str:
    """Lower-cased request headers as the JSON object the prelude parses."""
    return _dumps(headers)


def decode_response(encoded: str) -> HandlerResponse:
    """Parse the prelude's response string; failures raise the matching HandlerError."""
    if encoded.startswith("!"):
        raise failure(encoded)
    head, _, body = encoded.partition("\n\n")
    status_text, *lines = head.split("\n")
    headers: list[tuple[str, str]] = []
    binary = False
    for line in lines:
        name, _, value = line.partition(": ")
        if name == BINARY_MARKER:
            binary = True
        else:
            headers.append((name, value))
    payload = (body.replace("\u0100", "\x00").encode("latin-1") if binary
               else body.encode("utf-8", "surrogatepass"))
    return HandlerResponse(int(status_text), headers, payload)


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
