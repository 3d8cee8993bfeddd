"""Compression in a real `zigttp serve`: a decompression bomb posted to a handler under -m is a
500 and the worker keeps serving; a runtime's codec objects go when the runtime goes."""

from __future__ import annotations

import gc
import gzip
import weakref

from tests.web.jsrun import call, runtime

INFLATE = """
async function handler(req) {
  if (req.method !== "POST") return "ok";
  const kept = [];
  for await (const piece of ReadableStream.from([req.bytes()]).pipeThrough(new DecompressionStream("gzip"))) {
    kept.push(piece);
  }
  return "inflated " + kept.length + " pieces";
}
"""


def test_a_gzip_bomb_under_m_is_a_500_and_the_server_keeps_serving(serve) -> None:
    server = serve(INFLATE, "-n", "1", "-m", "16m")
    small = gzip.compress(b"hello" * 1000)
    assert server.request("POST", "/", data=small).text == "inflated 1 pieces"
    bomb = gzip.compress(bytes(512 * 1024 * 1024), compresslevel=9)  # 512 MiB of zeros in ~500 KiB
    response = server.request("POST", "/", data=bomb, timeout=60)
    assert response.status_code == 500
    assert "memory" in response.text
    assert server.get("/").text == "ok"  # the replaced runtime serves the next request
    assert server.request("POST", "/", data=small).text == "inflated 1 pieces"


def test_codec_objects_are_dropped_with_their_runtime() -> None:
    source = """
async function handler(req) {
  const cs = new CompressionStream("deflate");
  cs.readable.getReader().read();
  await cs.writable.getWriter().write(new Uint8Array([1, 2, 3]));
  globalThis.open = cs;  // left open on purpose
  return "open";
}
"""
    rt = runtime(source)
    assert call(rt) == b"open"
    codecs = [weakref.ref(codec) for codec in rt.host_state.handles.values()]
    assert len(codecs) == 1 and codecs[0]() is not None
    del rt
    gc.collect()
    assert codecs[0]() is None
