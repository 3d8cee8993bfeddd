"""CompressionStream / DecompressionStream: Python's `zlib` (gzip, deflate, deflate-raw) and
Google's `brotli` package (brotli), one host object per JS stream.

The JS side (runtime/js/web/37-compression.js) opens a handle on the first chunk, feeds
chunks, drains output and closes the handle when the stream ends, errors, is cancelled or
is garbage-collected; the handle table is the runtime's `HostState`, so whatever a request
leaves open goes with its runtime.

Bounds (docs/streams.md, "Compression"): decompression yields at most OUTPUT_PIECE bytes a
call (the JS side asks for more only when the readable side has room), so a decompression
bomb costs the runtime's memory limit (-m) or its deadline, never the server's memory. The
memory the codecs hold outside the JS heap (which -m does not count) is bounded per
runtime: each open stream is charged its codec's worst case (COST) against HOST_BUDGET.
"""

from __future__ import annotations

import zlib

from zigttp.web import HostState, NativeError, native

OUTPUT_PIECE = 64 * 1024
HOST_BUDGET = 64 * 1024 * 1024  # bytes of codec state one runtime may hold at once
BROTLI_QUALITY, BROTLI_LGWIN = 5, 18  # ~gzip -6 speed; a 256 KiB window keeps encoders small
_TRAILING = "DecompressionStream: data after the end of the compressed stream"
_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS, "deflate-raw": -zlib.MAX_WBITS}
_FORMATS = "gzip, deflate, deflate-raw, brotli"


class _Inflater:
    """A decompressobj that hands out its output in bounded pieces."""

    def __init__(self, wbits: int) -> None:
        self.zlib = zlib.decompressobj(wbits)

    def feed(self, data: bytes) -> list[object]:
        """[output piece, more pending?] for `data` (b"" continues the pending input)."""
        source = self.zlib.unconsumed_tail + data if data else self.zlib.unconsumed_tail
        if self.zlib.eof:
            if source:
                raise NativeError("TypeError", _TRAILING)
            return [b"", False]
        try:
            out = self.zlib.decompress(source, OUTPUT_PIECE)
        except zlib.error as exc:
            raise NativeError("TypeError", f"DecompressionStream: the data is not valid ({exc})") from None
        if self.zlib.eof and self.zlib.unused_data:
            raise NativeError("TypeError", _TRAILING)
        return [out, bool(self.zlib.unconsumed_tail)]

    def finish(self) -> bytes:
        if not self.zlib.eof:
            raise NativeError("TypeError", "DecompressionStream: the compressed data ended early")
        return b""


class _Deflater:
    def __init__(self, wbits: int) -> None:
        self.zlib = zlib.compressobj(wbits=wbits)

    def feed(self, data: bytes) -> list[object]:
        return [self.zlib.compress(data), False]

    def finish(self) -> bytes:
        return self.zlib.flush()


class _BrotliInflater:
    """brotli's Decompressor, drained OUTPUT_PIECE bytes at a time like _Inflater."""

    def __init__(self) -> None:
        import brotli  # imported on the first brotli stream only

        self.error = brotli.error
        self.codec = brotli.Decompressor()

    def feed(self, data: bytes) -> list[object]:
        if data and self.codec.is_finished():
            raise NativeError("TypeError", _TRAILING)
        try:
            out = self.codec.process(data, output_buffer_limit=OUTPUT_PIECE)
        except self.error as exc:
            raise NativeError("TypeError", f"DecompressionStream: the data is not valid ({exc})") from None
        more = not self.codec.can_accept_more_data() or (bool(out) and not self.codec.is_finished())
        return [out, more]

    def finish(self) -> bytes:
        if not self.codec.is_finished():
            raise NativeError("TypeError", "DecompressionStream: the compressed data ended early")
        return b""


class _BrotliDeflater:
    def __init__(self) -> None:
        import brotli

        self.codec = brotli.Compressor(quality=BROTLI_QUALITY, lgwin=BROTLI_LGWIN)

    def feed(self, data: bytes) -> list[object]:
        return [self.codec.process(data), False]

    def finish(self) -> bytes:
        return self.codec.finish()  # type: ignore[no-any-return]


# Worst-case codec memory outside the JS heap: zlib's deflate (wbits 15, memLevel 8) ~256 KiB,
# inflate ~44 KiB; a brotli decoder's window may be 16 MiB (the stream chooses it).
COST = {_Deflater: 256 << 10, _Inflater: 48 << 10, _BrotliDeflater: 4 << 20, _BrotliInflater: 16 << 20}


def _make(fmt: str, decompress: bool) -> _Inflater | _Deflater | _BrotliInflater | _BrotliDeflater:
    if fmt == "brotli":
        return _BrotliInflater() if decompress else _BrotliDeflater()
    wbits = _WBITS.get(fmt)
    if wbits is None:
        raise NativeError("TypeError", f"unsupported compression format {fmt!r} ({_FORMATS})")
    return _Inflater(wbits) if decompress else _Deflater(wbits)


@native("compression.open", stateful=True)
def open_stream(state: HostState, fmt: str, decompress: bool) -> int:
    stream = _make(fmt, decompress)
    held = sum(COST.get(type(value), 0) for value in state.handles.values())
    if held + COST[type(stream)] > HOST_BUDGET:
        raise NativeError(
            "RangeError",
            "too many compression streams open at once in this runtime (their "
            f"codecs may hold {HOST_BUDGET >> 20} MiB); close or cancel the ones you are done "
            "with",
        )
    return state.add(stream)


@native("compression.feed", stateful=True)
def feed(state: HostState, handle: int, data: bytes) -> list[object]:
    return state.get(handle, "compression.feed").feed(data)  # type: ignore[no-any-return]


@native("compression.finish", stateful=True)
def finish(state: HostState, handle: int) -> bytes:
    stream = state.get(handle, "compression.finish")
    try:
        return stream.finish()  # type: ignore[no-any-return]
    finally:
        state.handles.pop(handle, None)


@native("compression.close", stateful=True)
def close(state: HostState, handle: int) -> None:
    state.handles.pop(handle, None)
