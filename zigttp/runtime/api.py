"""`zigttp.Runtime`: call a handler in-process, without HTTP.

The embedding API and the non-HTTP hosts (ASGI, AWS Lambda) all go through this class, so a
handler answers the same way everywhere: the same pool, the same limits (1 MiB request body
→ 413, response cap → 500), the same failure mapping (a `HandlerError` becomes a response
with its status and message; an exhausted pool 503 with `Retry-After`). The HTTP server keeps
its own `Dispatcher` because it works on raw bytes; the rules are the same.

Thread-safe: `handle` may be called from any number of threads (each call checks out one
pooled runtime, waiting up to `pool_wait_timeout_ms`); `handle_async` from any event loop.
"""

from __future__ import annotations

import itertools
import time

from zigttp import errors
from zigttp.config import ServerConfig
from zigttp.lean import Pattern
from zigttp.log import ServerLog
from zigttp.records import field, record
from zigttp.runtime.marshal import HandlerResponse, encode_headers, map_stack, split_message
from zigttp.runtime.pool import Call, RuntimePool
from zigttp.state_dir import create_state_dir, remove_state_dir

TYPE_CHECKING = False  # (typing, re, json and pathlib stay off a Lambda cold start's path)
if TYPE_CHECKING:  # the front end stays off the import path of a built artifact
    from collections.abc import Iterable, Mapping
    from pathlib import Path
    from typing import Any

    from zigttp.frontend.pipeline import CompiledHandler

    Headers = Mapping[str, str] | Iterable[tuple[str, str]]
_REQUEST_ID = Pattern(r"^[A-Za-z0-9._:\-]{1,128}$")
_TEXT = "text/plain; charset=utf-8"


@record(frozen=True)
class Response:
    """A handler's answer. `error` names the HandlerError class when the handler failed."""

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    error: str | None = None

    def header(self, name: str) -> str | None:
        """The first value of header `name` (case-insensitive), or None."""
        lowered = name.lower()
        return next((value for key, value in self.headers if key.lower() == lowered), None)

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self) -> Any:
        import json

        return json.loads(self.body)


