"""Streamed responses on the wire: chunked transfer encoding, as the handler produces chunks.

A handler's Response with a stream body (runtime.streams) becomes a `StreamResponse`: the
head (with `transfer-encoding: chunked`) goes out at once, then each chunk as it is pulled
from the runtime. The next chunk is asked for only once the previous one was written and
the transport can take more (backpressure: a slow client slows the stream, it never fills
memory); a client that disconnects cancels the JS stream; a failure or the idle limit
(`--timeout` per chunk) mid-stream closes the connection without the final chunk, so the
client sees a truncated body rather than a complete-looking one.
"""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING

from zigttp import errors
from zigttp.server.response import date_header, status_line

if TYPE_CHECKING:
    from zigttp.runtime.streams import BodyStream
    from zigttp.server.connection import Connection

LAST_CHUNK = b"0\r\n\r\n"


class StreamResponse:
    """`head` then the chunks of `stream`; `bodyless` (HEAD, 204, 304): the head alone."""

    __slots__ = ("bodyless", "head", "stream")

    def __init__(self, head: bytes, stream: BodyStream, bodyless: bool) -> None:
        self.head = head
        self.stream = stream
        self.bodyless = bodyless


def stream_response(
    status: int, header_block: bytes, stream: BodyStream, *, keep_alive: bool, head_request: bool
) -> StreamResponse:
    bodyless = head_request or status == 204 or status == 304
    framing = b"" if status == 204 or status == 304 else b"transfer-encoding: chunked\r\n"
    tail = b"\r\n" if keep_alive else b"connection: close\r\n\r\n"
    head = b"".join((status_line(status), date_header(), header_block, framing, tail))
    if bodyless:
        stream.cancel()
    return StreamResponse(head, stream, bodyless)


def frame(chunk: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(chunk), chunk)


async def send_stream(conn: Connection, reply: StreamResponse) -> bool:
    """The event-loop backend: True when the whole body went out (the connection may go on)."""
    conn._write(reply.head)
    if reply.bodyless:
        return True
    stream = reply.stream
    while True:
        await conn._can_write.wait()  # (set again when the transport drains: backpressure)
        if conn.closing:
            stream.cancel()
            return False
        chunk = await stream.next()
        if isinstance(chunk, errors.HandlerError) or conn.closing:
            if chunk.__class__ is bytes:
                stream.cancel()
            return False
        if chunk is None:
            conn._write(LAST_CHUNK)
            return True
        if chunk:
            conn._write(frame(chunk))


def send_stream_blocking(conn: socket.socket, reply: StreamResponse) -> bool:
    """The threaded backend: sendall blocks while the client is slow (its backpressure)."""
    try:
        conn.sendall(reply.head)
        if reply.bodyless:
            return True
        while True:
            chunk = reply.stream.next_blocking()
            if chunk is None:
                conn.sendall(LAST_CHUNK)
                return True
            if isinstance(chunk, errors.HandlerError):
                return False
            if chunk:
                try:
                    conn.sendall(frame(chunk))
                except OSError:
                    reply.stream.cancel()
                    raise
    except OSError:
        return False
