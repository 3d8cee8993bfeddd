"""`serve --trace FILE`: record every request, module call and response as fixture rows.

Each handled request becomes one test block in the fixture format, written with a single
`write` on a file opened with O_APPEND (blocks from pool threads and worker processes never
interleave; a lock serialises threads of one process):

    {"type":"test","name":"GET /api/health [1-3]","handler":"hello.js"}
    {"type":"request","method":"GET","url":"/api/health","headers":{...},"body":null}
    {"type":"io","seq":0,"module":"env","fn":"env","args":["APP"],"result":"demo"}
    {"type":"expect","status":200,"body":"...","headers":{...}}

so `zigttp test trace.jsonl` replays the traffic as a regression test. Module calls made while
the runtime loaded the handler (top-level code) are repeated in front of every request's io
rows, because the replay builds a fresh runtime per test and makes those calls again. Runtime
state kept between requests (globals) is not replayed; trace with `--isolation request` when a
handler keeps any.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from typing import Any

from zigttp import errors
from zigttp.errors import UsageError
from zigttp.runtime.marshal import HandlerResponse, split_message
from zigttp.testing.assertions import Actual
from zigttp.testing.iotap import RecordedCall, RecordingTap, traceable_exports

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def truncate_trace(path: str) -> None:
    """Start a fresh trace at startup; an unwritable path is a usage error, not a crash."""
    try:
        with open(path, "w", encoding="utf-8"):
            pass
    except OSError as exc:
        raise UsageError(f"cannot write trace file {path}: {exc.strerror or exc}") from None


class TraceWriter:
    def __init__(self, path: str, handler_file: str | None) -> None:
        self.path = path
        try:
            self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        except OSError as exc:
            raise UsageError(f"cannot write trace file {path}: {exc.strerror or exc}") from None
        self._lock = threading.Lock()
        self._failed = False
        self.handler = _relative_handler(path, handler_file)

    def record(self, name: str, request: dict[str, Any], calls: list[RecordedCall], actual: Actual) -> None:
        test: dict[str, Any] = {"type": "test", "name": name}
        if self.handler:
            test["handler"] = self.handler
        rows = [test, {"type": "request", **request}]
        rows += [
            {"type": "io", "seq": seq, "module": c.module, "fn": c.fn, "args": c.args, "result": c.result}
            for seq, c in enumerate(calls)
        ]
        rows.append(
            {"type": "expect", "status": actual.status, "body": actual.body, "headers": actual.headers}
        )
        self.write("".join(_dumps(row) + "\n" for row in rows) + "\n")

    def write(self, text: str) -> None:
        data = text.encode("utf-8", "surrogatepass")
        with self._lock:
            try:
                os.write(self._fd, data)
            except OSError as exc:
                if not self._failed:  # say it once; serving goes on
                    sys.stderr.write(f"zigttp: trace file {self.path}: write failed: {exc}\n")
                self._failed = True

    def close(self) -> None:
        os.close(self._fd)


def _relative_handler(trace: str, handler_file: str | None) -> str | None:
    if not handler_file or handler_file.startswith("<"):
        return None
    target = os.path.abspath(handler_file)
    try:
        relative = os.path.relpath(target, os.path.dirname(os.path.abspath(trace)))
    except ValueError:  # another drive (Windows)
        return target
    return target if relative.startswith("..") else relative


class TracedRuntime:
    """Wraps one JsRuntime: records each dispatch with its module calls and its outcome."""

    def __init__(self, runtime: Any, tap: RecordingTap, slot: Any, writer: TraceWriter) -> None:
        self.runtime = runtime
        self.tap = tap
        self.slot = slot
        self.writer = writer

    def __getattr__(self, name: str) -> Any:
        return getattr(self.runtime, name)

    def dispatch(
        self, method: str, url: str, headers_wire: str, body: bytes | None, origin: str = ""
    ) -> HandlerResponse:
        self.tap.begin_request()
        text = body.decode("utf-8", "replace") if body is not None else None
        request = {"method": method, "url": url, "headers": decode_headers(headers_wire), "body": text}
        try:
            response: HandlerResponse = self.runtime.dispatch(method, url, headers_wire, body, origin)
        except errors.HandlerError as exc:
            self._record(request, _failure(exc))
            raise
        self._record(request, Actual.from_response(response))
        return response

    def _record(self, request: dict[str, Any], actual: Actual) -> None:
        request_id = getattr(self.slot, "request_id", "-")
        name = f"{request['method']} {request['url']} [{request_id}]"
        self.writer.record(name, request, self.tap.take(), actual)


def decode_headers(wire: str) -> dict[str, str]:
    """The inverse of `marshal.encode_headers` ("name\\0value\\0...")."""
    parts = wire.split("\0") if wire else []
    return dict(zip(parts[0::2], parts[1::2], strict=False))


def _failure(exc: errors.HandlerError) -> Actual:
    message, _stack = split_message(str(exc))
    return Actual(exc.status, {}, message or "Internal Server Error")


def tracing_factory(handler: Any, path: str) -> Any:
    """A pool factory that builds traced runtimes (each with its own RecordingTap)."""
    writer = TraceWriter(path, handler.compiled.filename)
    traceable = traceable_exports(handler.bridge.exports)

    def factory(slot: Any) -> TracedRuntime:
        tap = RecordingTap(traceable)
        handler.taps[slot.index] = tap
        return TracedRuntime(handler.new_runtime(slot), tap, slot, writer)

    factory.writer = writer  # type: ignore[attr-defined]
    return factory
