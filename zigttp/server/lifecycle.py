"""Server lifecycle: load the handler, warm the pool, bind, announce, serve, drain.

`Server` is the public embedding API (`zigttp.Server`); `zigttp serve` is a thin layer over it.
With `workers > 1` the supervisor forks worker processes that each run this same code on their
own socket of one SO_REUSEPORT group (`bind_group`), which no other process can join.
"""

from __future__ import annotations

import os
import sys
import time

from zigttp.config import ServerConfig
from zigttp.lean_threads import Event
from zigttp.log import ServerLog, start_line
from zigttp.runtime.handler import LoadedHandler
from zigttp.runtime.loading import build_handler, compile_handler
from zigttp.runtime.pool import RuntimePool
from zigttp.server.dispatch import Dispatcher
from zigttp.server.sockets import RawSocket, full, listening
from zigttp.state_dir import create_state_dir, remove_state_dir

WARM_IDLE = 0.25  # seconds after start-up: the rest of the pool is built by then in any case

TYPE_CHECKING = False  # (typing stays off the start path: bench/README.md)
if TYPE_CHECKING:  # the front end stays off the import path of a served artifact
    import threading
    from collections.abc import Awaitable, Callable
    from pathlib import Path
    from typing import Any

    from zigttp.frontend.pipeline import CompiledHandler
    from zigttp.server.fast_start import FastLoop, FirstAnswer
    from zigttp.server.heartbeat import Heartbeat
    from zigttp.server.loop_backend import LoopServer


def bind_group(host: str, port: int, count: int) -> list[RawSocket]:
    """`count` listening SO_REUSEPORT sockets on one port, for one server's own workers.

    SO_REUSEPORT lets any process of the same user join the group, so a second `zigttp serve`
    on the port would silently take a share of the connections. A probe bound first *without*
    SO_REUSEPORT fails with "port in use" while anyone holds the port (it also resolves port 0).
    Every socket of the group listens at once, before any worker starts, so the port is never
    held by a non-listening socket a later probe could share (the window left is the microseconds
    between the probe's close and the first bind)."""
    probe = listening(host, port, listen=False)
    port = probe.getsockname()[1]
    probe.close()
    return [listening(host, port, reuse_port=True) for _ in range(count)]


def start_pool(
    handler: LoadedHandler, config: ServerConfig, *, first_only: bool = False, inline_only: bool = False
) -> RuntimePool:
    """The handler's pool, warm; `first_only`: one runtime now, the rest on `pool.warm()`
    (a cold start: the dispatcher warms them after the first answer); `inline_only`: only the
    inline lane's runtime, on this thread (`RuntimePool.start`)."""
    factory = handler.new_runtime
    if config.trace_file:  # --trace: record requests, module calls and responses as fixtures
        from zigttp.testing.trace import tracing_factory

        factory = tracing_factory(handler, config.trace_file)
    pool = RuntimePool(
        config.pool_size,
        factory,
        wait_timeout_ms=config.pool_wait_timeout_ms,
        fresh_per_request=config.isolation == "request",
        inline_lane=inline_lane_configured(config) and not handler.bridge.blocking,
        blocking_modules=handler.bridge.blocking,
    )
    handler.pool = pool  # type: ignore[attr-defined]
    pool.start(first_only=first_only, inline_only=inline_only)
    return pool


