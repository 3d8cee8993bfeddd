"""The first requests of a cold start, answered before asyncio and uvloop are imported.

Why: importing asyncio (ssl, logging, concurrent.futures come with it) and uvloop is a
large share of a start (bench/README.md, item 3), and the first request uses neither. So a
worker serves on its bound listening socket with a `poll` loop (`poller.py`) and the same
`RequestReader` (every limit, 400/413/414/431, smuggling refusals) and `Dispatcher` (internal
endpoints, CORS, static files, the inline lane, the pool) as the full server, one request at
a time per connection and in order (keep-alive, pipelining). After the first answer (or
`IDLE_IMPORT` seconds without one) a thread imports the full server; once it has, the loop
stops between two requests and `handover.adopt_all` gives the listening socket and every
connection, with its parser state and unsent bytes, to the uvloop server.

What this loop does not do hands over at once (the import is waited for, as a start without
this loop would have waited for it): a streamed body (a `FileResponse` from `--static`, a
handler's stream). Timeouts (header, body, idle) are not enforced here: the phase lasts as
long as the import (tens of ms), and the full server arms every connection's timer when it
adopts it. A SIGTERM here drains here: stop accepting, answer what has arrived (with
`connection: close`), close idle connections, exit without loading the full server.

The supervisor runs this loop itself before it forks any worker (`FirstAnswer`): on every
socket of the group, each request inline, until the first answer is out (or `FIRST_IDLE`
seconds without one, or a request this phase cannot answer). Then it forks worker 1, which
carries on with this same loop, its connections and its runtime, while the supervisor drops
its copies and forks the others. A cold start's first answer so waits for no second process
(bench/README.md, "Items 3 and 4, session 8").
"""

from __future__ import annotations

import _signal as signal  # (signal.py without its IntEnums: zigttp/server/sockets.py says why)
import os
import time

from zigttp.errors import ProtocolError
from zigttp.lean import suppress
from zigttp.lean_threads import Event, import_threading_here
from zigttp.server import sockets
from zigttp.server.fast_connection import FastConnection
from zigttp.server.poller import READ, WRITE, Poller
from zigttp.server.response import CONTINUE, LINGER_SECONDS, plain_error, report_internal_error, with_close
from zigttp.server.threaded_call import ThreadedCall

TYPE_CHECKING = False  # (typing stays off the start path: bench/README.md)
if TYPE_CHECKING:
    import threading
    from collections.abc import Callable

    from zigttp.config import ServerConfig
    from zigttp.server.dispatch import Dispatcher, Reply
    from zigttp.server.heartbeat import Heartbeat
    from zigttp.server.protocol import Request

IDLE_IMPORT = 0.25  # seconds without a request before the full server is imported anyway
TICK = 0.25  # the loop turns at least this often (heartbeat, drain deadline)
MAX_UNSENT = 256 * 1024  # stop reading a connection whose peer does not read its answers
HOLD_ENV = "ZIGTTP_FAST_START_HOLD"  # tests: import only once this file exists (see `hold_path`)
FULL_SERVER = ("asyncio", "uvloop", "zigttp.server.loop_backend", "zigttp.server.handover")
FIRST_IDLE = 0.01  # seconds the supervisor waits for a first request before it forks anyway
_LISTENER = object()  # the poller's data for a listening socket


class FirstAnswer:
    """The supervisor's part in a cold start (see the module doc). `fork()` forks worker 1:
    True in the worker, False in the supervisor; `on_forked` runs in the worker then (the
    server sets it: the ready pipe, the pool's warm-up)."""

    def __init__(self, listeners: list[sockets.RawSocket], fork: Callable[[], bool]) -> None:
        self.listeners = listeners
        self.fork = fork
        self.on_forked: Callable[[], None] = lambda: None


class FirstAnswerOver(BaseException):
    """Raised in the supervisor once it has forked worker 1: it unwinds the loop and the
    server (a BaseException: no safety net on the way may take it for a failed request)."""

    def __init__(self, loop: FastLoop) -> None:
        super().__init__("worker 1 forked")
        self.loop = loop


