"""Server log lines on stderr: access log, handler console output, handler failures.

One writer for all three so they interleave cleanly and carry the same request id:

    [1-42] GET /api/health -> 200 15B 0.31ms
    [1-42] console.info: hello
    [1-42] error: HandlerException: boom (at handler.ts:17:11)
"""

from __future__ import annotations

import sys
import threading
from typing import TextIO


class ServerLog:
    def __init__(self, stream: TextIO | None = None, *, access: bool = True) -> None:
        self.stream = stream or sys.stderr
        self.access_enabled = access
        self._lock = threading.Lock()

    def write(self, line: str) -> None:
        with self._lock:
            try:
                self.stream.write(line + "\n")
                self.stream.flush()
            except (OSError, ValueError):  # a closed or broken stderr must not stop serving
                pass

    def access(self, request_id: str, method: str, url: str, status: int, size: int,
               seconds: float) -> None:
        if self.access_enabled:
            self.write(f"[{request_id}] {method} {url} -> {status} {size}B {seconds * 1000:.2f}ms")

    def console(self, level: str, request_id: str, text: str) -> None:
        self.write(f"[{request_id}] console.{level}: {text}")

    def handler_error(self, request_id: str, kind: str, message: str, stack: str = "") -> None:
        detail = f"\n{stack.rstrip()}" if stack else ""
        self.write(f"[{request_id}] error: {kind}: {message}{detail}")

    def info(self, text: str) -> None:
        self.write(text)
