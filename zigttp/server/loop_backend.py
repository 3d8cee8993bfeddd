"""The event-loop backend (default): uvloop + an httptools protocol per connection.

The loop thread parses and moves bytes; JS runs on the pool's slot threads, or inline on the
loop thread for handlers proven fast (`runtime.lanes`). Inline requests are batched per loop
iteration: connections with a complete request are collected while the loop reads its ready
sockets, then one flush runs every collected handler back to back and only then writes the
answers. Interleaving each JS call with socket I/O left the engine's code and heap cold in the
CPU caches for every call (measured: a trivial handler cost ~30 µs per request that way, ~10 µs
in a batch). Draining on SIGTERM: stop accepting, close idle connections, let busy ones finish
their response, exit.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from zigttp.config import ServerConfig
from zigttp.server.connection import HttpConnection, report_internal_error
from zigttp.server.dispatch import Dispatcher, Reply

if TYPE_CHECKING:
    from zigttp.server.lane import LaneHost

MAX_BATCH = 32  # connections per flush: bounds the wait of the first answer in a batch


def new_event_loop() -> asyncio.AbstractEventLoop:
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop is a dependency on POSIX
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


class LoopServer:
    def __init__(self, config: ServerConfig, dispatcher: Dispatcher, loop: asyncio.AbstractEventLoop) -> None:
        self.config = config
        self.dispatcher = dispatcher
        self.loop = loop
        self.connections: set[HttpConnection] = set()
        self.draining = False
        self._server: asyncio.Server | None = None
        self._sweeper: asyncio.Task[None] | None = None
        self._stopped = asyncio.Event()
        self._batch: list[HttpConnection] = []  # connections with inline work this iteration
        self._batched: set[HttpConnection] = set()
        self.lane: LaneHost | None = None

    def defer(self, connection: HttpConnection) -> None:
        """Queue `connection` for this iteration's flush (once, however many requests it has)."""
        if connection not in self._batched:
            self._batched.add(connection)
            self._batch.append(connection)
            if len(self._batch) == 1:
                self.loop.call_soon(self._flush)

    def _flush(self) -> None:
        """Run the batch's handlers back to back, then write every answer (see module doc)."""
        lanes = self.dispatcher.pool.lanes
        lanes.yield_turn = False
        batch = self._batch[:MAX_BATCH]
        replies = []
        for connection in batch:
            replies.append(_run_inline(connection))
            if lanes.yield_turn:  # a slow run: the loop turns before the next (runtime.lanes)
                break
        batch = batch[: len(replies)]
        del self._batch[: len(batch)]
        if self._batch:
            self.loop.call_soon(self._flush)
        self._batched.difference_update(batch)
        for connection, answers in zip(batch, replies, strict=True):
            connection.deliver(answers)

    async def start(self, sock: socket.socket) -> None:
        from zigttp.server.lane import LaneHost, lane_enabled

        if lane_enabled():  # accepted and served by the C lane; Python gets what is not plain
            self.lane = LaneHost(self, sock)
        else:
            self._server = await self.loop.create_server(
                lambda: HttpConnection(self), sock=sock, backlog=2048
            )
        self._sweeper = self.loop.create_task(self._sweep_deadlines())

    async def _sweep_deadlines(self) -> None:
        """Expire connection deadlines (header/body/idle timeouts) a few times per timeout."""
        config = self.config
        tick = max(
            0.02, min(0.25, config.header_timeout / 5, config.keepalive_timeout / 5, config.body_timeout / 5)
        )
        while not self._stopped.is_set():
            await asyncio.sleep(tick)
            now = self.loop.time()
            for connection in list(self.connections):
                connection.check_deadline(now)
            if self.lane is not None:
                self.lane.sweep(config.keepalive_timeout)

    async def wait_stopped(self) -> None:
        await self._stopped.wait()

    def begin_drain(self) -> None:
        """Stop accepting and finish what is in flight (bounded by drain_timeout)."""
        if self.draining:
            return
        self.draining = True
        if self._server is not None:
            self._server.close()
        if self.lane is not None:
            self.lane.stop_accepting()
        for connection in list(self.connections):
            connection.shutdown_if_idle()
        self.loop.create_task(self._finish_drain())

    async def _finish_drain(self) -> None:
        deadline = self.loop.time() + self.config.drain_timeout
        while (
            self.connections or (self.lane is not None and self.lane.count)
        ) and self.loop.time() < deadline:
            await asyncio.sleep(0.02)
            if self.lane is not None:
                self.lane.sweep(0.0)  # (draining: a connection idle between answers closes)
        for connection in list(self.connections):
            connection._close()
        if self._sweeper is not None:
            self._sweeper.cancel()
        self._stopped.set()


def _run_inline(connection: HttpConnection) -> list[Reply]:
    """One connection's part of a flush; a bug in zigttp fails that connection, loudly, and
    never the other connections of the batch."""
    try:
        return connection.run_inline()
    except Exception:
        report_internal_error()
        connection.fail_internal()
        return []


def run_loop_backend(
    config: ServerConfig,
    dispatcher: Dispatcher,
    sock: socket.socket,
    on_ready: Callable[[], None],
    loop: asyncio.AbstractEventLoop | None = None,
    install_signals: bool = True,
    server_box: list[LoopServer] | None = None,
    adopt: Callable[[LoopServer], Awaitable[None]] | None = None,
) -> None:
    """Serve until drained; blocks the calling thread. `adopt`: take over what a fast start
    (`server.fast_start`) still holds, once this server listens and handles signals."""
    import signal

    loop = loop or new_event_loop()
    asyncio.set_event_loop(loop)
    server = LoopServer(config, dispatcher, loop)
    if server_box is not None:
        server_box.append(server)

    async def main() -> None:
        await server.start(sock)
        if install_signals:
            for signum in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(signum, server.begin_drain)
        if adopt is not None:
            await adopt(server)
        on_ready()
        await server.wait_stopped()

    try:
        loop.run_until_complete(main())
    finally:
        loop.close()
