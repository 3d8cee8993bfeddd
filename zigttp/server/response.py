"""Response serialisation: status line, headers, Date, Content-Length, body.

Rules (RFC 9110/9112): every response carries `Date` and, unless it has no body by definition
(1xx, 204, 304), `Content-Length`; HEAD gets the headers of the GET it mirrors without the body.
Handler-supplied framing headers (Content-Length, Transfer-Encoding, Connection) are dropped:
framing belongs to the server. The Date value is formatted once per second.
"""

from __future__ import annotations

import time
from email.utils import formatdate
from http import HTTPStatus

_FRAMING = frozenset({"content-length", "transfer-encoding", "connection", "keep-alive"})
_REASONS = {status.value: status.phrase for status in HTTPStatus} | {
    413: "Payload Too Large",  # the seed's wording (RFC 9110: "Content Too Large")
    414: "URI Too Long",
}
_STATUS_LINES: dict[int, bytes] = {}
_date_cache: tuple[int, bytes] = (0, b"")


def status_line(status: int) -> bytes:
    line = _STATUS_LINES.get(status)
    if line is None:
        line = f"HTTP/1.1 {status} {_REASONS.get(status, 'Unknown')}\r\n".encode("ascii")
        _STATUS_LINES[status] = line
    return line


def date_header() -> bytes:
    global _date_cache
    now = int(time.time())
    if _date_cache[0] != now:
        _date_cache = (now, b"date: " + formatdate(now, usegmt=True).encode("ascii") + b"\r\n")
    return _date_cache[1]


def has_no_body(status: int) -> bool:
    return status < 200 or status in (204, 304)


def serialize(
    status: int,
    headers: list[tuple[str, str]],
    body: bytes,
    *,
    keep_alive: bool,
    head_request: bool = False,
) -> bytes:
    parts = [status_line(status), date_header()]
    for name, value in headers:
        if name.lower() not in _FRAMING:
            parts.append(f"{name}: {value}\r\n".encode("latin-1", "replace"))
    if has_no_body(status):
        body = b""
    else:
        parts.append(b"content-length: %d\r\n" % len(body))
    if not keep_alive:
        parts.append(b"connection: close\r\n")
    parts.append(b"\r\n")
    if not head_request:
        parts.append(body)
    return b"".join(parts)


def plain_error(status: int, message: str, *, keep_alive: bool = False,
                extra: list[tuple[str, str]] | None = None) -> bytes:
    """A server-generated error response (text/plain body = the message)."""
    headers = [("content-type", "text/plain; charset=utf-8"), *(extra or [])]
    return serialize(status, headers, message.encode("utf-8"), keep_alive=keep_alive)


class FileResponse:
    """A response whose body is `count` bytes of a file from `offset`: the backend sends `head`
    and then streams the file with sendfile (static files above the cache's per-file limit)."""

    __slots__ = ("count", "head", "offset", "path")

    def __init__(self, head: bytes, path: str, offset: int, count: int) -> None:
        self.head = head
        self.path = path
        self.offset = offset
        self.count = count


def serialize_head(status: int, headers: list[tuple[str, str]], length: int, *,
                   keep_alive: bool) -> bytes:
    """Status line and headers announcing a `length`-byte body that is sent separately."""
    head = serialize(status, headers, b"", keep_alive=keep_alive, head_request=True)
    return head.replace(b"content-length: 0\r\n", b"content-length: %d\r\n" % length, 1)
