"""Per-request work shared by both backends: request → pool → response bytes.

This is the one place where failures become statuses: a `HandlerError` becomes a 500 whose
body is its message (503 + Retry-After for an exhausted pool), a `ProtocolError` its own status.
"""

from __future__ import annotations

import itertools
import re
import time

from zigttp import errors
from zigttp.config import ServerConfig
from zigttp.log import ServerLog
from zigttp.runtime.marshal import HandlerResponse, encode_headers, split_message
from zigttp.runtime.pool import Call, RuntimePool
from zigttp.server.protocol import Request
from zigttp.server.response import plain_error, serialize

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")


class Dispatcher:
    def __init__(self, config: ServerConfig, pool: RuntimePool, log: ServerLog,
                 locate: object = None, worker: int = 1) -> None:
        self.config = config
        self.pool = pool
        self.log = log
        self.locate = locate
        self._ids = itertools.count(1)
        self._worker = worker
        self.served = 0

    def request_id(self, request: Request) -> str:
        incoming = request.headers.get("x-request-id")
        if incoming is not None and _REQUEST_ID.match(incoming):
            return incoming
        return f"{self._worker}-{next(self._ids)}"

    def call_for(self, request: Request, request_id: str) -> Call:
        body = request.body.decode("utf-8", "replace") if request.body else None
        return Call(request.method, request.url, encode_headers(request.headers), body, request_id)

    async def handle(self, request: Request) -> tuple[bytes, bool]:
        """Event-loop path. Returns the response bytes and whether to keep the connection."""
        started = time.perf_counter()
        request_id = self.request_id(request)
        try:
            response = await self.pool.run(self.call_for(request, request_id))
        except errors.HandlerError as exc:
            return self._failure(request, request_id, exc, started)
        return self._success(request, request_id, response, started)

    def can_inline(self, request: Request) -> bool:
        return self.pool.can_run_inline(request.url)

    def handle_inline(self, request: Request) -> tuple[bytes, bool]:
        """Run on the event-loop thread (a handler proven fast; see runtime.lanes)."""
        started = time.perf_counter()
        request_id = self.request_id(request)
        try:
            response = self.pool.run_inline(self.call_for(request, request_id))
        except errors.HandlerError as exc:
            return self._failure(request, request_id, exc, started)
        return self._success(request, request_id, response, started)

    def handle_blocking(self, request: Request) -> tuple[bytes, bool]:
        """Threaded-backend path."""
        started = time.perf_counter()
        request_id = self.request_id(request)
        try:
            response = self.pool.run_blocking(self.call_for(request, request_id))
        except errors.HandlerError as exc:
            return self._failure(request, request_id, exc, started)
        return self._success(request, request_id, response, started)

    def _success(self, request: Request, request_id: str, response: HandlerResponse,
                 started: float) -> tuple[bytes, bool]:
        if len(response.body) > self.config.max_response_bytes:
            limit = self.config.max_response_bytes
            return self._failure(request, request_id, errors.ResponseTooLarge(
                f"response body of {len(response.body)} bytes exceeds the {limit}-byte cap"
            ), started)
        if "x-request-id" in request.headers:
            response.add_header("x-request-id", request_id)
        keep_alive = request.keep_alive
        data = serialize(response.status, response.header_block, response.body,
                         keep_alive=keep_alive, head_request=request.method == "HEAD")
        self._finish(request, request_id, response.status, len(response.body), started)
        return data, keep_alive

    def _failure(self, request: Request, request_id: str, exc: errors.HandlerError,
                 started: float) -> tuple[bytes, bool]:
        message, stack = split_message(str(exc))
        if self.locate is not None and stack:
            from zigttp.runtime.marshal import map_stack

            stack = map_stack(stack, self.locate)  # type: ignore[arg-type]
        self.log.handler_error(request_id, type(exc).__name__, message, stack)
        extra = [("retry-after", "1")] if isinstance(exc, errors.PoolExhausted) else []
        if "x-request-id" in request.headers:
            extra.append(("x-request-id", request_id))
        keep_alive = request.keep_alive
        data = plain_error(exc.status, message or "Internal Server Error", keep_alive=keep_alive,
                           extra=extra)
        self._finish(request, request_id, exc.status, len(message), started)
        return data, keep_alive

    def _finish(self, request: Request, request_id: str, status: int, size: int,
                started: float) -> None:
        self.log.access(request_id, request.method, request.url, status, size,
                        time.perf_counter() - started)
        self.served += 1
        every = self.config.pool_metrics_every
        if every and self.served % every == 0:
            self.log.info(self.pool.metrics.line())