class Runtime:
    """A warm pool of runtimes for one handler. Use as a context manager or call `close()`."""

    def __init__(
        self,
        handler: CompiledHandler | str | Path,
        config: ServerConfig | None = None,
        *,
        log: ServerLog | None = None,
        id_prefix: str = "rt",
        sweep: bool = True,
    ) -> None:
        """`sweep=False`: leave the sweep of crashed servers' state directories to the caller,
        off its start path (`zigttp lambda` sweeps once it has answered its first event)."""
        from zigttp.runtime.loading import build_handler, compile_handler

        self.config = config or ServerConfig()
        self.log = log or ServerLog(access=False)
        self.compiled = compile_handler(handler, self.config)
        self.state_dir = create_state_dir(sweep=sweep)  # (removed by close(): module state)
        try:
            self.handler = build_handler(self.compiled, self.config, self.log, self.state_dir)
            self.pool = RuntimePool(
                self.config.pool_size,
                self.handler.new_runtime,
                wait_timeout_ms=self.config.pool_wait_timeout_ms,
                fresh_per_request=self.config.isolation == "request",
            )
            self.pool.start()
        except BaseException:
            remove_state_dir(self.state_dir)
            raise
        self._ids = itertools.count(1)
        self._prefix = id_prefix
        self.closed = False

    def __enter__(self) -> Runtime:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the pool and remove the state directory (what the handler's modules cached)."""
        if not self.closed:
            self.closed = True
            self.pool.close()
            remove_state_dir(self.state_dir)

    def handle(
        self,
        method: str = "GET",
        url: str = "/",
        headers: Headers | None = None,
        body: bytes | str | None = None,
        *,
        request_id: str | None = None,
    ) -> Response:
        """Run the handler for one request on a pooled runtime (blocks this thread)."""
        call = self._call(method, url, headers, body, request_id)
        if isinstance(call, Response):
            return call
        started = time.perf_counter()
        try:
            outcome: HandlerResponse | errors.HandlerError = self.pool.run_blocking(call)
            if outcome.stream is not None:  # a streamed body, collected whole here
                outcome.body, outcome.stream = outcome.stream.read_all(), None  # type: ignore[attr-defined]
        except errors.HandlerError as exc:
            outcome = exc
        return self._finish(call, outcome, started)

    async def handle_async(
        self,
        method: str = "GET",
        url: str = "/",
        headers: Headers | None = None,
        body: bytes | str | None = None,
        *,
        request_id: str | None = None,
    ) -> Response:
        """Same as `handle`, awaiting a free runtime without blocking the event loop."""
        call = self._call(method, url, headers, body, request_id)
        if isinstance(call, Response):
            return call
        started = time.perf_counter()
        try:
            outcome: HandlerResponse | errors.HandlerError = await self.pool.run(call)
            if outcome.stream is not None:
                outcome.body, outcome.stream = await outcome.stream.read_all_async(), None  # type: ignore[attr-defined]
        except errors.HandlerError as exc:
            outcome = exc
        return self._finish(call, outcome, started)

    def _call(
        self, method: str, url: str, headers: Headers | None, body: bytes | str | None, request_id: str | None
    ) -> Call | Response:
        if self.closed:
            raise errors.ZigttpError("Runtime is closed")
        lowered = normalize_headers(headers)
        data = body.encode("utf-8") if isinstance(body, str) else body
        if data is not None and len(data) > self.config.max_body_size:
            return Response(413, [("content-type", _TEXT)], b"Payload Too Large", "PayloadTooLarge")
        incoming = lowered.get("x-request-id")
        if request_id is None:
            request_id = (
                incoming if incoming and _REQUEST_ID.match(incoming) else f"{self._prefix}-{next(self._ids)}"
            )
        return _Call(
            method.upper(),
            url or "/",
            encode_headers(lowered),
            data or None,
            request_id,
            echo_id=incoming is not None,
        )

    def _finish(
        self, call: _Call, outcome: HandlerResponse | errors.HandlerError, started: float
    ) -> Response:
        if isinstance(outcome, HandlerResponse) and len(outcome.body) > self.config.max_response_bytes:
            limit = self.config.max_response_bytes
            outcome = errors.ResponseTooLarge(
                f"response body of {len(outcome.body)} bytes exceeds the {limit}-byte cap"
            )
        if isinstance(outcome, errors.HandlerError):
            response = self._failure(call.request_id, outcome)
        else:
            response = Response(outcome.status, list(outcome.headers), outcome.body)
        if call.echo_id:
            response.headers.append(("x-request-id", call.request_id))
        self.log.access(
            call.request_id,
            call.method,
            call.url,
            response.status,
            len(response.body),
            time.perf_counter() - started,
        )
        return response

    def _failure(self, request_id: str, exc: errors.HandlerError) -> Response:
        message, stack = split_message(str(exc))
        if stack:
            stack = map_stack(stack, self.compiled.frame)
        self.log.handler_error(request_id, type(exc).__name__, message, stack)
        headers = [("content-type", _TEXT)]
        if isinstance(exc, errors.PoolExhausted):
            headers.append(("retry-after", "1"))
        body = (message or "Internal Server Error").encode("utf-8")
        return Response(exc.status, headers, body, type(exc).__name__)


class _Call(Call):
    """A Call that remembers whether the caller sent its own x-request-id (echoed back)."""

    __slots__ = ("echo_id",)

    def __init__(self, *args: object, echo_id: bool = False) -> None:
        super().__init__(*args)  # type: ignore[arg-type]
        self.echo_id = echo_id


def normalize_headers(headers: Headers | None) -> dict[str, str]:
    """Lower-cased names; repeated names joined with ", " as the HTTP server does."""
    pairs = headers.items() if hasattr(headers, "items") else (headers or ())  # a Mapping, or pairs
    merged: dict[str, str] = {}
    for name, value in pairs:
        key = name.lower()
        merged[key] = f"{merged[key]}, {value}" if key in merged else value
    return merged