class Server:
    """Serve one handler. `start()`/`stop()` run it in a background thread (tests, embedding);
    `serve_forever()` runs it in the calling thread until SIGTERM/SIGINT."""

    def __init__(
        self,
        handler: CompiledHandler | str | Path,
        config: ServerConfig | None = None,
        *,
        log: ServerLog | None = None,
        state_dir: str | None = None,
        worker: int = 1,
        heartbeat: Heartbeat | None = None,
    ) -> None:
        self.config = config or ServerConfig()
        self.log = log or ServerLog(access=not self.config.quiet, fmt=self.config.log_format, worker=worker)
        self.compiled = compile_handler(handler, self.config)
        self.state_dir = state_dir
        self._owns_state = state_dir is None  # a supervisor's workers share (and it removes) its
        self.worker = worker
        self.heartbeat = heartbeat  # a supervisor's watchdog cell (zigttp.server.heartbeat)
        self.port: int | None = None
        self.load_ms = 0.0
        self._box: list = []
        self._thread: threading.Thread | None = None
        self._ready = Event()
        self._error: BaseException | None = None

    def _prepare(
        self, sock: RawSocket | None, first: FirstAnswer | None = None
    ) -> tuple[Dispatcher, RawSocket, RuntimePool]:
        started = time.perf_counter()
        if self.state_dir is None:
            self.state_dir = create_state_dir()
        handler = build_handler(self.compiled, self.config, self.log, self.state_dir)
        pool = start_pool(handler, self.config, first_only=True, inline_only=first is not None)
        self.load_ms = (time.perf_counter() - started) * 1000
        if sock is None:
            sock = listening(self.config.host, self.config.port)  # (the full backends: `sockets.full`)
        self.port = sock.getsockname()[1]
        dispatcher = Dispatcher(
            self.config,
            pool,
            self.log,
            locate=self.compiled.frame,
            worker=self.worker,
            state_dir=self.state_dir,
        )
        dispatcher.origin = _origin(sock)
        self.dispatcher = dispatcher
        return dispatcher, sock, pool

    def banner(self, mode: str = "") -> str:
        return start_line(
            self.config.log_format,
            self.url,
            handler=self.compiled.filename,
            pool=self.config.pool_size,
            load_ms=self.load_ms,
            mode=mode,
        )

    def serve_forever(
        self,
        sock: RawSocket | None = None,
        *,
        announce: bool = True,
        on_ready: object = None,
        first: FirstAnswer | None = None,
    ) -> None:
        """`first`: the supervisor's cold start (`server.supervisor`): this process answers the
        first requests on all of `first.listeners`, then forks; the worker goes on from here."""
        try:
            dispatcher, sock, pool = self._prepare(sock, first)
        except BaseException:
            self._drop_state()
            raise

        def ready(*, beat: bool = True) -> None:
            pool.warm(after=WARM_IDLE)  # if no request came to warm it first (see dispatch)
            if announce:
                print(self.banner(), flush=True)
            if callable(on_ready):
                on_ready()
            if beat:
                self._beat()
            self._ready.set()

        try:
            self._run_backend(dispatcher, sock, ready, install_signals=self._thread is None, first=first)
        finally:
            dispatcher.close()
            pool.close()
            self._drop_state()

    def _drop_state(self) -> None:
        if self._owns_state:
            remove_state_dir(self.state_dir)
            self.state_dir = None

    def _run_backend(
        self,
        dispatcher: Dispatcher,
        sock: RawSocket,
        ready: object,
        *,
        install_signals: bool,
        first: FirstAnswer | None = None,
    ) -> None:
        options: dict[str, Any] = {"install_signals": install_signals, "server_box": self._box}
        if self.config.backend == "threads":
            from zigttp.server.thread_backend import run_thread_backend

            run_thread_backend(self.config, dispatcher, full(sock), ready, **options)  # type: ignore[arg-type]
            return
        adopt = None
        if install_signals and fast_start_enabled(self.config):  # (the main thread: signals)
            from zigttp.server.fast_start import FastLoop

            fast = FastLoop(self.config, dispatcher, sock, self.heartbeat, first=first)
            if first is None:
                ready(beat=False)  # type: ignore[operator]  # the fast loop beats while it turns
            else:  # ready once forked (the worker's pipe, the pool's warm-up threads)
                first.on_forked = lambda: ready(beat=False)  # type: ignore[operator]
            if not fast.run():
                return  # drained by SIGTERM before the full server was needed
            adopt, ready = _adopter(fast), self._beat
        from zigttp.server.loop_backend import run_loop_backend

        run_loop_backend(self.config, dispatcher, full(sock), ready, adopt=adopt, **options)  # type: ignore[arg-type]

    def _beat(self) -> None:
        if self.heartbeat is not None:  # from now on the watchdog judges this worker
            self.heartbeat.start(lambda: self.dispatcher.pool)

    def start(self, timeout: float = 30.0) -> int:
        """Serve in a background thread; returns the bound port once the pool is warm."""

        def target() -> None:
            try:
                self.serve_forever(announce=False)
            except BaseException as exc:
                self._error = exc
                self._ready.set()

        import threading  # (embedding and tests: off the command's start path, lean_threads.py)

        self._thread = threading.Thread(target=target, name="zigttp-server", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            from zigttp.errors import ZigttpError

            raise ZigttpError(f"server did not become ready within {timeout} s")
        if self._error is not None:
            raise self._error
        assert self.port is not None
        return self.port

    @property
    def url(self) -> str:
        host = self.config.host
        return f"http://{f'[{host}]' if ':' in host else host}:{self.port}"

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self, timeout: float = 15.0) -> None:
        if self._box:
            server = self._box[0]
            loop = getattr(server, "loop", None)
            if loop is not None:
                loop.call_soon_threadsafe(server.begin_drain)
            else:
                server.begin_drain()
        if self._thread is not None:
            self._thread.join(timeout)


def inline_lane_configured(config: ServerConfig) -> bool:
    """The configuration's part of whether the inline lane runs (`start_pool`; a handler whose
    modules block never runs inline either). fetch() blocks on the network: with outbound
    hosts allowed it never runs on the loop."""
    return config.backend == "loop" and config.inline_lane and not config.outbound_hosts


def fast_start_enabled(config: ServerConfig) -> bool:
    """The fast start (`server.fast_start`) serves the event-loop backend's first requests;
    ZIGTTP_FAST_START=0 turns it off (the full server from the first request)."""
    return config.backend == "loop" and os.environ.get("ZIGTTP_FAST_START", "1") != "0"


def _adopter(fast: FastLoop) -> Callable[[LoopServer], Awaitable[None]]:
    connections = fast.release()

    async def adopt(server: LoopServer) -> None:
        from zigttp.server.handover import adopt_all

        await adopt_all(server, connections)
        from zigttp.server.fast_start import hold_path

        if hold_path():  # (a test's hand-shake)
            queued = sum(len(c.reader.requests) for c in connections)
            unsent = sum(len(c.unsent) for c in connections)
            with open(hold_path(), "w") as file:
                file.write(f"adopted {len(connections)} queued {queued} unsent {unsent}\n")
        if fast.stop_requested:  # a signal after the fast loop's last turn: drain now
            server.begin_drain()

    return adopt


def fatal(message: str) -> None:
    sys.stderr.write(f"zigttp: {message}\n")


def _origin(sock: RawSocket) -> str:
    """http://host:port of a listening socket: a `{ fetch }` request's URL without a Host header."""
    host, port = sock.getsockname()[:2]
    if host in ("0.0.0.0", "::"):
        host = "localhost"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
