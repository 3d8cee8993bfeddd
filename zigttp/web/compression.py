"""CompressionStream / DecompressionStream: Python's `zlib`, one stream object per JS stream.

The JS side (runtime/js/web/37-compression.js) opens a handle on the first chunk, feeds
chunks, drains output and closes the handle when the stream ends, errors, is cancelled or
is garbage-collected; the handle table is the runtime's `HostState`, so whatever a request
leaves open goes with its runtime.

Bounds (docs/streams.md, "Compression"): decompression yields at most OUTPUT_PIECE bytes a
call (the JS side asks for more only when the readable side has room), so a decompression
bomb costs the runtime's memory limit (-m) or its deadline, never the server's memory; at
most MAX_OPEN zlib objects per runtime live at once (each holds up to ~256 KiB outside the
JS heap's limit).
"""

from __future__ import annotations

import zlib

from zigttp.web import HostState, NativeError, native

OUTPUT_PIECE = 64 * 1024
MAX_OPEN = 64
_TRAILING = "DecompressionStream: data after the end of the compressed stream"
_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS, "deflate-raw": -zlib.MAX_WBITS}


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


@native("compression.open", stateful=True)
def open_stream(state: HostState, fmt: str, decompress: bool) -> int:
    wbits = _WBITS.get(fmt)
    if wbits is None:
        raise NativeError("TypeError", f"unsupported compression format {fmt!r} (gzip, deflate, deflate-raw)")
    if state.count(_Inflater) + state.count(_Deflater) >= MAX_OPEN:
        raise NativeError(
            "RangeError",
            f"at most {MAX_OPEN} compression streams can be open at once in a "
            "runtime; close or cancel the ones you are done with",
        )
    return state.add(_Inflater(wbits) if decompress else _Deflater(wbits))


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
