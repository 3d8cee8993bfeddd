"""`--static DIR`: map a request to a file under DIR and plan the response, without doing socket I/O.

`StaticFiles.respond(method, url, headers)` returns a `StaticReply` (status, headers, body or a
file slice to stream) or None when the handler should answer instead. Rules:

* only GET and HEAD; a file is found under its own path (`/css/app.css` → `DIR/css/app.css`)
  or under `/static/...` (`/static/css/app.css` → the same file); a directory serves its
  `index.html` (redirecting `/docs` → `/docs/` so relative links work). No file → handler.
  (Upstream sliced `/static` one character short and answered 403 to everything; not copied.)
* nothing escapes DIR: after percent-decoding, a path with a NUL byte, a backslash, a `.` or
  `..` segment, an absolute remainder (`//etc/passwd`, `%2fetc`) or a drive prefix, or one
  whose real path (symlinks resolved) lies outside DIR is answered 404 here and never reaches
  the handler. Dot-files other than `.well-known` are not served.
* validators: strong `ETag` ("mtime_ns-size" in hex) and `Last-Modified`; `If-None-Match`
  (takes precedence) or `If-Modified-Since` → 304 (RFC 9110 §13.2.2).
* `Range: bytes=...` (one range) → 206 + `Content-Range`; unsatisfiable → 416; `If-Range`
  that does not match → the full 200. Several ranges → the full 200 (allowed by RFC 9110 §14.2).
  A malformed `Range` (non-ASCII digits included) or an unparseable `If-Modified-Since` (a
  year past 9999) is ignored, as RFC 9110 §13.1.3 and §14.2 say.
* precompressed siblings (`app.js.br`, `app.js.gz`) are chosen by `Accept-Encoding` q-values
  (br wins ties) with `Vary: Accept-Encoding`; range requests always get the identity file.
* bodies up to `static_cache_max_file_size` come from a byte-bounded LRU cache
  (`static_cache.StaticCache`); larger files are streamed by the backend with sendfile.
"""

from __future__ import annotations

import functools
import mimetypes
import os
import re
import stat
import urllib.parse
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime

from zigttp.server.static_cache import StaticCache

_EXTRA_TYPES = {
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".webp": "image/webp",
    ".mjs": "text/javascript",
    ".map": "application/json",
    ".ico": "image/x-icon",
    ".avif": "image/avif",
    ".webmanifest": "application/manifest+json",
}
_TEXTUAL = re.compile(r"^(text/.*|application/(javascript|json|xml|manifest\+json)|image/svg\+xml)$")
_DRIVE = re.compile(r"^[A-Za-z]:")
_ENCODINGS = (("br", ".br"), ("gzip", ".gz"))
_DIGITS = re.compile(r"[0-9]+")  # RFC 9110 DIGIT is ASCII: '²'.isdigit() is True, int('²') fails


@dataclass(slots=True)
class StaticReply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes = b""
    file: str | None = None  # when set, stream `length` bytes of this file from `offset`
    offset: int = 0
    length: int = 0


@dataclass(slots=True)
class _Found:
    path: str
    redirect: str | None = None  # a directory requested without its trailing slash


@dataclass(slots=True)
class _Variant:
    path: str
    info: os.stat_result
    encoding: str | None
    vary: bool = False
    extra: list[tuple[str, str]] = field(default_factory=list)


class Escape(Exception):
    """The request path tries to leave DIR (answered 404, never passed to the handler)."""


@functools.cache
def _mime_table() -> mimetypes.MimeTypes:
    """Python's built-in table only (the host's /etc/mime.types must not matter); built on first
    use because it costs ~15 ms, which `serve` without --static should not pay at start-up."""
    table = mimetypes.MimeTypes()
    for extension, kind in _EXTRA_TYPES.items():
        table.add_type(kind, extension)
    return table


def content_type(path: str) -> str:
    kind, _ = _mime_table().guess_type(path, strict=False)
    kind = kind or "application/octet-stream"
    return f"{kind}; charset=utf-8" if _TEXTUAL.match(kind) else kind


def etag_for(info: os.stat_result, suffix: str = "") -> str:
    return f'"{info.st_mtime_ns:x}-{info.st_size:x}{suffix}"'


