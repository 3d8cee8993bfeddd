"""The plain-request lane's Python side: what C (`_engine.Lane`, native/engine/lane.c) hands back.

Why a C lane: the event-loop backend's Python per request (llhttp callbacks, `Request`, the
batch, serialisation: ~6 µs when quiet, several times that under load) was most of a trivial
request's cost (bench/README.md, issue 16 item 7). The lane reads, parses (llhttp, the parser
httptools wraps), calls the handler and writes in C, for plain requests only; uvloop still owns
readiness and this module owns every decision that is not plain:

* `LaneHost.sync` tells C whether it may run handlers itself: only while the inline lane is open
  (`runtime.lanes`) and no CORS policy or static directory screens requests before the handler
  (`/_zigttp/` endpoints go to Python; C counts its answers for --metrics); for a handler
  with host modules C calls `begin`/`end` around each run, which bind the request id and
  deadline the modules read, as `InlineSlot.run` does;
* a request C will not run comes here as its raw bytes (`on_request`) and is parsed by the same
  `RequestReader` and answered by the same `Dispatcher` as on the Python server, inline or on
  the pool threads;
* a connection C will not parse (a request split across reads, chunked framing, Expect,
  Upgrade, an llhttp error, a slow reader) is handed over whole from that request on
  (`on_handover`) to an `HttpConnection` that writes what C still owed first;
* a fault, a streamed answer or an oversized one is answered here (`on_unusual`).

`ZIGTTP_LANE=0` turns the lane off (the Python protocol path serves everything, as before).
"""

from __future__ import annotations

import asyncio
import os
import socket
from time import perf_counter
from typing import TYPE_CHECKING

from zigttp import deadline, errors
from zigttp.errors import ProtocolError
from zigttp.log import bind_request
from zigttp.runtime import _engine
from zigttp.runtime.engine import translate
from zigttp.server.connection import HttpConnection
from zigttp.server.metrics import BUCKETS
from zigttp.server.protocol import Request, RequestReader
from zigttp.server.response import plain_error, report_internal_error, status_line, with_close

if TYPE_CHECKING:
    from zigttp.server.dispatch import Reply
    from zigttp.server.loop_backend import LoopServer


BatchAnswers = tuple[dict[int, int] | None, list[int] | None, float]  # statuses, histogram, sum


def lane_enabled() -> bool:
    return os.environ.get("ZIGTTP_LANE", "1") != "0"


