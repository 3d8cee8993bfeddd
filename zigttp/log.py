"""Server log lines on stderr: access log, handler console output, handler failures.

One writer for all three so they interleave cleanly and carry the same request id. Text form:

    [1-42] GET /api/health -> 200 15B 0.31ms
    [1-42] console.info: hello
    [1-42] error: HandlerException: boom (at handler.ts:17:11)

`--log-format json` writes one JSON object per line instead, every line with `ts` (RFC 3339,
UTC, milliseconds), `level`, `worker` and, when it belongs to a request, `request_id`:

    {"ts":"2026-11-25T11:00:00.123Z","level":"info","worker":1,"request_id":"1-42",
     "method":"GET","path":"/api/health","status":200,"duration_ms":0.31,"bytes":15}
    {"ts":...,"level":"warn","worker":1,"request_id":"1-42","source":"console","msg":"careful"}

Text lines carry client input (a handler logs a header, a URL, an error message), so every
field is written through `escape()`: CR, LF and other control characters become `\n`, `\r`,
`\x1b`..., and one call always writes exactly the lines it means to (CWE-117: no forged
access-log lines, no terminal escape sequences). JSON lines are escaped by json.dumps.
"""

from __future__ import annotations

import sys
import time

from zigttp.lean_threads import Lock, local

TYPE_CHECKING = False  # (typing stays off the start path: bench/README.md)
if TYPE_CHECKING:
    from typing import Any, TextIO

_request = local()  # the request a pool thread is running, for module log lines
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# C0 controls, DEL, C1 controls and the Unicode line/paragraph separators.
_CONTROLS = [*range(0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029]
_ESCAPES = {c: _NAMED.get(chr(c)) or (f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}") for c in _CONTROLS}


def escape(text: str) -> str:
    """`text` on one line, its control characters written as escapes (one linear pass)."""
    return text.translate(_ESCAPES)


def bind_request(request_id: str | None) -> None:
    """Called by the pool around each handler run on the thread that runs it."""
    _request.id = request_id


def current_request() -> str | None:
    return getattr(_request, "id", None)


_LEVELS = {
    "log": "info",
    "info": "info",
    "debug": "debug",
    "warn": "warn",
    "error": "error",
    "trace": "debug",
}


def timestamp(now: float | None = None) -> str:
    now = time.time() if now is None else now
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + f".{int(now % 1 * 1000):03d}Z"


def start_line(
    fmt: str, url: str, *, handler: str, pool: int, load_ms: float, workers: int = 0, mode: str = ""
) -> str:
    """The `Listening on URL (...)` line on stdout that scripts wait for: one JSON object under
    `--log-format json` (its `msg` still starts `Listening on URL`), else the text form."""
    if fmt == "json":
        record: dict[str, Any] = {
            "ts": timestamp(),
            "level": "info",
            "msg": f"Listening on {url}",
            "url": url,
            "handler": handler,
            "pool": pool,
            "load_ms": round(load_ms, 1),
        }
        if workers:
            record["workers"] = workers
        if mode:
            record["mode"] = mode
        import json  # (--log-format json only: json brings re, ~2 ms of a cold start)

        return json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    shape = f"workers {workers}, pool {pool} each" if workers else f"pool {pool}"
    note = f" [{mode}]" if mode else ""
    return f"Listening on {url} ({shape}, handler {handler}, loaded in {load_ms:.1f} ms){note}"


class ServerLog:
    def __init__(
        self, stream: TextIO | None = None, *, access: bool = True, fmt: str = "text", worker: int = 1
    ) -> None:
        self.stream = stream or sys.stderr
        self.access_enabled = access
        self.json = fmt == "json"
        self.worker = worker
        self._lock = Lock()

    def write(self, line: str) -> None:
        with self._lock:
            try:
                self.stream.write(line + "\n")
                self.stream.flush()
            except (OSError, ValueError):  # a closed or broken stderr must not stop serving
                pass

    def event(self, level: str, request_id: str | None, **fields: Any) -> None:
        record: dict[str, Any] = {"ts": timestamp(), "level": level, "worker": self.worker}
        if request_id is not None:
            record["request_id"] = request_id
        record.update(fields)
        import json

        self.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))

    def access(self, request_id: str, method: str, url: str, status: int, size: int, seconds: float) -> None:
        if not self.access_enabled:
            return
        if self.json:
            self.event(
                "info",
                request_id,
                method=method,
                path=url,
                status=status,
                duration_ms=round(seconds * 1000, 3),
                bytes=size,
            )
        else:
            self.write(
                f"[{request_id}] {escape(method)} {escape(url)} -> {status} {size}B {seconds * 1000:.2f}ms"
            )

    def console(self, level: str, request_id: str, text: str) -> None:
        if self.json:
            self.event(_LEVELS.get(level, "info"), request_id, source="console", msg=text)
        else:
            self.write(f"[{request_id}] console.{level}: {escape(text)}")

    def handler_error(self, request_id: str, kind: str, message: str, stack: str = "") -> None:
        if self.json:
            self.event("error", request_id, error=kind, msg=message, stack=stack.rstrip() or None)
            return
        frames = "".join(f"\n{escape(frame)}" for frame in stack.rstrip().split("\n")) if stack else ""
        self.write(f"[{request_id}] error: {kind}: {escape(message)}{frames}")

    def module_log(self, level: str, message: str, context: dict[str, Any] | None = None) -> None:
        """Sink for `zigttp:log` (`ModuleContext.options["log_sink"]`): same stream and format
        as the access log, tagged with the id of the request whose handler logged."""
        request_id = current_request()
        if self.json:
            extra = {"context": context} if context else {}
            self.event(_LEVELS.get(level, level), request_id, source="zigttp:log", msg=message, **extra)
            return
        import json

        detail = f" {escape(json.dumps(context, ensure_ascii=False))}" if context else ""
        self.write(f"[{request_id or '-'}] log.{level}: {escape(message)}{detail}")

    def info(self, text: str) -> None:
        if self.json:
            self.event("info", None, msg=text)
        else:
            self.write(text)
