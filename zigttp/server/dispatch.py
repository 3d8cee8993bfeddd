"""Per-request work shared by both backends: request → pool → response bytes.

This is the one place where failures become statuses: a `HandlerError` becomes a 500 whose
body is its message (503 + Retry-After for an exhausted pool), a `ProtocolError` its own status.

Order per request (style.md): internal endpoints (`/_zigttp/metrics`, `/_zigttp/health`, only
with `--metrics`/`--health`) → CORS preflight (`--cors`) → static file (`--static`, only where a
file exists) → the handler via the pool. CORS headers are added to every answer but the
internal ones. A reply is response bytes, or a `FileResponse` the backend streams (sendfile).
"""

from __future__ import annotations

import itertools
from time import perf_counter

from zigttp import errors
from zigttp.config import ServerConfig
from zigttp.lean import Pattern
from zigttp.log import ServerLog
from zigttp.runtime.marshal import HandlerResponse, encode_headers, header_block, split_message
from zigttp.runtime.pool import Call, RuntimePool
from zigttp.server.cors import CorsPolicy
from zigttp.server.metrics import RequestMetrics, SnapshotStore, render, snapshot
from zigttp.server.protocol import Request
from zigttp.server.response import FileResponse, plain_error, serialize, serialize_head

TYPE_CHECKING = False  # (typing stays off the start path: bench/README.md)
if TYPE_CHECKING:
    from collections.abc import Callable

    from zigttp.server.static import StaticFiles, StaticReply

_REQUEST_ID = Pattern(r"^[A-Za-z0-9._:\-]{1,128}$")
Reply = tuple[bytes | FileResponse, bool]
METRICS_PATH = "/_zigttp/metrics"
HEALTH_PATH = "/_zigttp/health"
WARM_AFTER = 0.005  # seconds after the first answer is built: it is written by then


