"""ASGI 3 hosting: `uvicorn zigttp.asgi:app`, or `zigttp.asgi.create_app(handler, **options)`.

Any ASGI server (uvicorn, hypercorn, granian, gunicorn with uvicorn workers) can host a
handler with `zigttp serve`'s semantics, because requests go through the same `Runtime`: the
same pool, the 1 MiB body cap (413, decided from Content-Length before reading when it is
sent), 500 with the message on handler failures, 503 + Retry-After when the pool is
exhausted. HTTP parsing, keep-alive and timeouts are the host server's.

`app` is built on first access from the environment: `ZIGTTP_HANDLER` (required) plus any
`ZIGTTP_<FIELD>` of ServerConfig (`ZIGTTP_POOL`, `ZIGTTP_MEMORY`, `ZIGTTP_MODULES`...). The
pool starts at lifespan startup (or on the first request when the host has no lifespan) and
is never shared across processes: each worker process builds its own.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

from zigttp.config import ServerConfig, config_from_env, with_upstream_env
from zigttp.errors import UsageError

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
_TEXT = [(b"content-type", b"text/plain; charset=utf-8")]


class ZigttpASGI:
    """The ASGI application for one handler."""

    def __init__(self, handler: str | Path, config: ServerConfig) -> None:
        self.handler = handler
        self.config = config
        self.runtime: Any = None  # zigttp.runtime.api.Runtime once started
        self._lock = threading.Lock()

    def start(self) -> None:
        """Compile the handler and warm the pool (idempotent, thread-safe)."""
        with self._lock:
            if self.runtime is None:
                from zigttp.runtime.api import Runtime

                self.runtime = Runtime(self.handler, self.config, id_prefix="asgi")

    def close(self) -> None:
        with self._lock:
            if self.runtime is not None:
                self.runtime.close()
                self.runtime = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self._http(scope, receive, send)
        elif scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1003})

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    await asyncio.get_running_loop().run_in_executor(None, self.start)
                except Exception as exc:
                    await send({"type": "lifespan.startup.failed", "message": str(exc)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.runtime is None:
            await asyncio.get_running_loop().run_in_executor(None, self.start)
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]
        body = await _read_body(receive, headers, self.config.max_body_size)
        if body is None:
            await _send(send, 413, _TEXT, b"Payload Too Large", head=False)
            return
        response = await self.runtime.handle_async(scope["method"], _target(scope), headers, body)
        encoded = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.headers]
        await _send(send, response.status, encoded, response.body, head=scope["method"] == "HEAD")


def _target(scope: Scope) -> str:
    """The request target as sent: raw (still percent-encoded) path plus the query string."""
    raw = scope.get("raw_path")
    path = raw.decode("latin-1") if raw else scope["path"]
    query = scope.get("query_string", b"").decode("latin-1")
    return f"{path}?{query}" if query else path


async def _read_body(receive: Receive, headers: list[tuple[str, str]], cap: int) -> bytes | None:
    """The whole body, or None when it is over `cap` (refused from Content-Length if sent)."""
    length = next((v for k, v in headers if k == "content-length"), None)
    if length is not None and length.strip().isdigit() and int(length) > cap:
        return None
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > cap:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _send(
    send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes, *, head: bool
) -> None:
    names = {name.lower() for name, _ in headers}
    if b"content-length" not in names:
        headers = [*headers, (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if head else body})


def create_app(handler: str | Path, config: ServerConfig | None = None, **options: Any) -> ZigttpASGI:
    """An ASGI app serving `handler`; `options` are ServerConfig fields (pool_size=4, ...)."""
    base = config or ServerConfig()
    return ZigttpASGI(handler, base.with_changes(**options) if options else base)


def app_from_env(environ: dict[str, str] | None = None) -> ZigttpASGI:
    env = with_upstream_env(dict(os.environ if environ is None else environ))
    handler = env.get("ZIGTTP_HANDLER")
    if not handler:
        raise UsageError("zigttp.asgi:app needs ZIGTTP_HANDLER=path/to/handler.ts in the environment")
    return ZigttpASGI(handler, config_from_env(dict(env)))


_app: ZigttpASGI | None = None


def __getattr__(name: str) -> Any:
    global _app
    if name == "app":
        if _app is None:
            _app = app_from_env()
        return _app
    raise AttributeError(f"module 'zigttp.asgi' has no attribute {name!r}")