class StaticFiles:
    def __init__(self, root: str, *, cache_max_bytes: int, cache_max_file_size: int) -> None:
        self.root = os.path.realpath(root)
        if not os.path.isdir(self.root):
            from zigttp.errors import UsageError

            raise UsageError(f"--static {root!r} is not a directory")
        self.cache = StaticCache(cache_max_bytes, cache_max_file_size)
        _mime_table()  # pay for the table at start-up, not on the first request

    # -- entry point ----------------------------------------------------------------------------
    def respond(self, method: str, url: str, headers: dict[str, str]) -> StaticReply | None:
        if method not in ("GET", "HEAD"):
            return None
        try:
            found = self.find(url)
        except Escape:
            return StaticReply(404, [("content-type", "text/plain; charset=utf-8")], b"Not Found")
        if found is None:
            return None
        if found.redirect is not None:
            return StaticReply(301, [("location", found.redirect)])
        return self._file_reply(found.path, headers)

    # -- path resolution ------------------------------------------------------------------------
    def find(self, url: str) -> _Found | None:
        """The file a URL names, None when there is none, Escape when the path is hostile."""
        raw, _, query = url.partition("?")
        raw = raw.partition("#")[0]
        if not raw.startswith("/"):
            return None
        try:
            decoded = urllib.parse.unquote(raw, errors="strict")
        except UnicodeDecodeError:
            raise Escape() from None
        if "\x00" in decoded or "\\" in decoded:
            raise Escape()
        relative = decoded[1:]
        candidates = [relative]
        if relative.startswith("static/"):
            candidates.append(relative[len("static/") :])
        for candidate in candidates:
            found = self._lookup(candidate, raw, query)
            if found is not None:
                return found
        return None

    def _lookup(self, relative: str, raw: str, query: str) -> _Found | None:
        parts = relative.split("/")
        if relative.startswith("/") or _DRIVE.match(relative):
            raise Escape()
        if any(part in (".", "..") for part in parts):
            raise Escape()
        if any(part.startswith(".") and part != ".well-known" for part in parts):
            return None
        if "" in parts[:-1]:
            return None
        real = os.path.realpath(os.path.join(self.root, *parts))
        if real != self.root and not real.startswith(self.root + os.sep):
            raise Escape()  # a symlink pointing outside DIR
        if os.path.isdir(real):
            index = os.path.join(real, "index.html")
            if not os.path.isfile(index):
                return None
            if not raw.endswith("/"):
                return _Found(index, raw + "/" + (f"?{query}" if query else ""))
            return _Found(index)
        return _Found(real) if os.path.isfile(real) else None

    # -- response planning ----------------------------------------------------------------------
    def _file_reply(self, path: str, request: dict[str, str]) -> StaticReply | None:
        try:
            variant = self._variant(path, request)
        except OSError:
            return None
        info = variant.info
        tag = etag_for(info, f"-{variant.encoding}" if variant.encoding else "")
        headers = [
            ("content-type", content_type(path)),
            ("etag", tag),
            ("last-modified", formatdate(info.st_mtime, usegmt=True)),
            ("accept-ranges", "bytes"),
            *variant.extra,
        ]
        if variant.vary:
            headers.append(("vary", "Accept-Encoding"))
        if _not_modified(request, tag, info):
            return StaticReply(304, [h for h in headers if h[0] != "content-type"])
        size = info.st_size
        span = (0, size)
        range_header = request.get("range")
        if range_header and variant.encoding is None and _if_range_holds(request, tag, headers):
            parsed = parse_range(range_header, size)
            if parsed == "unsatisfiable":
                return StaticReply(416, [("content-range", f"bytes */{size}"), *headers[1:]])
            if parsed is not None:
                span = parsed
                headers.append(("content-range", f"bytes {span[0]}-{span[1] - 1}/{size}"))
        status = 206 if span != (0, size) or "content-range" in dict(headers) else 200
        return self._body(status, headers, variant, span)

    def _variant(self, path: str, request: dict[str, str]) -> _Variant:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise OSError("not a regular file")
        siblings = {}
        for encoding, suffix in _ENCODINGS:
            try:
                sibling = os.stat(path + suffix)
            except OSError:
                continue
            if stat.S_ISREG(sibling.st_mode):
                siblings[encoding] = (path + suffix, sibling)
        if not siblings:
            return _Variant(path, info, None)
        chosen = (
            None
            if "range" in request
            else choose_encoding(request.get("accept-encoding", ""), tuple(siblings))
        )
        if chosen is None:
            return _Variant(path, info, None, vary=True)
        sibling_path, sibling_info = siblings[chosen]
        return _Variant(sibling_path, sibling_info, chosen, vary=True, extra=[("content-encoding", chosen)])

    def _body(
        self, status: int, headers: list[tuple[str, str]], variant: _Variant, span: tuple[int, int]
    ) -> StaticReply:
        start, end = span
        if not self.cache.cacheable(variant.info.st_size):
            return StaticReply(status, headers, file=variant.path, offset=start, length=end - start)
        data = self.cache.read(variant.path, variant.info)
        return StaticReply(status, headers, data[start:end])


def _not_modified(request: dict[str, str], tag: str, info: os.stat_result) -> bool:
    match = request.get("if-none-match")
    if match is not None:
        candidates = [item.strip().removeprefix("W/") for item in match.split(",")]
        return "*" in candidates or tag in candidates
    since = request.get("if-modified-since")
    if since is None:
        return False
    try:
        stamp = parsedate_to_datetime(since).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):  # RFC 9110 §13.1.3: ignore it
        return False
    return int(info.st_mtime) <= stamp


def _if_range_holds(request: dict[str, str], tag: str, headers: list[tuple[str, str]]) -> bool:
    condition = request.get("if-range")
    if condition is None:
        return True
    return condition.strip() in (tag, dict(headers)["last-modified"])


def parse_range(header: str, size: int) -> tuple[int, int] | str | None:
    """One `bytes=` range → (start, end-exclusive); "unsatisfiable" → 416; None → ignore it."""
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    first, dash, last = spec.strip().partition("-")
    if not dash or not (first or last):
        return None
    if (first and not _DIGITS.fullmatch(first)) or (last and not _DIGITS.fullmatch(last)):
        return None  # malformed: ignored, the full 200 (RFC 9110 §14.2)
    if not first:  # suffix range: the last N bytes
        count = int(last)
        return (max(0, size - count), size) if count and size else "unsatisfiable"
    start = int(first)
    end = int(last) + 1 if last else size
    if last and end <= start:
        return None
    if start >= size:
        return "unsatisfiable"
    return start, min(end, size)


def choose_encoding(header: str, available: tuple[str, ...]) -> str | None:
    """The best of `available` by q-value (br before gzip on ties); None means identity."""
    weights: dict[str, float] = {}
    for item in header.split(","):
        name, _, params = item.strip().partition(";")
        quality = 1.0
        key, _, value = params.strip().partition("=")
        if key.strip().lower() == "q":
            try:
                quality = float(value)
            except ValueError:
                quality = 0.0
        if name:
            weights[name.strip().lower()] = quality
    best, best_q = None, 0.0
    for encoding in available:
        quality = weights.get(encoding, weights.get("*", 0.0))
        if quality > best_q:
            best, best_q = encoding, quality
    return best