class LaneHost:
    """Owns one `_engine.Lane` on the loop thread: the callbacks C calls, and the loop glue."""

    def __init__(self, server: LoopServer, sock: socket.socket) -> None:
        self.server = server
        self.loop = server.loop
        self.dispatcher = server.dispatcher
        config = server.config
        self.access = self._access if self.dispatcher.log.access_enabled else None
        self._effects = 0  # the inline slot's count of module effects before the running call
        self.lane = _engine.Lane(
            self,
            config.max_body_size,
            config.max_header_bytes,
            config.max_response_bytes,
            self.dispatcher._worker,
            self.dispatcher.next_id() - 1,  # (the fast start's ids, or an earlier lane's, go on)
        )
        self.dispatcher.next_id = self.lane.next_id  # one id sequence for both paths
        self.dispatcher.on_swap = self.sync
        self._listen_fd = sock.fileno()
        sock.setblocking(False)
        self._sock = sock  # closed when draining starts
        self.loop.add_reader(self._listen_fd, self._accept)
        self.sync()

    # -- the loop glue ------------------------------------------------------------------------
    def _accept(self) -> None:
        lane, loop = self.lane, self.loop
        limit = self.server.config.max_connections
        for fd in lane.accept(self._listen_fd):
            if lane.count + len(self.server.connections) > limit:
                lane.detach(fd)  # Python answers the 503
                self._adopt(fd, b"", b"", True, None, "refuse")
                continue
            loop.add_reader(fd, lane.readable, fd)

    def schedule(self) -> None:
        self.loop.call_soon(self.lane.flush)

    def forget(self, fd: int) -> None:
        self.loop.remove_reader(fd)

    def stop_accepting(self) -> None:
        """Draining: the listening socket closes (as asyncio's server closes it), idle
        connections close now, the others after their answer."""
        self.loop.remove_reader(self._listen_fd)
        self._sock.close()
        self.lane.drain()

    @property
    def count(self) -> int:
        return self.lane.count

    def sweep(self, idle_timeout: float) -> None:
        """Close the lane's connections idle for longer (0: every idle one, when draining)."""
        self.lane.sweep(idle_timeout)

    def sync(self) -> None:
        """Whether C runs plain requests itself, and with which runtime (module doc)."""
        dispatcher = self.dispatcher
        pool = dispatcher.pool
        lanes = pool.lanes
        config = self.server.config
        fast = (
            dispatcher.cors is None
            and dispatcher.static is None
            and not self.server.draining
            and pool.inline_allowed("/")  # (builds the inline runtime the first time)
        )
        slot = pool.inline
        runtime = slot.runtime if slot is not None else None
        if not fast or runtime is None:
            self.lane.set_runtime(None, 0.0, 0.0, None, dispatcher.origin)
            return
        self.lane.set_runtime(
            runtime.engine_runtime,
            runtime.timeout,
            runtime.limits.timeout,
            lanes.demoted,
            dispatcher.origin,
            runtime.has_modules,
            config.metrics or config.health,  # /_zigttp/... is answered by Python
            BUCKETS if config.metrics else None,
        )

    def begin(self, request_id: str) -> None:
        """A C run of a handler that uses host modules: what `InlineSlot.run` binds for it."""
        slot = self.dispatcher.pool.inline
        assert slot is not None
        slot.request_id = request_id
        self._effects = slot.effects
        bind_request(request_id)
        deadline.begin(slot.runtime.limits.timeout)

    def end(self) -> None:
        slot = self.dispatcher.pool.inline
        if slot is not None:
            slot.request_id = "-"
        bind_request(None)
        deadline.end()

    # -- what C hands back --------------------------------------------------------------------
    def _parse(self, raw: bytes, first: bool) -> Request | None:
        """The one request `raw` holds, as the Python server reads it; None if it is not one
        the per-request path can take (an error to answer, more than one message...)."""
        config = self.server.config
        reader = RequestReader(config.max_body_size, config.max_header_bytes, first=first)
        try:
            reader.feed(raw)
        except ProtocolError:
            return None
        if len(reader.requests) != 1 or reader.mid_request or reader.head_complete_pending_continue:
            return None
        return reader.requests[0]

    def on_request(self, fd: int, raw: bytes, first: bool) -> tuple[bytes, bool] | bool | None:
        request = self._parse(raw, first)
        if request is None:
            return False
        dispatcher = self.dispatcher
        reply: Reply | None = None
        if dispatcher.pool.inline_allowed(request.url):
            reply = dispatcher.handle_inline(request)
            self.sync()  # the inline slot may have a new runtime, the lane policy moved
            if reply is not None and reply[0].__class__ is bytes:
                return self._answer(reply)  # type: ignore[arg-type]
        self.loop.remove_reader(fd)  # until Python's answer is written (complete / detach)
        self.loop.create_task(self._serve_async(fd, request, reply))
        return None

    def _answer(self, reply: tuple[bytes, bool]) -> tuple[bytes, bool]:
        data, keep_alive = reply
        if self.server.draining:
            return with_close(data), False
        return data, keep_alive

    async def _serve_async(self, fd: int, request: Request, reply: Reply | None) -> None:
        """A request on the pool threads (or a reply to stream): answered, then the connection
        goes back to C, or to an `HttpConnection` for a file or stream body."""
        try:
            if reply is None:
                reply = await self.dispatcher.handle(request)
                self.sync()
            data, keep_alive = reply
            if data.__class__ is bytes:
                if self.lane.complete(fd, *self._answer((data, keep_alive))):  # type: ignore[arg-type]
                    self.loop.add_reader(fd, self.lane.readable, fd)
                return
        except Exception:  # the safety net: a bug in zigttp answers 500, never silence
            report_internal_error()
            self.lane.complete(fd, plain_error(500, "Internal Server Error"), False)
            return
        detached = self.lane.detach(fd)
        if detached is not None:
            unsent, rest, first = detached
            self._adopt(fd, unsent, rest, first, reply)

    def on_handover(self, fd: int, unsent: bytes, rest: bytes, first: bool, closing: bool) -> None:
        self.loop.remove_reader(fd)
        self._adopt(fd, unsent, rest, first, None, "close" if closing else "")

    def _adopt(
        self, fd: int, unsent: bytes, rest: bytes, first: bool, reply: Reply | None, end: str = ""
    ) -> None:
        """`fd` becomes a `LaneConnection` (`end`: see there)."""
        sock = socket.socket(fileno=fd)
        server = self.server

        def protocol() -> LaneConnection:
            return LaneConnection(server, unsent, rest, first, reply, end)

        self.loop.create_task(_connect(self.loop, protocol, sock))

    def on_unusual(self, kind: str, payload: object, raw: bytes, first: bool) -> tuple[bytes, bool] | None:
        """A run C made that Python answers: a fault, a streamed body, an oversized answer.
        None: run the request again the Python way (its path is demoted now)."""
        request = self._parse(raw, first)
        pool = self.dispatcher.pool
        slot = pool.inline
        assert request is not None and slot is not None  # (C ran it: it is plain)
        runtime = slot.runtime
        started = perf_counter()
        request_id = self.dispatcher.request_id(request)
        try:
            if kind == "fault":
                effects = self._effects if runtime.has_modules else slot.effects
                exc = slot.fault(
                    translate(payload, runtime.limits, runtime.timeout), runtime, request.url, effects
                )
                slot.settle(runtime)
                if isinstance(exc, errors.InlineBoundExceeded) and exc.retry:
                    return None
            elif kind == "stream":
                runtime.pull(cancel=True)  # a stream is pulled on a slot thread, never here
                pool.lanes.demote(request.url)
                slot.settle(runtime)
                return None
            else:
                limit = self.server.config.max_response_bytes
                exc = errors.ResponseTooLarge(
                    f"response of {payload} bytes (body and headers) exceeds the {limit}-byte cap"
                )
            return self._answer(self.dispatcher._failure(request, request_id, exc, started))  # type: ignore[arg-type]
        finally:
            self.sync()

    def on_replace(self, reason: str | None) -> None:
        """The run left the runtime unusable (leftovers threw, timed out, changed builtins)."""
        slot = self.dispatcher.pool.inline
        if slot is not None:
            slot.runtime.report_replacement(reason)
            slot.replace()
        self.sync()

    def on_slow(self, url: str, seconds: float) -> None:
        self.dispatcher.pool.lanes.record_inline_run(url, seconds)
        self.sync()

    def tally(
        self,
        count: int,
        total: float,
        longest: float,
        answers: tuple[dict[int, int] | None, list[int] | None, float],
    ) -> None:
        """Per flush: the C runs in the pool's metrics, the dispatcher's count and, with
        --metrics, its request metrics (`answers`: by status, histogram, duration sum)."""
        self.dispatcher.pool.metrics.record_execs(count, total, longest, inline=True)
        statuses, buckets, duration = answers
        if statuses is not None and buckets is not None:
            self.dispatcher.requests.merge(statuses, buckets, duration)
        self.dispatcher.count_served(count)

    def _access(self, request_id: str, method: str, url: str, status: int, size: int, seconds: float) -> None:
        self.dispatcher.log.access(request_id, method, url, status, size, seconds)

    status_line = staticmethod(status_line)


