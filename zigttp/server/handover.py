"""Hand the fast start's connections to the uvloop server without dropping or reordering bytes.

Why a protocol of its own: `loop.connect_accepted_socket` calls `connection_made` before the
loop reads the socket, so everything the fast loop owed the client (unsent answer bytes, a
streamed reply it could not send, a request still running on a pool thread, the error of a
refused connection) is written there, ahead of any answer the full server produces. The
connection keeps its `RequestReader`, so a request the fast loop had partly read (llhttp's
state, a body half received) completes on the full server as if one loop had served it all,
and pipelined requests still queued in it are answered next, in order.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from zigttp.server.connection import HttpConnection

if TYPE_CHECKING:
    from zigttp.server.dispatch import Reply
    from zigttp.server.fast_connection import FastConnection
    from zigttp.server.loop_backend import LoopServer
    from zigttp.server.threaded_call import ThreadedCall


class AdoptedConnection(HttpConnection):
    """An `HttpConnection` that carries on from where the fast loop left one connection."""

    def __init__(self, server: LoopServer, fast: FastConnection) -> None:
        super().__init__(server)
        self.reader = fast.reader
        self._continue_sent = fast.continue_sent
        self._pending_error = fast.pending_error
        self._fast = fast

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        fast = self._fast
        self.transport = transport  # type: ignore[assignment]
        self.server.connections.add(self)
        if fast.unsent:
            self._write(bytes(fast.unsent))
        if fast.closing:  # its last answer is in `unsent`: close once that is written
            self._close()
            return
        if fast.lingering:  # refused by the fast loop: linger out the rest of its time, close
            self.closing = True
            if not fast.shut and self.transport is not None and self.transport.can_write_eof():
                self.transport.write_eof()
            self.loop.call_later(max(0.0, fast.lingering - time.monotonic()), transport.close)
            return
        if fast.special is not None or fast.call is not None:
            self.busy = True
            self.loop.create_task(self._finish(fast.special, fast.call))
            return
        self._pump()  # queued requests next, else the idle/head/body timer from now

    async def _finish(self, reply: Reply | None, call: ThreadedCall | None) -> None:
        """The answer the fast loop left unsent: a streamed reply it stopped at, or a request
        still running on a pool thread (as the loop backend's `_serve_next` sends them)."""
        if reply is None:
            assert call is not None
            await self.loop.run_in_executor(None, call.done.wait)
            if call.error is not None:
                call.report()
                self.busy = False
                self.fail_internal()
                return
            reply = call.reply
        assert reply is not None
        await self.send_reply(reply)


async def adopt_all(server: LoopServer, connections: list[FastConnection]) -> None:
    """Give every connection the fast loop still holds to `server` (in accept order)."""
    loop = server.loop
    for fast in connections:
        try:
            await loop.connect_accepted_socket(
                lambda fast=fast: AdoptedConnection(server, fast),  # type: ignore[misc]
                sock=fast.sock,
            )
        except OSError:  # the peer is gone already
            fast.sock.close()
