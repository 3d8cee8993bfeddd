"""Sans-I/O HTTP/1.1 request reader over llhttp, in the shape of h11.

Two parsers, one answer: a whole plain request (what `native/engine/lane_parse.c` calls
plain: complete in the bytes at hand, Content-Length framing, no Expect or Upgrade, no repeated
field) is read by the engine extension's llhttp in one call; anything else, from there on for
that connection, by httptools (the same llhttp, strict, through the callbacks below), imported
only when the first such request arrives. A plain verdict is a claim that httptools would read
the same `Request` from those bytes without an error: `tests/fuzz/test_lane_parse_fuzz.py`
checks it. So the usual request costs one C call, and a cold start's first answer imports
neither httptools nor the `typing` it imports (bench/README.md, cold start).

Feed it bytes; it yields complete `Request`s and raises `ProtocolError` (carrying the status to
answer) for anything it refuses. It does no I/O, so both server backends and the fuzz tests use
exactly the same parsing and limits:

* llhttp in strict mode rejects request smuggling: Content-Length with Transfer-Encoding,
  duplicate Content-Length, obs-fold, bare LF, bad chunk sizes (→ 400).
* Body cap (seed: 1 MiB): a Content-Length over the cap is refused with 413 as soon as the
  head is parsed, before any body byte is read; a chunked body is refused once it grows past it.
* Head cap: a request line over 8 KiB → 414, a header block over 64 KiB → 431, more than 100
  header fields → 431.
* Framing and routing ambiguity (RFC 9112 §3.2, §6.1): HTTP versions other than 1.0/1.1 → 505;
  an HTTP/1.1 request without exactly one Host → 400; Transfer-Encoding on HTTP/1.0 → 400; a
  final transfer coding other than `chunked` → 400, codings before it (`gzip, chunked`) → 501;
  CONNECT → 501.
* Empty lines before a request line (RFC 9112 §2.2 says to ignore at least one) count as the
  start of a head: the header deadline runs from the first of them, so a bare CRLF every few
  seconds cannot hold a connection open by re-arming the idle timer. Before a connection's
  first request at most `MAX_LEADING_EMPTY` bytes of them are accepted (→ 400); between
  pipelined requests llhttp skips them inside a read where we cannot count them exactly, so
  there only the head cap and the header deadline bound them (the answer must not depend on
  how the stream was split into reads: the fuzzers check that).
* `Upgrade` (websocket, h2c) is ignored: the request is answered over HTTP/1.1, then closed.
* Chunked framing is bounded while it arrives (llhttp skips chunk extensions without a limit,
  httptools buffers a trailer field until it ends): the bytes between two pieces of body data
  may not exceed `MAX_CHUNK_LINE` in a size line with its extensions (→ 400) nor the head cap in
  the trailer section (→ 431), and the framing of one body may not outweigh the body cap (→ 400).
  Framing is not progress: `stalled` tells the backends not to re-arm the body timer for it.
* Trailer fields of a chunked body are parsed (and bounded as above) but discarded.
* `Expect: 100-continue` is honoured only on HTTP/1.1 and only once the length check passed, so
  an oversized upload gets its 413 instead of an invitation to send the body.
* Requests completed before an error stay in `requests`: the connection answers them in order,
  then the error, then closes.
"""

from __future__ import annotations

from _collections import deque  # (collections.deque itself, without the package's import)

from zigttp.runtime._engine import parse_request

from zigttp.errors import ProtocolError

MAX_URL_BYTES = 8 * 1024
REQUEST_LINE_EXTRA = 32  # a request line's method, spaces, version and CRLF around its URL
MAX_LEADING_EMPTY = 8  # bytes of CRLF / LF before a request line (4 empty lines)
MAX_CHUNK_LINE = 16 * 1024  # a chunk-size line with its extensions (Node's limit, CVE-2024-22019)
MAX_HEADER_COUNT = 100
ALLOWED_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"})
_METHOD_NAMES = {name.encode(): name for name in ALLOWED_METHODS}  # llhttp's bytes → our str
HTTP_VERSIONS = frozenset({"1.0", "1.1"})