async def _connect(loop: asyncio.AbstractEventLoop, protocol: object, sock: socket.socket) -> None:
    try:
        await loop.connect_accepted_socket(protocol, sock=sock)  # type: ignore[arg-type]
    except OSError:  # the peer is gone already
        sock.close()


class LaneConnection(HttpConnection):
    """A connection the lane handed to Python: it writes what C still owed, then reads on from
    the request C left (`rest`), with a reply C left to stream first. `end`: "close" once the
    owed bytes are out (they hold the connection's last answer), "refuse" (503: too many)."""

    def __init__(
        self, server: LoopServer, unsent: bytes, rest: bytes, first: bool, reply: Reply | None, end: str
    ) -> None:
        super().__init__(server)
        self.reader = RequestReader(self.config.max_body_size, self.config.max_header_bytes, first=first)
        self._lane_unsent = unsent
        self._lane_rest = rest
        self._lane_reply = reply
        self._lane_end = end

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.server.connections.add(self)
        if self._lane_end == "refuse":
            self._refuse(503, "Service Unavailable: too many connections")
            return
        if self._lane_unsent:
            self._write(self._lane_unsent)
        if self._lane_end == "close":
            self._close()  # (the transport writes what it holds first)
            return
        reply = self._lane_reply
        if reply is not None:  # a file or stream body: sent first, then the queue (send_reply)
            self.busy = True
            self.loop.create_task(self.send_reply(reply))
        if self._lane_rest:
            self._received(self._lane_rest)
        elif reply is None:
            self._pump()