class FastLoop:
    """Serve on `listener` until the full server is imported (`run` returns True: hand over)
    or a SIGTERM/SIGINT drained this phase (`run` returns False: the worker is done)."""

    def __init__(
        self,
        config: ServerConfig,
        dispatcher: Dispatcher,
        listener: sockets.RawSocket,
        heartbeat: Heartbeat | None = None,
        first: FirstAnswer | None = None,
    ) -> None:
        self.config = config
        self.dispatcher = dispatcher
        self.listener = listener
        self.listeners = first.listeners if first is not None else [listener]
        self.first = first
        if first is not None:  # a cold run: the lane does not judge the handler by it
            dispatcher.pool.lanes.judging = False
        self.heartbeat = heartbeat
        self.connections: dict[int, FastConnection] = {}
        self.selector = Poller()
        self.loaded = Event()
        self.import_error: BaseException | None = None
        self.stop_requested = False
        self.draining = False
        self._wake_r, self._wake_w = sockets.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self._importer: threading.Thread | None = None
        self._urgent = False  # a reply needs the full server: hand over as soon as possible
        self._started = time.monotonic()
        self._drain_deadline = 0.0
        self._old_handlers: dict[int, object] = {}
        self._old_wakeup = -1

    # -- the loop -----------------------------------------------------------------------------
    def run(self) -> bool:
        self._install_signals()
        try:
            return self._loop()
        finally:
            self._restore_signals()

    def _loop(self) -> bool:
        for listener in self.listeners:
            self.selector.register(listener, READ, _LISTENER)
        self.selector.register(self._wake_r, READ)
        while True:
            events = self.selector.select(self._turn_timeout())
            if self.heartbeat is not None:
                self.heartbeat.beat(self.dispatcher.pool.oldest_busy())
            for key, mask in events:
                if key.data is _LISTENER:
                    self._accept(key.fileobj)  # type: ignore[arg-type]
                elif key.fileobj is self._wake_r:
                    with suppress(OSError):
                        self._wake_r.recv(4096)
                else:
                    self._ready(key.data, mask)
            self._complete()
            if self.stop_requested and not self.draining:
                self._begin_drain()
            if self.draining:
                if self._drained():
                    return False
                continue
            self._expire_lingering()
            if self.first is not None and (
                self.dispatcher.served or self._urgent or time.monotonic() - self._started > FIRST_IDLE
            ):
                self._end_first()
            if (
                self._importer is None
                and (self.dispatcher.served or self._urgent or time.monotonic() - self._started > IDLE_IMPORT)
                and (self._urgent or not _held())
            ):
                self._start_import()
            if self._urgent and not self.loaded.is_set():
                self.loaded.wait()  # (what a start without this loop waits for anyway)
            if self.loaded.is_set():
                if self.import_error is not None:
                    raise self.import_error
                return True

    def _turn_timeout(self) -> float:
        if self.first is None:
            return TICK
        return max(0.0, min(TICK, self._started + FIRST_IDLE - time.monotonic()))

    def _accept(self, listener: sockets.RawSocket) -> None:
        for _ in range(64):
            try:
                sock = sockets.accept(listener)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:  # EMFILE, ECONNABORTED: the full server logs and retries the same
                return
            connection = FastConnection(sock, self.config)
            self.connections[sock.fileno()] = connection
            self.selector.register(sock, READ, connection)
            if len(self.connections) > self.config.max_connections:
                self._refuse(connection, 503, "Service Unavailable: too many connections")

    def _ready(self, connection: FastConnection, mask: int) -> None:
        try:
            if mask & WRITE:
                self._flush(connection)
            if mask & READ and connection.sock.fileno() >= 0:
                self._read(connection)
        except Exception:  # the safety net: a bug in zigttp answers 500, never silence
            report_internal_error()
            self._refuse(connection, 500, "Internal Server Error")

    # -- reading and answering ------------------------------------------------------------------
    def _read(self, connection: FastConnection) -> None:
        try:
            data = connection.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self._close(connection)
            return
        if connection.lingering or connection.pending_error is not None:
            return  # after an error: discard what the client still sends
        try:
            connection.reader.feed(data)
        except ProtocolError as exc:
            if not connection.reader.requests:
                self._refuse(connection, exc.status, str(exc))
                return
            connection.pending_error = exc  # answer the complete requests before it first
        self._answer(connection)

    def _answer(self, connection: FastConnection) -> None:
        """Answer the queued requests in order, then the pending error, then `100 Continue`."""
        reader = connection.reader
        while reader.requests and connection.special is None and connection.call is None:
            if len(connection.unsent) > MAX_UNSENT:
                break  # the peer is not reading: resume once it has (`_flush`)
            request = reader.requests.popleft()
            connection.continue_sent = False
            reply = self._dispatch(connection, request)
            if reply is None:
                break  # on a pool thread: `_complete` carries on
            if not self._take(connection, reply):
                return
        if connection.call is None and connection.special is None:
            if connection.pending_error is not None and not reader.requests:
                error = connection.pending_error
                self._refuse(connection, error.status, str(error))
                return
            if (
                reader.head_complete_pending_continue and not connection.continue_sent and not reader.requests
            ):  # (after the earlier answers in `unsent`: an interim answer never overtakes them)
                connection.continue_sent = True
                connection.unsent += CONTINUE
        self._flush(connection)

    def _take(self, connection: FastConnection, reply: Reply) -> bool:
        """Queue one answer for writing; False when the connection takes no more answers now."""
        data, keep_alive = reply
        if data.__class__ is not bytes:  # a streamed body: the full server sends it
            connection.special = reply
            self._urgent = True
            with suppress(KeyError, ValueError):
                self.selector.unregister(connection.sock)  # the rest waits in the kernel
            return False
        if self.draining and keep_alive:
            data, keep_alive = with_close(data), False  # type: ignore[arg-type]
        connection.unsent += data  # type: ignore[operator]
        if not keep_alive:
            connection.closing = True
            connection.reader.requests.clear()
            self._flush(connection, then_close=True)
            return False
        return True

    def _dispatch(self, connection: FastConnection, request: Request) -> Reply | None:
        """The loop backend's lanes: inline when the lane allows, else (or when the inline run
        outlasted its bound) on a pool thread, not waited for here (None: `_complete`)."""
        dispatcher = self.dispatcher
        # (the supervisor's first answers run inline however unproven the handler)
        if self.first is not None or dispatcher.pool.inline_allowed(request.url):
            reply = dispatcher.handle_inline(request)
            if reply is not None:
                return reply
            if self.first is not None:
                self._end_first()  # (interrupted at the inline bound: worker 1's threads run it)
        connection.call = ThreadedCall(dispatcher, request, self._wake)
        return None

    def _end_first(self) -> None:
        """Fork worker 1. The supervisor leaves through `FirstAnswerOver`; the worker goes on
        here, on its own listening socket (and the connections accepted so far)."""
        first, self.first = self.first, None
        assert first is not None
        if not first.fork():
            raise FirstAnswerOver(self)
        for listener in self.listeners:
            if listener is not self.listener:
                with suppress(KeyError, ValueError):
                    self.selector.unregister(listener)
                listener.close()
        self.listeners = [self.listener]
        pool = self.dispatcher.pool
        pool.lanes.judging = True
        pool.warm()  # the slots (the first requests of an unproven handler run on them)
        first.on_forked()

    def abandon(self) -> None:
        """The supervisor, once worker 1 has forked: close its copies of the connections (the
        worker's stay open) and of this loop's own descriptors; the listeners stay its own."""
        for connection in self.connections.values():
            connection.sock.close()
        self.connections.clear()
        self.selector.close()
        self._wake_r.close()
        self._wake_w.close()

    def _wake(self) -> None:
        with suppress(OSError):
            self._wake_w.send(b"\0")

    def _complete(self) -> None:
        """Carry on with the connections whose pool-thread request has finished."""
        for connection in list(self.connections.values()):
            call = connection.call
            if call is None or not call.done.is_set():
                continue
            connection.call = None
            if call.error is not None:
                call.report()
                self._refuse(connection, 500, "Internal Server Error")
            elif self._take(connection, call.reply):  # type: ignore[arg-type]
                self._answer(connection)

    def _flush(self, connection: FastConnection, *, then_close: bool = False) -> None:
        """Send what the socket takes; wait for writability for the rest. Reading stops while
        more than `MAX_UNSENT` bytes wait (the loop backend pauses reading the same way)."""
        unsent = connection.unsent
        if unsent:
            try:
                sent = connection.sock.send(unsent)
            except (BlockingIOError, InterruptedError):
                sent = 0
            except OSError:
                self._close(connection)
                return
            del unsent[:sent]
        if not unsent and (then_close or connection.lingering):
            if then_close:
                self._close(connection)
                return
            if not connection.shut:
                connection.shut = True
                with suppress(OSError):
                    connection.sock.shutdown(sockets.SHUT_WR)
        if then_close:
            events = WRITE
        elif connection.lingering:
            events = READ | WRITE if unsent else READ
        elif len(unsent) > MAX_UNSENT:
            events = WRITE
        else:
            events = READ | WRITE if unsent else READ
        with suppress(KeyError, ValueError):
            self.selector.modify(connection.sock, events, connection)
        if (
            events & READ
            and connection.reader.requests
            and not (connection.lingering or connection.call or connection.special)
        ):
            self._answer(connection)  # requests held back while the peer was not reading

    def _refuse(self, connection: FastConnection, status: int, message: str) -> None:
        """Answer an error after what is unsent, half-close, discard input for `LINGER_SECONDS`,
        close (as the loop backend does: closing with unread input sends RST, which can destroy
        the answer)."""
        connection.reader.requests.clear()
        connection.unsent += plain_error(status, message)
        connection.lingering = time.monotonic() + LINGER_SECONDS
        self._flush(connection)

    def _expire_lingering(self) -> None:
        now = time.monotonic()
        for connection in list(self.connections.values()):
            if connection.lingering and now >= connection.lingering:
                self._close(connection)

    def _close(self, connection: FastConnection) -> None:
        sock = connection.sock
        if sock.fileno() < 0:
            return
        self.connections.pop(sock.fileno(), None)
        with suppress(KeyError, ValueError):
            self.selector.unregister(sock)
        sock.close()

    # -- the full server's import ---------------------------------------------------------------
    def _start_import(self) -> None:
        def load() -> None:
            try:
                import importlib

                hold = hold_path()
                while hold and not os.path.exists(hold):
                    time.sleep(0.01)

                for name in FULL_SERVER:
                    importlib.import_module(name)
            except BaseException as exc:  # raised on the serving thread (`_loop`)
                self.import_error = exc
            self.loaded.set()
            self._wake()

        import_threading_here()  # (on the main thread: lean_threads.py says why)
        import threading

        self._importer = threading.Thread(target=load, name="zigttp-import", daemon=True)
        self._importer.start()

    def release(self) -> list[FastConnection]:
        """Leave the listening socket and the open connections to the full server."""
        with suppress(KeyError, ValueError):
            self.selector.unregister(self.listener)
        for connection in self.connections.values():
            with suppress(KeyError, ValueError):
                self.selector.unregister(connection.sock)
        self.selector.close()
        self._wake_r.close()
        self._wake_w.close()
        for connection in self.connections.values():  # (uvloop adopts `socket.socket`s)
            connection.sock = sockets.full(connection.sock)
        return list(self.connections.values())

    # -- SIGTERM / SIGINT -----------------------------------------------------------------------
    def _install_signals(self) -> None:
        self._old_wakeup = signal.set_wakeup_fd(self._wake_w.fileno())
        for signum in (signal.SIGTERM, signal.SIGINT):
            self._old_handlers[signum] = signal.signal(signum, self._on_signal)

    def _restore_signals(self) -> None:
        """Back to the previous wake-up fd; the handlers stay ours (they only set a flag the
        full server reads once it has installed its own, so a signal in between is not lost)."""
        signal.set_wakeup_fd(self._old_wakeup)

    def _on_signal(self, signum: int, _frame: object) -> None:
        self.stop_requested = True

    def _begin_drain(self) -> None:
        """Stop accepting; idle connections close now, the others after their answer."""
        self.draining = True
        self._drain_deadline = time.monotonic() + self.config.drain_timeout
        for listener in self.listeners:
            with suppress(KeyError, ValueError):
                self.selector.unregister(listener)
            listener.close()
        for connection in list(self.connections.values()):
            if connection.idle or connection.lingering:
                self._close(connection)

    def _drained(self) -> bool:
        for connection in list(self.connections.values()):
            if connection.idle or connection.lingering:
                self._close(connection)
        if time.monotonic() > self._drain_deadline:
            for connection in list(self.connections.values()):
                self._close(connection)
        return not self.connections


def _held() -> bool:
    """A test's hold is on (`hold_path`): not even `threading` is imported meanwhile."""
    hold = hold_path()
    return bool(hold) and not os.path.exists(hold)


def hold_path() -> str:
    """For tests that must see both loops serve one connection: with `ZIGTTP_FAST_START_HOLD`
    set, the fast phase lasts until that file exists, and once the full server has adopted the
    connections it writes `adopted N queued Q unsent U` into the file (`lifecycle`), so a test
    knows which loop answers each request without timing anything."""
    return os.environ.get(HOLD_ENV, "")
