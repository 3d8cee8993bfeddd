"""One HTTP connection on the event-loop backend: moves bytes, keeps order, enforces timeouts.

Parsing and limits live in `protocol.RequestReader`; this class only does I/O:

* pipelined requests are answered one at a time, in order;
* a request head must arrive within `header_timeout` of its first byte (slowloris), a body
  may not go `body_timeout` without body data (chunk framing alone does not count): both
  answer 408 and close;
* an idle keep-alive connection is closed silently after `keepalive_timeout`;
* reading pauses while too many pipelined requests are queued or the peer stops reading;
* a parse error after complete pipelined requests is answered after them, in order, then the
  connection closes; `100 Continue` is only sent when no earlier response is outstanding (an
  interim response must never overtake the final response of a previous request);
* a `FileResponse` (a large static file) is streamed after its head: `loop.sendfile` where the
  loop implements it, else bounded chunks that wait for the peer to drain (uvloop has no
  sendfile), never the whole file in memory.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, BinaryIO

from zigttp.errors import ProtocolError
from zigttp.server.protocol import RequestReader
from zigttp.server.response import (  # (shared with the fast start loop, which has no asyncio)
    CONTINUE,
    LINGER_SECONDS,
    FileResponse,
    plain_error,
    report_internal_error,
    with_close,
)
from zigttp.server.streaming import StreamResponse, send_stream

if TYPE_CHECKING:
    from zigttp.server.dispatch import Reply
    from zigttp.server.loop_backend import LoopServer

MAX_QUEUED = 16
CHUNK = 64 * 1024  # file streaming without sendfile


class HttpConnection(asyncio.Protocol):
    def __init__(self, server: LoopServer) -> None:
        self.server = server
        self.config = server.config
        self.loop = server.loop
        self.transport: asyncio.Transport | None = None
        self.reader = RequestReader(self.config.max_body_size, self.config.max_header_bytes)
        self.busy = False
        self.closing = False
        self.deadline = 0.0  # loop time at which `_timer_kind` expires; swept by LoopServer
        self._timer_kind = ""
        self._continue_sent = False
        self._pending_error: ProtocolError | None = None  # answered once the queue is empty
        self._reading_paused = False
        self._writable = True  # mirrors _can_write without a method call on the hot path
        self._can_write = asyncio.Event()
        self._can_write.set()

    # -- asyncio.Protocol ---------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.server.connections.add(self)
        if len(self.server.connections) > self.config.max_connections:
            self._refuse(503, "Service Unavailable: too many connections")
            return
        self._arm("idle")

    def connection_lost(self, exc: Exception | None) -> None:
        self.server.connections.discard(self)
        self.closing = True
        self._cancel_timer()
        self._can_write.set()

    def pause_writing(self) -> None:
        self._writable = False
        self._can_write.clear()

    def resume_writing(self) -> None:
        self._writable = True
        self._can_write.set()

    def data_received(self, data: bytes) -> None:
        if self.closing or self._pending_error is not None:
            return  # lingering after an error: discard what the client still sends
        try:
            self._received(data)
        except Exception:  # the safety net: a bug in zigttp answers 500, never silence
            report_internal_error()
            self.fail_internal()

    def _received(self, data: bytes) -> None:
        try:
            self.reader.feed(data)
        except ProtocolError as exc:
            if not self.reader.requests and not self.busy:
                self._refuse(exc.status, str(exc))
                return
            self._pending_error = exc  # answer the complete requests before it first
            if self.transport is not None:
                self.transport.pause_reading()  # for good: never resumed (see _respond)
        if self.reader.head_complete_pending_continue:
            self._maybe_continue()
        if len(self.reader.requests) > MAX_QUEUED and self.transport is not None:
            self.transport.pause_reading()
            self._reading_paused = True
        self._pump()

    # -- request processing -------------------------------------------------------------------
    def _pump(self) -> None:
        """Answer queued requests in order: in this loop iteration's batch while the lane allows
        (see `LoopServer.defer`), else one at a time via a task."""
        queued = self.reader.requests
        if queued and not self.busy and not self.closing:
            if self._writable and self.server.dispatcher.pool.inline_allowed(queued[0].url):
                self._timer_kind = ""  # re-armed by `deliver` once the batch has answered
                self.server.defer(self)
                return
            self.busy = True
            self._update_timer()  # no idle timer while a request is in flight
            self.loop.create_task(self._serve_next())
            return
        if self._pending_error is not None and not self.busy and not queued:
            self._refuse(self._pending_error.status, str(self._pending_error))
            return
        if self.reader.head_complete_pending_continue:
            self._maybe_continue()
        self._update_timer()

    def run_inline(self) -> list[Reply]:
        """Batch phase 1: run the queued requests the inline lane takes (no I/O here)."""
        replies: list[Reply] = []
        if self.closing:
            return replies
        dispatcher = self.server.dispatcher
        pool = dispatcher.pool
        queued = self.reader.requests
        while queued and pool.inline_allowed(queued[0].url):
            self._continue_sent = False
            request = queued.popleft()
            reply = dispatcher.handle_inline(request)
            if reply is None:  # outlasted the inline bound: run again on the pool threads
                queued.appendleft(request)  # (its path is demoted now: `_pump` sends it there)
                break
            replies.append(reply)
            if reply[0].__class__ is FileResponse or not reply[1]:
                break  # streamed, or the last request on this connection
            if pool.lanes.yield_turn:
                break  # a slow run: the rest waits for the next loop iteration (lanes doc)
        return replies

    def deliver(self, replies: list[Reply]) -> None:
        """Batch phase 2: write the answers in order, then carry on with the queue.

        Pipelined answers of one batch go out in one write (one syscall, one TCP segment)."""
        if len(replies) > 1 and not self.server.draining:
            replies = _coalesce(replies)
        for data, keep_alive in replies:
            if data.__class__ is FileResponse:
                self.busy = True
                self.loop.create_task(self._stream_then_pump(data, keep_alive))  # type: ignore[arg-type]
                return
            if not self._respond(data, keep_alive):  # type: ignore[arg-type]
                return
        if not self.closing:
            self._pump()

    def _maybe_continue(self) -> None:
        """`100 Continue` for a waiting upload, once every earlier response has been written."""
        if (
            self.reader.head_complete_pending_continue
            and not self._continue_sent
            and not self.busy
            and not self.reader.requests
            and self._pending_error is None
        ):
            self._continue_sent = True
            self._write(CONTINUE)

    async def _serve_next(self) -> None:
        """One request on a pool thread (or after the peer let us write again)."""
        try:
            request = self.reader.requests.popleft()
            self._continue_sent = False
            reply = await self.server.dispatcher.handle(request)
        except Exception:  # the safety net: a bug in zigttp must not leave the client waiting
            report_internal_error()
            self.busy = False
            self.fail_internal()
            return
        await self.send_reply(reply)

    async def send_reply(self, reply: Reply) -> None:
        """Write one answer (bytes, a file, a stream) once the peer lets us, then carry on with
        the queue (also the fast start's answers left to this connection: `handover`)."""
        data, keep_alive = reply
        try:
            await self._can_write.wait()
            if isinstance(data, FileResponse):
                if not await self._send_file(data, keep_alive):
                    return
            elif isinstance(data, StreamResponse):
                if not await send_stream(self, data) or not self._respond(b"", keep_alive):
                    self._close()
                    return
            elif not self._respond(data, keep_alive):
                return
        except Exception:  # the safety net: a bug in zigttp must not leave the client waiting
            report_internal_error()
            self.fail_internal()
            return
        finally:
            self.busy = False
        if not self.closing:
            self._pump()

    async def _stream_then_pump(self, response: FileResponse, keep_alive: bool) -> None:
        try:
            await self._can_write.wait()
            if not await self._send_file(response, keep_alive):
                return
        except Exception:
            report_internal_error()
            self._close()  # the head is already out: a 500 now would corrupt the stream
            return
        finally:
            self.busy = False
        if not self.closing:
            self._pump()

    async def _send_file(self, response: FileResponse, keep_alive: bool) -> bool:
        """Head, then the file slice; False when the connection is done."""
        if self.server.draining:
            keep_alive = False
        self._write(with_close(response.head) if not keep_alive else response.head)
        try:
            with open(response.path, "rb") as file:
                complete = await self._copy(file, response.offset, response.count)
        except OSError:
            complete = False
        if not complete or not keep_alive:  # a short file breaks framing: close
            self._close()
            return False
        return self._respond(b"", True)

    async def _copy(self, file: BinaryIO, offset: int, count: int) -> bool:
        if count == 0:
            return True
        assert self.transport is not None
        try:
            sent = await self.loop.sendfile(self.transport, file, offset, count)
            return sent == count
        except NotImplementedError:
            pass
        file.seek(offset)
        remaining = count
        while remaining > 0:
            await self._can_write.wait()
            if self.closing:
                return False
            chunk = file.read(min(CHUNK, remaining))
            if not chunk:
                return False
            self._write(chunk)
            remaining -= len(chunk)
        return True

    def _respond(self, data: bytes, keep_alive: bool) -> bool:
        """Write one response; False when the connection is done."""
        if self.server.draining:
            keep_alive = False
            data = with_close(data)
        transport = self.transport
        if transport is not None and not transport.is_closing():
            transport.write(data)
        if not keep_alive:
            self._close()
            return False
        if (
            self._reading_paused
            and transport is not None
            and len(self.reader.requests) <= MAX_QUEUED
            and self._pending_error is None
        ):
            self._reading_paused = False
            self.transport.resume_reading()
        return True

    # -- timers -------------------------------------------------------------------------------
    def _update_timer(self) -> None:
        reader = self.reader
        if not self.busy and self._pending_error is None and not reader.mid_request:
            if self.server.draining:  # (the common case first: idle between requests)
                self._close()
            else:
                self._timer_kind = "idle"
                self.deadline = self.loop.time() + self.config.keepalive_timeout
            return
        if self._pending_error is not None:
            self._cancel_timer()  # no more input is read; the queued answers decide the end
        elif self.busy and not self.reader.mid_request:
            self._cancel_timer()
        elif self.reader.in_head:
            if self._timer_kind != "head":  # measured from the first byte: trickling won't help
                self._arm("head")
        elif self.reader.mid_request:
            if self._timer_kind != "body" or not reader.stalled:
                self._arm("body")  # silence-based: body data re-arms it, chunk framing does not
        elif not self.busy:
            if self.server.draining:
                self._close()
            else:
                self._arm("idle")

    def _arm(self, kind: str) -> None:
        """Set a deadline; a per-server sweeper checks it (cheaper than a timer per request)."""
        config = self.config
        delay = (
            config.header_timeout
            if kind == "head"
            else config.body_timeout
            if kind == "body"
            else config.keepalive_timeout
        )
        self._timer_kind = kind
        self.deadline = self.loop.time() + delay

    def _cancel_timer(self) -> None:
        self._timer_kind = ""

    def check_deadline(self, now: float) -> None:
        if self._timer_kind and now >= self.deadline:
            self._timed_out(self._timer_kind)

    def _timed_out(self, kind: str) -> None:
        self._timer_kind = ""
        if kind == "idle":
            self._close()
        else:
            self._refuse(408, "Request Timeout")

    # -- output -------------------------------------------------------------------------------
    def _write(self, data: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(data)

    def _refuse(self, status: int, message: str) -> None:
        """Answer an error and close without losing the answer.

        Closing a socket with unread input makes the kernel send RST, which can destroy the
        response in the client's buffers; so half-close, discard input briefly, then close
        (nginx's lingering close).
        """
        self._write(plain_error(status, message))
        self.closing = True
        self._cancel_timer()
        transport = self.transport
        if transport is None or transport.is_closing():
            return
        if transport.can_write_eof():
            transport.write_eof()
        self.loop.call_later(LINGER_SECONDS, transport.close)

    def fail_internal(self) -> None:
        """A bug in zigttp while answering this connection: 500, then close."""
        self.reader.requests.clear()
        self._refuse(500, "Internal Server Error")

    def _close(self) -> None:
        self.closing = True
        self._cancel_timer()
        if self.transport is not None:
            self.transport.close()

    def shutdown_if_idle(self) -> None:
        """Called when draining: idle connections close now, busy ones after their response."""
        if not self.busy and not self.reader.mid_request and not self.reader.requests:
            self._close()  # (queued requests are in this iteration's batch: answered first)


def _coalesce(replies: list[Reply]) -> list[Reply]:
    """Join consecutive byte answers; only the last may close or be streamed (`run_inline`
    stops a batch there), so the joined answers all keep the connection open but the last."""
    if replies[-1][0].__class__ is FileResponse:
        return [(b"".join([data for data, _ in replies[:-1]]), True), replies[-1]]  # type: ignore[misc]
    return [(b"".join([data for data, _ in replies]), replies[-1][1])]  # type: ignore[misc]
