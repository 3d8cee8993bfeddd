"""A streamed response body: the server asks for chunks, the runtime's own thread makes them.

A handler's `Response` whose body is a ReadableStream (or an async iterable) comes back from
dispatch with `HandlerResponse.stream` set to a `BodyStream`. A runtime may only be used by
the thread that owns it, so the slot's thread stays with the request (`serve()`): it waits
for the server's next `request`, runs `JsRuntime.pull()` (the stream's pull, its timers and
promise jobs, under the idle limit = `--timeout` per chunk) and hands back bytes, `None` at
the end, or the `HandlerError` that ended it. The server asks for the next chunk only after
it wrote the last one and the client took it (backpressure); a disconnect is `cancel()`,
which cancels the JS stream. A server that stops asking for `--timeout` (+ a margin) is
taken as gone: the stream is cancelled and the slot returns to the pool.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from zigttp import errors

if TYPE_CHECKING:
    from zigttp.runtime.engine import JsRuntime

Chunk = bytes | None | errors.HandlerError
_CANCEL = None
ASK_MARGIN = 5.0  # seconds beyond --timeout the slot waits for the server's next request


class BodyStream:
    def __init__(self, runtime: JsRuntime) -> None:
        self.runtime = runtime
        self._asks: queue.SimpleQueue[Callable[[Chunk], None] | None] = queue.SimpleQueue()

    # -- the server's side ---------------------------------------------------------------
    def request(self, deliver: Callable[[Chunk], None]) -> None:
        """Ask for the next chunk; `deliver` is called (on the runtime's thread) with it."""
        self._asks.put(deliver)

    def cancel(self) -> None:
        self._asks.put(_CANCEL)

    async def next(self) -> Chunk:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Chunk] = loop.create_future()
        self.request(lambda chunk: loop.call_soon_threadsafe(_settle, future, chunk))
        return await future

    def next_blocking(self) -> Chunk:
        done = threading.Event()
        box: list[Chunk] = []
        self.request(lambda chunk: (box.append(chunk), done.set()))
        done.wait()
        return box[0]

    def read_all(self) -> bytes:
        """The whole body, from another thread (embedding: zigttp.Runtime.handle)."""
        return _join(self.next_blocking)

    async def read_all_async(self) -> bytes:
        parts = []
        while (chunk := await self.next()) is not None:
            if isinstance(chunk, errors.HandlerError):
                raise chunk
            parts.append(chunk)
        return b"".join(parts)

    def read_here(self) -> bytes:
        """The whole body, pulled on the calling thread, which must own the runtime (`zigttp test`)."""
        return _join(self.runtime.pull)

    # -- the runtime's thread ------------------------------------------------------------
    def serve(self) -> bool:
        """Answer the server's requests until the stream ends, fails or is cancelled; False
        when the runtime must be replaced (the stream ran past its idle limit, out of memory)."""
        wait = self.runtime.limits.timeout + ASK_MARGIN
        while True:
            try:
                deliver = self._asks.get(timeout=wait)
            except queue.Empty:
                deliver = _CANCEL
            if deliver is _CANCEL:
                return self._cancel()
            try:
                chunk: Chunk = self.runtime.pull()
            except errors.HandlerError as exc:
                chunk = exc
            deliver(chunk)
            if not isinstance(chunk, bytes):
                return not (isinstance(chunk, errors.HandlerError) and chunk.replace_context)

    def _cancel(self) -> bool:
        try:
            self.runtime.pull(cancel=True)
            return True
        except errors.HandlerError as exc:
            return not exc.replace_context


def _settle(future: asyncio.Future[Chunk], chunk: Chunk) -> None:
    if not future.done():
        future.set_result(chunk)


def _join(next_chunk: Callable[[], Chunk]) -> bytes:
    parts = []
    while (chunk := next_chunk()) is not None:
        if isinstance(chunk, errors.HandlerError):
            raise chunk
        parts.append(chunk)
    return b"".join(parts)