class Request:
    """One parsed request. `headers` has lower-case names, repeated fields joined with ", "."""

    __slots__ = ("body", "expect_continue", "headers", "http_version", "keep_alive", "method", "url")

    def __init__(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        body: bytes = b"",
        keep_alive: bool = True,
        http_version: str = "1.1",
        expect_continue: bool = False,
    ) -> None:
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.keep_alive = keep_alive
        self.http_version = http_version
        self.expect_continue = expect_continue

    def __repr__(self) -> str:
        return f"Request({self.method} {self.url}, {len(self.headers)} headers, {len(self.body)} B)"


class RequestReader:
    """Turns a byte stream from one connection into Requests."""

    def __init__(self, max_body: int, max_head: int, *, first: bool = True, plain: bool = True) -> None:
        """`first=False`: the connection answered requests before (another reader, e.g. the
        C lane's, read them), so empty lines before the next request line are not counted.
        `plain=False`: httptools reads everything (the fuzzers' oracle for the plain reader)."""
        self.max_body = max_body
        self.max_head = max_head
        self.requests: deque[Request] = deque()
        self._parser = None if plain else _httptools().HttpRequestParser(self)
        self._unparsed_head = 0  # bytes fed since the last head completed
        self._leading_empty = 0  # bytes of empty lines fed before the next request line
        self._first = first  # no request line seen yet on this connection
        self._reset_message()
        self.head_complete_pending_continue = False
        self._upgraded = False
        self._closed = False  # a plain request that does not keep the connection was read

    def _ignore_upgrade(self) -> None:
        """RFC 9110 §7.8: a server may ignore Upgrade. The request is answered as plain HTTP/1.1,
        then the connection closes (llhttp parses nothing after an upgrade request)."""
        self._upgraded = True
        if self.requests:
            self.requests[-1].keep_alive = False
        else:
            raise ProtocolError(400, "Bad Request: incomplete upgrade request")

    def _reset_message(self) -> None:
        self._url = b""
        self._headers: list[tuple[bytes, bytes]] = []
        self._header_bytes = 0
        self._body_parts: list[bytes] = []
        self._body_size = 0
        self._in_head = False
        self._current: Request | None = None
        self._chunked = False
        self._in_trailers = False  # after the last chunk's size line (see on_chunk_header)
        self._framing_run = 0  # chunked framing bytes since the last body data
        self._framing_total = 0
        self.stalled = False  # the last feed carried no body data (framing only)

    @property
    def mid_request(self) -> bool:
        """True between the first byte of a request (an empty line before it included) and its
        completion (for the 408 timer)."""
        return self._in_head or self._current is not None or self._leading_empty > 0

    @property
    def in_head(self) -> bool:
        return self._in_head or self._leading_empty > 0

    def feed(self, data: bytes) -> None:
        if self._upgraded:
            return  # llhttp stops after an upgrade request; the connection closes after it
        if self._parser is None:
            if self._closed:  # what llhttp says of bytes after such a request, fed apart
                if data.strip(b"\r\n"):
                    raise ProtocolError(400, "Bad Request: Data after `Connection: close`")
                return
            data = self._feed_plain(data)
            if not data:
                return
            self._parser = _httptools().HttpRequestParser(self)  # from here on, for this connection
        while data:  # a head still arriving is fed up to its cap, so where it is refused (431)
            if self._current is None:  # does not depend on how the stream was split into reads
                room = self.max_head + REQUEST_LINE_EXTRA + len(self._url) - self._unparsed_head
                piece, data = data[: room + 1], data[room + 1 :]  # (its URL has its own cap: 414)
            else:
                piece, data = data, b""
            self._feed_httptools(piece)
            if self._upgraded:
                return

    def _feed_httptools(self, data: bytes) -> None:
        httptools = _httptools()
        current, body_before = self._current, self._body_size
        if current is None:
            self._unparsed_head += len(data)
            if data[:1] in b"\r\n" and not self._in_head:
                self._count_empty_lines(data)
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserCallbackError as exc:
            cause = exc.__context__
            if isinstance(cause, ProtocolError):
                raise cause from None
            raise ProtocolError(400, "Bad Request") from exc
        except httptools.HttpParserInvalidMethodError:
            raise ProtocolError(400, "Bad Request: invalid method") from None
        except httptools.HttpParserUpgrade:
            self._ignore_upgrade()
            return
        except httptools.HttpParserError as exc:
            raise ProtocolError(400, f"Bad Request: {exc}") from None
        if self._current is None:
            if self._unparsed_head - len(self._url) > self.max_head + REQUEST_LINE_EXTRA:
                raise ProtocolError(431, "Request Header Fields Too Large")
        elif self._chunked and self._current is current:  # the whole feed was in this body
            self._count_framing(len(data), self._body_size - body_before)

    def _feed_plain(self, data: bytes) -> bytes:
        """Read the whole plain requests at the start of `data` in C; return the rest."""
        requests, max_body, max_head = self.requests, self.max_body, self.max_head
        while data:
            verdict = parse_request(data, max_body, max_head)
            if verdict[0] != "plain":
                return data
            _, consumed, method, url, fields, body, keep_alive = verdict
            if not keep_alive and len(data) > consumed:
                return data  # (llhttp refuses bytes after a closing request: httptools says how)
            line_end = data.find(b"\r\n")  # (plain: the request line ends "HTTP/1.0" or "HTTP/1.1")
            version = "1.0" if data[line_end - 1 : line_end] == b"0" else "1.1"
            requests.append(
                Request(
                    method, url, {name.lower(): value for name, value in fields}, body, keep_alive, version
                )
            )
            self._first = False
            self._closed = not keep_alive
            data = data[consumed:]
        return data

    def _count_empty_lines(self, data: bytes) -> None:
        """Empty lines (llhttp skips them silently) before the next request line."""
        start = data[: MAX_LEADING_EMPTY + 1]
        self._leading_empty += len(start) - len(start.lstrip(b"\r\n"))
        if self._leading_empty > MAX_LEADING_EMPTY and self._first:
            raise ProtocolError(400, "Bad Request: too many empty lines before the request line")

    def _count_framing(self, fed: int, data_bytes: int) -> None:
        """Bound the chunked framing of the current body (see the module doc).

        Per feed, not per byte: a feed that carried body data resets the run (it under-counts
        by at most one read), so the hot path stays in llhttp."""
        framing = fed - data_bytes
        self._framing_total += framing
        self.stalled = data_bytes == 0
        self._framing_run = self._framing_run + framing if self.stalled else 0
        if self._in_trailers:
            if self._framing_run > self.max_head:
                raise ProtocolError(431, "Request Header Fields Too Large: trailer section")
        elif self._framing_run > MAX_CHUNK_LINE:
            raise ProtocolError(400, "Bad Request: chunk size line (extensions) too long")
        if self._framing_total > self.max_body:
            raise ProtocolError(400, "Bad Request: chunk framing outweighs the body cap")

    # -- httptools callbacks (the hot path: keep them small) ----------------------------------
    def on_message_begin(self) -> None:
        self._in_head = True
        self._leading_empty = 0
        self._first = False

    def on_url(self, url: bytes) -> None:
        self._url = self._url + url if self._url else url
        if len(self._url) > MAX_URL_BYTES:
            raise ProtocolError(414, "URI Too Long")

    def on_header(self, name: bytes, value: bytes) -> None:
        headers = self._headers
        if len(headers) >= MAX_HEADER_COUNT:
            raise ProtocolError(431, "Request Header Fields Too Large: too many headers")
        self._header_bytes += len(name) + len(value) + 4
        if self._header_bytes > self.max_head:
            raise ProtocolError(431, "Request Header Fields Too Large")
        if self._current is None:  # else a trailer field: counted, never shown to the handler
            headers.append((name, value))

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._unparsed_head = 0
        parser = self._parser
        method = _METHOD_NAMES.get(parser.get_method())
        if method is None:
            name = parser.get_method().decode("ascii", "replace")
            raise ProtocolError(501, f"Not Implemented: method {name}")
        version = parser.get_http_version()
        if version not in HTTP_VERSIONS:
            raise ProtocolError(505, f"HTTP Version Not Supported: {version}")
        headers, hosts = _header_dict(self._headers)
        if hosts != 1 and (hosts > 1 or version == "1.1"):
            raise ProtocolError(400, "Bad Request: an HTTP/1.1 request needs exactly one Host header")
        if "transfer-encoding" in headers:
            _check_transfer_encoding(headers["transfer-encoding"], version)
        if "content-length" in headers:
            self._check_length(headers["content-length"])
        url = self._url.decode("utf-8", "replace")
        if url[:1] != "/" and not (method == "OPTIONS" and url == "*"):
            url = _origin_form(url)
        expect = version == "1.1" and "expect" in headers and headers["expect"].lower() == "100-continue"
        self._chunked = "transfer-encoding" in headers
        self._current = Request(method, url, headers, b"", parser.should_keep_alive(), version, expect)
        if expect:
            self.head_complete_pending_continue = True

    def _check_length(self, length: str) -> None:
        if not length.isdigit():
            raise ProtocolError(400, "Bad Request: invalid Content-Length")
        if int(length) > self.max_body:
            raise ProtocolError(413, "Payload Too Large")

    def on_body(self, body: bytes) -> None:
        self._in_trailers = False
        self._body_size += len(body)
        if self._body_size > self.max_body:
            raise ProtocolError(413, "Payload Too Large")
        self._body_parts.append(body)

    def on_chunk_header(self) -> None:
        # llhttp calls this once a size line is complete, the last chunk's (size 0) included;
        # if no body data follows before on_chunk_complete, the bytes are the trailer section.
        self._in_trailers = True

    def on_chunk_complete(self) -> None:
        self._in_trailers = False

    def on_message_complete(self) -> None:
        request = self._current
        assert request is not None
        if self._body_parts:
            request.body = b"".join(self._body_parts)
            self._body_parts = []
            self._body_size = 0
            request.keep_alive = self._parser.should_keep_alive()
        self.requests.append(request)
        self._url = b""
        self._headers = []
        self._header_bytes = 0
        self._current = None
        self.head_complete_pending_continue = False
        if self._chunked:
            self._chunked = self._in_trailers = self.stalled = False
            self._framing_run = self._framing_total = 0


