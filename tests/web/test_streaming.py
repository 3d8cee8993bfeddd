"""Streamed responses (issue 17 item 3): chunked as produced, cancelled on disconnect, the idle
limit, request.body as a ReadableStream; both backends, a real server and raw sockets."""

from __future__ import annotations

import socket

import pytest

HANDLER = r"""
const enc = new TextEncoder();
let cancelled = 0;
function ticks(forever) {
  let n = 0, timer;
  return new ReadableStream({
    pull(c) {
      n++;
      if (!forever && n > 3) { c.close(); return; }
      if (n === 1) { c.enqueue(enc.encode("data: 1\n\n")); return; }
      if (forever === "stall") { timer = setInterval(() => {}, 50); return new Promise(() => {}); } // busy, no chunk
      return new Promise((r) => { timer = setTimeout(() => { c.enqueue(enc.encode(`data: ${n}\n\n`)); r(); }, 5); });
    },
    cancel() { cancelled++; clearTimeout(timer); },
  });
}
async function* numbers() { yield "one,"; yield enc.encode("two"); }
export default { async fetch(request) {
  const path = new URL(request.url).pathname;
  if (path === "/three") return new Response(ticks(false), { headers: { "content-type": "text/event-stream" } });
  if (path === "/forever") return new Response(ticks(true));
  if (path === "/stall") return new Response(ticks("stall"));
  if (path === "/iterable") return new Response(numbers());
  if (path === "/cancelled") return Response.json({ cancelled });
  if (path === "/echo") {
    const reader = request.body.getReader();
    let size = 0, reads = 0;
    for (;;) { const { done, value } = await reader.read(); if (done) break; size += value.byteLength; reads++; }
    return Response.json({ size, isStream: request.body instanceof ReadableStream, reads: reads > 0 });
  }
  return new Response("?", { status: 404 });
} };
"""


def _read_chunks(conn: socket.socket, want: int) -> tuple[bytes, list[bytes]]:
    """The head and up to `want` chunks of a chunked response (fewer if the peer closes)."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += conn.recv(65536)
    head, _, rest = data.partition(b"\r\n\r\n")
    chunks: list[bytes] = []
    while len(chunks) < want:
        while b"\r\n" not in rest:
            more = conn.recv(65536)
            if not more:
                return head, chunks
            rest += more
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line, 16)
        while len(rest) < size + 2:
            more = conn.recv(65536)
            if not more:
                return head, chunks
            rest += more
        chunks.append(rest[:size])
        rest = rest[size + 2 :]
        if size == 0:
            break
    return head, chunks


def _get(port: int, path: str, method: str = "GET") -> socket.socket:
    conn = socket.create_connection(("127.0.0.1", port), timeout=20)
    conn.sendall(f"{method} {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    return conn


@pytest.fixture(scope="module", params=["loop", "threads"])
def server(request, tmp_path_factory):
    from tests.conftest import start_server

    path = tmp_path_factory.mktemp("streaming") / "handler.js"
    path.write_text(HANDLER)
    proc = start_server([str(path), "-n", "1", "--timeout", "2", "--backend", request.param])
    yield proc
    proc.stop()


def test_a_stream_body_is_sent_chunked_event_by_event(server) -> None:
    with _get(server.port, "/three") as conn:
        head, chunks = _read_chunks(conn, 10)
    assert b"transfer-encoding: chunked" in head.lower() and b"content-length" not in head.lower()
    assert chunks == [b"data: 1\n\n", b"data: 2\n\n", b"data: 3\n\n", b""]


def test_an_async_iterable_body_is_streamed_too(server) -> None:
    assert server.get("/iterable").text == "one,two"


def test_a_chunk_is_sent_before_the_stream_ends_and_the_idle_limit_ends_a_stalled_one(server) -> None:
    with _get(server.port, "/forever") as conn:  # (leaves a cancellation counted in the runtime)
        _read_chunks(conn, 1)
    assert server.get("/cancelled").json()["cancelled"] >= 1
    with _get(server.port, "/stall") as conn:
        _head, chunks = _read_chunks(conn, 2)  # the first chunk, then the connection closes
    assert chunks == [b"data: 1\n\n"]  # no terminating chunk: the client sees a cut-off body
    # the stream ran past its idle limit (--timeout): its runtime was replaced, counters reset
    assert server.get("/cancelled").json() == {"cancelled": 0}


def test_a_client_disconnect_cancels_the_stream(server) -> None:
    before = server.get("/cancelled").json()["cancelled"]
    with _get(server.port, "/forever") as conn:
        _head, chunks = _read_chunks(conn, 2)
        assert chunks[:2] == [b"data: 1\n\n", b"data: 2\n\n"]
    # one runtime (-n 1): the next request runs once the cancelled stream let it go
    assert server.get("/cancelled").json()["cancelled"] == before + 1


def test_request_body_is_a_readable_stream_over_the_received_bytes(server) -> None:
    assert server.post("/echo", data=b"x" * 70_000).json() == {
        "size": 70_000,
        "isStream": True,
        "reads": True,
    }


def test_head_gets_the_head_of_a_stream_only(server) -> None:
    with _get(server.port, "/three", method="HEAD") as conn:
        data = conn.recv(65536)
    assert data.startswith(b"HTTP/1.1 200") and data.endswith(b"\r\n\r\n")


def test_a_streaming_path_never_streams_on_the_event_loop_thread(serve) -> None:
    # Past the inline lane's probation (lanes.PROBATION thread runs), the first inline run of a
    # streaming path is cancelled, the path demoted and the request repeated on the pool threads.
    from zigttp.runtime.lanes import PROBATION

    server = serve(HANDLER, "-n", "2", "--backend", "loop")
    for _ in range(PROBATION + 8):
        assert server.get("/iterable").text == "one,two"
