"""Chunked framing that never ends (issue 19, item 2), on both backends.

llhttp skips chunk extensions without a limit and httptools buffers a trailer field until it
ends, and neither is body data: so 96 MiB of one endless trailer field used to be accepted (and
stall the loop), as was an endless chunk extension. Now the bytes between two pieces of body
data are capped (a size line with its extensions: 16 KiB → 400; the trailer section: the 64 KiB
head cap → 431), so is the framing of a whole body (no more than the body cap), and such bytes
never re-arm the body timer: only body data is progress.
"""

from __future__ import annotations

import select
import socket
import time

import pytest

from tests.security.rawhttp import ECHO, assert_serves_next, exchange, statuses

HEAD = b"POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"


def _flood(server, prefix: bytes, filler: bytes, total: int) -> bytes:
    """Send `prefix`, then `filler` in 8 KiB pieces up to `total` bytes or until answered."""
    with socket.create_connection((server.host, server.port), timeout=5) as sock:
        sock.sendall(prefix)
        sent = 0
        try:
            while sent < total and not select.select([sock], [], [], 0)[0]:
                sock.sendall(filler * (8192 // len(filler)))
                sent += 8192
        except OSError:
            pass  # the server refused and closed while we were still sending
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except (TimeoutError, ConnectionResetError):
            pass
    return b"".join(chunks)


ENDLESS = {  # name: (what comes after the head, what repeats, status)
    "one-endless-trailer-field": (b"4\r\nabcd\r\n0\r\nX-Trailer: ", b"a", 431),
    "trailer-fields-past-the-head-cap": (b"4\r\nabcd\r\n0\r\n", b"X-T: 0123456789abcdef\r\n", 431),
    "one-endless-chunk-extension": (b"4;ext=", b"a", 400),
    "endless-extension-on-the-last-chunk": (b"4\r\nabcd\r\n0;ext=", b"a", 400),
}


@pytest.mark.parametrize("name", list(ENDLESS))
def test_endless_chunk_framing_is_refused_while_it_arrives(attack_server, name: str) -> None:
    after_head, filler, status = ENDLESS[name]
    data = _flood(attack_server, HEAD + after_head, filler, 4 << 20)
    assert statuses(data) == [status], data[:200]
    assert b"connection: close" in data.lower()
    assert_serves_next(attack_server)


def test_extensions_on_every_chunk_cannot_outgrow_the_body_cap(attack_server) -> None:
    # Each size line stays under the per-line cap; together they outweigh the 1 MiB body cap.
    piece = b"1;" + b"e" * 12000 + b"\r\na\r\n"
    data, closed = exchange(attack_server.host, attack_server.port, HEAD + piece * 100, timeout=10)
    assert statuses(data) == [400] and closed, data[:200]
    assert_serves_next(attack_server)


def test_small_chunks_with_extensions_and_trailers_are_accepted(attack_server) -> None:
    body = b"".join(b"1;n=%d\r\n%c\r\n" % (i, 97 + i % 26) for i in range(3000))
    raw = HEAD[:-2] + b"Connection: close\r\n\r\n" + body + b"0\r\nX-Checksum: 1\r\nX-Other: 2\r\n\r\n"
    data, closed = exchange(attack_server.host, attack_server.port, raw, timeout=10)
    assert statuses(data) == [200] and closed, data[:200]
    expected = bytes(97 + i % 26 for i in range(3000))
    assert b'"body":"' + expected + b'"' in data


@pytest.mark.parametrize("where", ["extension", "trailer"])
def test_trickled_framing_does_not_rearm_the_body_timer(serve, backend, where: str) -> None:
    server = serve(ECHO, "-q", "--backend", backend, "--body-timeout", "1")
    start = HEAD + (b"4;x=" if where == "extension" else b"4\r\nabcd\r\n0\r\nX-T: ")
    with server.connect(timeout=10) as sock:
        sock.sendall(start)
        answer = b""
        deadline = time.monotonic() + 8  # the body timeout is 1 s: it must fire long before
        try:
            while time.monotonic() < deadline:
                if select.select([sock], [], [], 0.2)[0]:
                    answer = sock.recv(65536)
                    break
                sock.sendall(b"a")  # one framing byte every 0.2 s: silence never exceeds 1 s
        except OSError:
            pass
    assert answer.startswith(b"HTTP/1.1 408"), answer[:120]
