"""Response serialisation: status line, headers, Date, Content-Length, body.

Rules (RFC 9110/9112): every response carries `Date` and, unless it has no body by definition
(1xx, 204, 304), `Content-Length`; HEAD gets the headers of the GET it mirrors without the body.
Framing belongs to the server: the prelude already dropped a handler's own Content-Length,
Transfer-Encoding and Connection. The Date value is formatted once per second.
"""

from __future__ import annotations

import sys
import time

from zigttp.runtime.marshal import header_block
from zigttp.server.reasons import REASONS as _REASONS

CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
LINGER_SECONDS = 1.0  # after an error response, keep reading (and discarding) this long
_STATUS_LINES: dict[int, bytes] = {}
_date_cache: tuple[int, bytes] = (0, b"")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


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
        t = time.gmtime(now)  # RFC 9110 IMF-fixdate, spelled out to stay locale-independent
        stamp = (
            f"{_DAYS[t.tm_wday]}, {t.tm_mday:02d} {_MONTHS[t.tm_mon - 1]} {t.tm_year} "
            f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} GMT"
        )
        _date_cache = (now, b"date: " + stamp.encode("ascii") + b"\r\n")
    return _date_cache[1]


def serialize(
    status: int,
    header_block: bytes,
    body: bytes,
    *,
    keep_alive: bool,
    head_request: bool = False,
) -> bytes:
    """`header_block` is "name: value\\r\\n" lines without framing headers (the prelude drops a
    handler's own Content-Length/Transfer-Encoding/Connection).

    The head up to the Content-Length value is cached per (status, header block, keep-alive)
    for the current second (the Date it carries), so a handler answering the same headers
    again costs one dict lookup and one join."""
    key = (status, header_block, keep_alive)
    head = _heads.get(key)
    if head is None or _heads_second != int(time.time()):
        head = _head(key)
    if head.__class__ is tuple:  # no body by definition (1xx, 204, 304): a complete head
        return head[0]  # type: ignore[index,no-any-return]
    if head_request:
        return b"".join((head, b"%d" % len(body), _END[keep_alive]))  # type: ignore[arg-type]
    return b"".join((head, b"%d" % len(body), _END[keep_alive], body))  # type: ignore[arg-type]


_END = {True: b"\r\n\r\n", False: b"\r\nconnection: close\r\n\r\n"}
_heads: dict[tuple[int, bytes, bool], bytes | tuple[bytes]] = {}
_heads_second = 0
MAX_CACHED_HEADS = 512  # distinct (status, headers) a second; more are built, not cached


def _head(key: tuple[int, bytes, bool]) -> bytes | tuple[bytes]:
    """Build (and cache) the head for `key`: up to the Content-Length value, or, for a status
    without a body, the whole head as a 1-tuple."""
    global _heads_second
    status, block, keep_alive = key
    now = int(time.time())
    if now != _heads_second or len(_heads) >= MAX_CACHED_HEADS:
        _heads.clear()
        _heads_second = now
    line = _STATUS_LINES.get(status) or status_line(status)
    head: bytes | tuple[bytes]
    if status < 200 or status == 204 or status == 304:
        end = b"\r\n" if keep_alive else b"connection: close\r\n\r\n"
        head = (b"".join((line, date_header(), block, end)),)
    else:
        head = b"".join((line, date_header(), block, b"content-length: "))
    _heads[key] = head
    return head


def plain_error(
    status: int, message: str, *, keep_alive: bool = False, extra: list[tuple[str, str]] | None = None
) -> bytes:
    """A server-generated error response (text/plain body = the message)."""
    headers = [("content-type", "text/plain; charset=utf-8"), *(extra or [])]
    return serialize(status, header_block(headers), message.encode("utf-8"), keep_alive=keep_alive)


class FileResponse:
    """A response whose body is `count` bytes of a file from `offset`: the backend sends `head`
    and then streams the file with sendfile (static files above the cache's per-file limit)."""

    __slots__ = ("count", "head", "offset", "path")

    def __init__(self, head: bytes, path: str, offset: int, count: int) -> None:
        self.head = head
        self.path = path
        self.offset = offset
        self.count = count


def serialize_head(status: int, headers: list[tuple[str, str]], length: int, *, keep_alive: bool) -> bytes:
    """Status line and headers announcing a `length`-byte body that is sent separately."""
    head = serialize(status, header_block(headers), b"", keep_alive=keep_alive, head_request=True)
    return head.replace(b"content-length: 0\r\n", b"content-length: %d\r\n" % length, 1)


def report_internal_error() -> None:
    """Log a bug in zigttp met while answering a request (the caller answers 500 and closes)."""
    import traceback

    sys.stderr.write("zigttp: internal error while answering a request:\n")
    traceback.print_exc()


def with_close(data: bytes) -> bytes:
    """A keep-alive answer made the connection's last (a drain): add `connection: close`."""
    head_end = data.find(b"\r\n\r\n")
    if head_end < 0 or b"\r\nconnection: close\r\n" in data[: head_end + 2]:
        return data
    return data[:head_end] + b"\r\nconnection: close" + data[head_end:]
