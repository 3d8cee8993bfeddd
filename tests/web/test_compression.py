"""CompressionStream / DecompressionStream against Python's zlib and gzip, their errors, the
per-runtime handle table and a decompression bomb under the runtime's memory limit."""

from __future__ import annotations

import gzip
import os
import zlib

import pytest

from tests.web.jsrun import call, call_json, runtime
from zigttp import errors
from zigttp.web import compression

COLLECT = """
async function collect(readable) {
  const parts = []; let size = 0;
  for await (const part of readable) { parts.push(part); size += part.byteLength; }
  const out = new Uint8Array(size); let at = 0;
  for (const part of parts) { out.set(part, at); at += part.byteLength; }
  return out;
}
function chunked(bytes, size) {  // the body in `size`-byte chunks, to split the zlib stream
  const chunks = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.slice(i, i + size));
  return ReadableStream.from(chunks);
}
"""
ROUND_TRIP = (
    COLLECT
    + """
async function handler(req) {
  const [mode, format] = req.path.slice(1).split("/");
  const Stream = mode === "compress" ? CompressionStream : DecompressionStream;
  return new Response(await collect(chunked(req.bytes(), 1000).pipeThrough(new Stream(format))));
}
"""
)
PAYLOAD = os.urandom(20000) + b"zigttp " * 5000
PY_COMPRESS = {
    "gzip": gzip.compress,
    "deflate": zlib.compress,
    "deflate-raw": lambda data: (lambda c: c.compress(data) + c.flush())(zlib.compressobj(wbits=-15)),
}
PY_DECOMPRESS = {
    "gzip": gzip.decompress,
    "deflate": zlib.decompress,
    "deflate-raw": lambda data: zlib.decompress(data, -15),
}


@pytest.fixture(scope="module")
def round_trip():
    return runtime(ROUND_TRIP)


@pytest.mark.parametrize("fmt", list(PY_COMPRESS))
def test_what_compression_stream_writes_python_decompresses(round_trip, fmt: str) -> None:
    packed = call(round_trip, PAYLOAD, f"/compress/{fmt}")
    assert PY_DECOMPRESS[fmt](packed) == PAYLOAD


@pytest.mark.parametrize("fmt", list(PY_COMPRESS))
def test_what_python_compresses_decompression_stream_reads(round_trip, fmt: str) -> None:
    assert call(round_trip, PY_COMPRESS[fmt](PAYLOAD), f"/decompress/{fmt}") == PAYLOAD


ERRORS = (
    COLLECT
    + """
async function attempt(format, bytes) {
  try { await collect(chunked(bytes, 7).pipeThrough(new DecompressionStream(format))); return "ok"; }
  catch (e) { return e.name + ": " + e.message; }
}
async function handler(req) {
  const good = req.bytes();
  const trailing = new Uint8Array(good.length + 3); trailing.set(good); trailing.set([1, 2, 3], good.length);
  let badFormat;
  try { new CompressionStream("brotli-ish"); } catch (e) { badFormat = e.name + ": " + e.message; }
  return Response.json({
    garbage: await attempt("deflate", new Uint8Array([1, 2, 3, 4, 5])),
    truncated: await attempt("gzip", good.slice(0, good.length - 4)),
    trailing: await attempt("gzip", trailing),
    wrongFormat: await attempt("deflate", good),
    badFormat,
  });
}
"""
)


def test_corrupt_truncated_and_trailing_input_are_type_errors_and_leave_no_handle() -> None:
    rt = runtime(ERRORS)
    out = call_json(rt, gzip.compress(b"hello world" * 100))
    assert out["garbage"].startswith("TypeError: DecompressionStream: the data is not valid")
    assert out["truncated"] == "TypeError: DecompressionStream: the compressed data ended early"
    assert out["trailing"] == "TypeError: DecompressionStream: data after the end of the compressed stream"
    assert out["wrongFormat"].startswith("TypeError:")
    assert out["badFormat"].startswith("TypeError: CompressionStream: unsupported format")
    assert rt.host_state.handles == {}


HANDLES = """
async function handler(req) {
  if (req.path === "/leak") {  // open zlib objects and drop the streams half way
    const out = [];
    for (let i = 0; i < Number(req.query.n); i++) {
      const cs = new CompressionStream("gzip");
      const reader = cs.readable.getReader();
      reader.read();  // room on the readable side: the chunk reaches zlib
      await cs.writable.getWriter().write(new Uint8Array([1, 2, 3]));
      reader.releaseLock();
      out.push(cs);
    }
    globalThis.kept = out;
    return "opened";
  }
  if (req.path === "/cancel") {
    for (const cs of globalThis.kept) await cs.readable.cancel("done");
    return "cancelled";
  }
  try {
    const cs = new CompressionStream("gzip");
    cs.readable.getReader().read();
    await cs.writable.getWriter().write(new Uint8Array([1]));
    return "opened another";
  } catch (e) { return e.name + ": " + e.message; }
}
"""


def test_handles_are_per_runtime_bounded_and_freed_on_cancel() -> None:
    rt, other = runtime(HANDLES), runtime(HANDLES)
    assert call(rt, path=f"/leak?n={compression.MAX_OPEN}") == b"opened"
    assert len(rt.host_state.handles) == compression.MAX_OPEN
    assert other.host_state.handles == {}  # another runtime's table is its own
    assert call(rt, path="/more").startswith(b"RangeError: at most 64 compression streams")
    assert call(rt, path="/cancel") == b"cancelled"
    assert rt.host_state.handles == {}
    assert call(rt, path="/more") == b"opened another"


BOMB = """
async function handler(req) {
  const kept = [];
  for await (const piece of ReadableStream.from([req.bytes()]).pipeThrough(new DecompressionStream("gzip"))) {
    kept.push(piece);  // a handler that keeps everything it inflates
  }
  return "inflated " + kept.length;
}
"""


def test_a_decompression_bomb_stops_at_the_runtime_memory_limit() -> None:
    bomb = gzip.compress(bytes(256 * 1024 * 1024), compresslevel=9)  # 256 MiB of zeros, ~250 KiB
    rt = runtime(BOMB, memory=16 * 1024 * 1024)
    with pytest.raises(errors.MemoryLimitExceeded):
        call(rt, bomb)


def test_a_bomb_read_and_dropped_piece_by_piece_stays_bounded_by_the_deadline() -> None:
    source = """
async function handler(req) {
  let total = 0;
  for await (const piece of ReadableStream.from([req.bytes()]).pipeThrough(new DecompressionStream("gzip"))) {
    total += piece.byteLength;
  }
  return String(total);
}
"""
    bomb = gzip.compress(bytes(64 * 1024 * 1024), compresslevel=9)
    rt = runtime(source, memory=16 * 1024 * 1024)
    assert call(rt, bomb) == str(64 * 1024 * 1024).encode()  # streamed through 16 MiB, never held