class Dispatcher:
    def __init__(
        self,
        config: ServerConfig,
        pool: RuntimePool,
        log: ServerLog,
        locate: object = None,
        worker: int = 1,
        state_dir: str | None = None,
    ) -> None:
        self.config = config
        self.pool = pool
        self.log = log
        self.locate = locate
        self.next_id: Callable[[], int] = itertools.count(1).__next__  # (the C lane shares its own)
        self.on_swap: Callable[[], None] | None = None  # told when the pool is swapped (server/lane.py)
        self._worker = worker
        self.origin = ""  # "http://host:port" once the socket is bound (Server._prepare)
        self.served = 0
        self.static = _static_files(config) if config.static_dir else None
        self.cors = CorsPolicy(config.cors_origins) if config.cors or config.cors_origins else None
        self.requests = RequestMetrics()
        self.store = SnapshotStore(state_dir, worker, self.snapshot) if config.metrics else None
        # Anything to answer before the handler? (internal endpoints, preflight, static files)
        self.screens = bool(config.metrics or config.health or self.cors or self.static)

    def close(self) -> None:
        """The server stopped: its metrics snapshots stop (their thread would outlive it)."""
        if self.store is not None:
            self.store.close()

    def swap_pool(self, pool: RuntimePool, locate: object = None) -> RuntimePool:
        """Serve new requests from `pool`; in-flight ones finish on the returned old pool."""
        old, self.pool = self.pool, pool
        self.locate = locate
        if self.on_swap is not None:
            self.on_swap()
        return old

    def snapshot(self) -> dict[str, object]:
        cache = self.static.cache if self.static is not None else None
        state = None
        if self.config.state:  # (modules._state is light: it imports no Redis client)
            from zigttp.modules._state import STATE_METRICS

            state = STATE_METRICS.snapshot()
        return snapshot(self._worker, self.requests, self.pool.metrics, cache, state)

    def request_id(self, request: Request) -> str:
        incoming = request.headers.get("x-request-id")
        if incoming is not None and _REQUEST_ID.match(incoming):
            return incoming
        return f"{self._worker}-{self.next_id()}"

    def call_for(self, request: Request, request_id: str) -> Call:
        return Call(
            request.method,
            request.url,
            encode_headers(request.headers),
            _body_bytes(request),
            request_id,
            self.origin,
        )

    async def handle(self, request: Request) -> Reply:
        """Event-loop path. Returns the response bytes and whether to keep the connection."""
        started = perf_counter()
        request_id = self.request_id(request)
        early = self.early(request, request_id, started)
        if early is not None:
            return early
        try:
            response = await self.pool.run(self.call_for(request, request_id))
        except errors.HandlerError as exc:
            return self._failure(request, request_id, exc, started)
        return self._success(request, request_id, response, started)

    def early(self, request: Request, request_id: str, started: float) -> Reply | None:
        """What the server answers without the handler: internal paths, preflight, static files."""
        config = self.config
        if (config.metrics or config.health) and request.url.startswith("/_zigttp/"):
            internal = self._internal(request)
            if internal is not None:
                return internal
        if self.cors is not None and self.cors.is_preflight(request.method, request.headers):
            status, headers, body = self.cors.preflight(request.headers)
            return self._reply(request, request_id, status, headers, body, started, cors=False)
        if self.static is not None:
            reply = self.static.respond(request.method, request.url, request.headers)
            if reply is not None:
                return self._static(request, request_id, reply, started)
        return None

    def _internal(self, request: Request) -> Reply | None:
        path = request.url.partition("?")[0]
        keep_alive = request.keep_alive
        if path == HEALTH_PATH:
            body = b'{"status":"ok","worker":%d,"pool":%d}' % (self._worker, self.pool.size)
            return serialize(
                200,
                b"content-type: application/json\r\n",
                body,
                keep_alive=keep_alive,
                head_request=request.method == "HEAD",
            ), keep_alive
        if path == METRICS_PATH and self.store is not None:
            text = render(self.store.collect()).encode()
            headers = b"content-type: text/plain; version=0.0.4; charset=utf-8\r\n"
            return serialize(
                200, headers, text, keep_alive=keep_alive, head_request=request.method == "HEAD"
            ), keep_alive
        return None

    def _static(self, request: Request, request_id: str, reply: StaticReply, started: float) -> Reply:
        if reply.file is None:
            return self._reply(request, request_id, reply.status, reply.headers, reply.body, started)
        headers = self._decorate(request, request_id, reply.headers)
        keep_alive = request.keep_alive
        head = serialize_head(reply.status, headers, reply.length, keep_alive=keep_alive)
        self._finish(request, request_id, reply.status, reply.length, started)
        if request.method == "HEAD":
            return head, keep_alive
        return FileResponse(head, reply.file, reply.offset, reply.length), keep_alive

    def _decorate(
        self, request: Request, request_id: str, headers: list[tuple[str, str]], cors: bool = True
    ) -> list[tuple[str, str]]:
        if cors and self.cors is not None:
            headers = self.cors.apply(request.headers, headers)
        if "x-request-id" in request.headers:
            headers = [*headers, ("x-request-id", request_id)]
        return headers

    def _reply(
        self,
        request: Request,
        request_id: str,
        status: int,
        headers: list[tuple[str, str]],
        body: bytes,
        started: float,
        *,
        cors: bool = True,
    ) -> Reply:
        keep_alive = request.keep_alive
        data = serialize(
            status,
            header_block(self._decorate(request, request_id, headers, cors)),
            body,
            keep_alive=keep_alive,
            head_request=request.method == "HEAD",
        )
        self._finish(request, request_id, status, len(body), started)
        return data, keep_alive

    def handle_inline(self, request: Request) -> Reply | None:
        """Run on the event-loop thread (a handler proven fast; see runtime.lanes).

        None means: the run outlasted the inline bound and may be repeated, so the caller
        runs the request again on the pool threads. The hot path of the server: no `Call`
        record and no screening when nothing is configured to answer before the handler."""
        if self.screens:
            return self._handle_sync(request, self.pool.run_inline)
        started = perf_counter()
        request_id = self.request_id(request)
        inline = self.pool.inline
        assert inline is not None
        try:
            response = inline.run(
                request.method,
                request.url,
                encode_headers(request.headers),
                _body_bytes(request),
                request_id,
                self.origin,
            )
        except errors.HandlerError as exc:
            return None if _retry_on_threads(exc) else self._failure(request, request_id, exc, started)
        return self._success(request, request_id, response, started)

    def handle_blocking(self, request: Request) -> Reply:
        """Threaded-backend path."""
        reply = self._handle_sync(request, self.pool.run_blocking)
        assert reply is not None  # (only an inline run is ever repeated)
        return reply

    def _handle_sync(self, request: Request, run: Callable[[Call], HandlerResponse]) -> Reply | None:
        started = perf_counter()
        request_id = self.request_id(request)
        early = self.early(request, request_id, started)
        if early is not None:
            return early
        try:
            response = run(self.call_for(request, request_id))
        except errors.HandlerError as exc:
            return None if _retry_on_threads(exc) else self._failure(request, request_id, exc, started)
        return self._success(request, request_id, response, started)

    def _success(self, request: Request, request_id: str, response: HandlerResponse, started: float) -> Reply:
        if response.stream is not None:
            return self._streamed(request, request_id, response, started)
        size = len(response.body) + len(response.header_block)  # headers count too
        if size > self.config.max_response_bytes:
            limit = self.config.max_response_bytes
            return self._failure(
                request,
                request_id,
                errors.ResponseTooLarge(
                    f"response of {size} bytes (body and headers) exceeds the {limit}-byte cap"
                ),
                started,
            )
        self._decorate_response(request, request_id, response)
        keep_alive = request.keep_alive
        data = serialize(
            response.status,
            response.header_block,
            response.body,
            keep_alive=keep_alive,
            head_request=request.method == "HEAD",
        )
        self._finish(request, request_id, response.status, len(response.body), started)
        return data, keep_alive

    def _decorate_response(self, request: Request, request_id: str, response: HandlerResponse) -> None:
        """`_decorate` for a handler's response: its header block is rebuilt only when CORS or
        an `x-request-id` applies (rare), the common path keeps it as the engine made it."""
        if self.cors is not None or "x-request-id" in request.headers:
            response.header_block = header_block(self._decorate(request, request_id, response.headers))

    def _streamed(
        self, request: Request, request_id: str, response: HandlerResponse, started: float
    ) -> Reply:
        """A stream body: chunked, as it is produced (server.streaming; not counted by the
        --max-response-bytes cap, which bounds what is buffered)."""
        from zigttp.server.streaming import stream_response

        self._decorate_response(request, request_id, response)
        keep_alive = request.keep_alive
        reply = stream_response(
            response.status,
            response.header_block,
            response.stream,  # type: ignore[arg-type]
            keep_alive=keep_alive,
            head_request=request.method == "HEAD",
        )
        self._finish(request, request_id, response.status, 0, started)
        return reply, keep_alive  # type: ignore[return-value]

    def _failure(self, request: Request, request_id: str, exc: errors.HandlerError, started: float) -> Reply:
        message, stack = split_message(str(exc))
        if self.locate is not None and stack:
            from zigttp.runtime.marshal import map_stack

            stack = map_stack(stack, self.locate)  # type: ignore[arg-type]
        self.log.handler_error(request_id, type(exc).__name__, message, stack)
        extra = [("retry-after", "1")] if isinstance(exc, errors.PoolExhausted) else []
        extra = self._decorate(request, request_id, extra)
        keep_alive = request.keep_alive
        data = plain_error(exc.status, message or "Internal Server Error", keep_alive=keep_alive, extra=extra)
        self._finish(request, request_id, exc.status, len(message), started)
        return data, keep_alive

    def _finish(self, request: Request, request_id: str, status: int, size: int, started: float) -> None:
        elapsed = perf_counter() - started
        if self.log.access_enabled:
            self.log.access(request_id, request.method, request.url, status, size, elapsed)
        self.requests.record(status, elapsed)
        self.count_served(1)

    def count_served(self, count: int) -> None:
        """`count` more answers (the C lane reports its runs in one call per batch)."""
        before = self.served
        self.served += count
        if before == 0:  # the rest of the pool is built once the first answer is out
            self.pool.warm(after=WARM_AFTER)
        every = self.config.pool_metrics_every
        if every and self.served // every != before // every:
            self.log.info(self.pool.metrics.line())


def _retry_on_threads(exc: errors.HandlerError) -> bool:
    return isinstance(exc, errors.InlineBoundExceeded) and exc.retry


def _body_bytes(request: Request) -> bytes | None:
    """The body as it arrived (the handler decodes it if it asks for text), None when empty."""
    return request.body or None


def preflight(config: ServerConfig) -> None:
    """Raise the configuration errors a worker would meet (e.g. `--static` not a directory)
    once, before `--workers` forks: otherwise every worker reports them."""
    if config.static_dir:
        _static_files(config)


def _static_files(config: ServerConfig) -> StaticFiles:
    from zigttp.server.static import StaticFiles  # imported only when --static is used

    assert config.static_dir is not None
    return StaticFiles(
        config.static_dir,
        cache_max_bytes=config.static_cache_max_bytes,
        cache_max_file_size=config.static_cache_max_file_size,
    )
