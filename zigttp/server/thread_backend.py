"""The threaded backend (`--backend threads`): blocking sockets, one thread per connection.

Same parser, limits, dispatch and pool as the event-loop backend; only the I/O differs. The
number of connection threads is bounded by `max_connections`; JS still runs on the pool's slot
threads, so the pool size bounds JS concurrency exactly as on the other backend.
Connections over the bound get a 503 from the accept loop (after their unread request bytes
are drained, so the close does not turn into a RST that destroys the answer).
"""

from __future__ import annotations

import contextlib
import signal
import socket
import threading
import time
from collections.abc import Callable

from zigttp.config import ServerConfig
from zigttp.errors import ProtocolError
from zigttp.server.dispatch import Dispatcher
from zigttp.server.protocol import RequestReader
from zigttp.server.response import CONTINUE, FileResponse, plain_error, report_internal_error
from zigttp.server.streaming import StreamResponse, send_stream_blocking


class ThreadServer:
    def __init__(self, config: ServerConfig, dispatcher: Dispatcher, sock: socket.socket) -> None:
        self.config = config
        self.dispatcher = dispatcher
        self.sock = sock
        self.draining = threading.Event()
        self.active: set[socket.socket] = set()
        self.busy: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(config.max_connections)

    def serve(self, on_ready: Callable[[], None]) -> None:
        self.sock.settimeout(0.2)
        on_ready()
        while not self.draining.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                break
            if not self._slots.acquire(blocking=False):
                self._refuse(conn)
                continue
            threading.Thread(target=self._connection, args=(conn,), daemon=True).start()
        self._drain()

    def begin_drain(self) -> None:
        self.draining.set()

    def _drain(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()
        deadline = time.monotonic() + self.config.drain_timeout
        while time.monotonic() < deadline:
            with self._lock:
                idle = self.active - self.busy
                for conn in idle:
                    with contextlib.suppress(OSError):
                        conn.shutdown(socket.SHUT_RDWR)
                if not self.active:
                    return
            time.sleep(0.02)

    def _refuse(self, conn: socket.socket) -> None:
        """503 without a thread: drain what already arrived so close() sends FIN, not RST."""
        with contextlib.suppress(OSError):
            conn.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                while conn.recv(65536):
                    pass
            conn.setblocking(True)
            conn.settimeout(0.5)
            conn.sendall(plain_error(503, "Service Unavailable: too many connections"))
            conn.shutdown(socket.SHUT_WR)
        with contextlib.suppress(OSError):
            conn.close()

    def _connection(self, conn: socket.socket) -> None:
        with self._lock:
            self.active.add(conn)
        try:
            self._serve_connection(conn)
        except OSError:
            pass
        except Exception:  # a bug outside a request's dispatch: loud, and this connection closes
            report_internal_error()
        finally:
            with self._lock:
                self.active.discard(conn)
                self.busy.discard(conn)
            with contextlib.suppress(OSError):
                conn.close()
            self._slots.release()

    def _serve_connection(self, conn: socket.socket) -> None:
        reader = RequestReader(self.config.max_body_size, self.config.max_header_bytes)
        head_started: float | None = None
        body_deadline = 0.0  # re-armed by body data only (chunk framing is not progress)
        error: ProtocolError | None = None  # answered after the requests completed before it
        while True:
            while not reader.requests:
                if error is not None:
                    conn.sendall(plain_error(error.status, str(error)))
                    _linger(conn)
                    return
                if reader.head_complete_pending_continue:  # nothing earlier is outstanding
                    reader.head_complete_pending_continue = False
                    conn.sendall(CONTINUE)
                data = self._receive(conn, reader, head_started, body_deadline)
                if data is None:
                    return
                try:
                    reader.feed(data)
                except ProtocolError as exc:
                    error = exc
                if reader.in_head:
                    if head_started is None:
                        head_started = time.monotonic()
                elif reader.mid_request and (not reader.stalled or head_started is not None):
                    head_started = None
                    body_deadline = time.monotonic() + self.config.body_timeout
            head_started = None
            request = reader.requests.popleft()
            with self._lock:
                self.busy.add(conn)
            try:
                response, keep_alive = self.dispatcher.handle_blocking(request)
            except Exception:  # the safety net: a bug in zigttp answers 500, never silence
                report_internal_error()
                conn.sendall(plain_error(500, "Internal Server Error"))
                _linger(conn)
                return
            if isinstance(response, FileResponse):
                if not _send_file(conn, response):
                    return
            elif isinstance(response, StreamResponse):
                if not send_stream_blocking(conn, response):
                    return
            else:
                conn.sendall(response)
            with self._lock:
                self.busy.discard(conn)
            if not keep_alive or self.draining.is_set():
                return

    def _receive(
        self, conn: socket.socket, reader: RequestReader, head_started: float | None, body_deadline: float
    ) -> bytes | None:
        """Read with the right timeout; None means close (EOF, idle timeout or 408 sent)."""
        config = self.config
        if reader.in_head and head_started is not None:
            timeout = max(0.001, head_started + config.header_timeout - time.monotonic())
        elif reader.mid_request:
            timeout = max(0.001, body_deadline - time.monotonic())
        else:
            timeout = config.keepalive_timeout
        conn.settimeout(timeout)
        try:
            data = conn.recv(65536)
        except TimeoutError:
            if reader.mid_request:
                conn.sendall(plain_error(408, "Request Timeout"))
                _linger(conn)
            return None
        return data or None


def _send_file(conn: socket.socket, response: FileResponse) -> bool:
    """Head, then the file slice via socket.sendfile (os.sendfile); False if it came up short."""
    conn.sendall(response.head)
    if response.count == 0:
        return True
    try:
        with open(response.path, "rb") as file:
            return conn.sendfile(file, response.offset, response.count) == response.count
    except OSError:
        return False


def _linger(conn: socket.socket, seconds: float = 1.0, budget: int = 4 << 20) -> None:
    """Half-close and discard input briefly, so the error response is not lost to a RST."""
    with contextlib.suppress(OSError):
        conn.shutdown(socket.SHUT_WR)
        deadline = time.monotonic() + seconds
        while budget > 0 and (left := deadline - time.monotonic()) > 0:
            conn.settimeout(left)
            data = conn.recv(65536)
            if not data:
                return
            budget -= len(data)


def run_thread_backend(
    config: ServerConfig,
    dispatcher: Dispatcher,
    sock: socket.socket,
    on_ready: Callable[[], None],
    install_signals: bool = True,
    server_box: list[ThreadServer] | None = None,
) -> None:
    server = ThreadServer(config, dispatcher, sock)
    if server_box is not None:
        server_box.append(server)
    if install_signals:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: server.begin_drain())
    server.serve(on_ready)