def _httptools():  # the module, imported on the first request C does not call plain
    import httptools

    return httptools


def _header_dict(pairs: list[tuple[bytes, bytes]]) -> tuple[dict[str, str], int]:
    """Lower-case names, repeated fields joined with ", " (RFC 9110 §5.3); and the Host count."""
    headers: dict[str, str] = {}
    hosts = 0
    for raw_name, raw_value in pairs:
        name = raw_name.decode("latin-1").lower()
        value = raw_value.decode("latin-1")
        if name in headers:
            headers[name] = f"{headers[name]}, {value}"
        else:
            headers[name] = value
        if name == "host":
            hosts += 1
    return headers, hosts


def _check_transfer_encoding(value: str | None, version: str) -> None:
    """RFC 9112 §6.1: a final coding other than chunked → 400; codings we cannot decode → 501."""
    if value is None:
        return
    if version == "1.0":
        raise ProtocolError(400, "Bad Request: Transfer-Encoding in an HTTP/1.0 request")
    codings = [coding.strip().lower() for coding in value.split(",")]
    if codings[-1] != "chunked":  # the body length cannot be determined: MUST be 400
        raise ProtocolError(400, "Bad Request: chunked must be the final transfer coding")
    if len(codings) > 1:
        raise ProtocolError(501, f"Not Implemented: transfer coding {value!r}")


def _origin_form(url: str) -> str:
    """Absolute-form targets (`http://host/path`) are reduced to origin-form (`/path`)."""
    scheme = url.find("://")
    if scheme < 0:
        raise ProtocolError(400, "Bad Request: invalid request target")
    slash = url.find("/", scheme + 3)
    return "/" if slash < 0 else url[slash:]


def parse_chunks(
    chunks: list[bytes], max_body: int, max_head: int, *, plain: bool = True
) -> tuple[list[Request], int | None]:
    """Feed `chunks` to one reader until the first refusal: (requests, refusal status or None).

    The fuzzers' oracle: feeding a stream whole or in pieces must give the same answer
    (`plain=False`: httptools alone, the oracle for the plain reader)."""
    reader = RequestReader(max_body, max_head, plain=plain)
    for chunk in chunks:
        try:
            reader.feed(chunk)
        except ProtocolError as exc:
            return list(reader.requests), exc.status
    return list(reader.requests), None
