"""A local stand-in for the Lambda Runtime API (2018-06-01), for end-to-end tests.

Implements the four documented endpoints: `GET /invocation/next` hands out queued events
with the documented headers, and `/response`, `/error`, `/init/error` record what the runtime
posted. `invoke(event)` queues one event and waits for its outcome.
"""

from __future__ import annotations

import contextlib
import json
import queue
import socket
import threading
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PREFIX = "/2018-06-01/runtime"


@dataclass
class Outcome:
    kind: str  # "response" | "error" | "init_error"
    payload: Any
    error_type_header: str | None = None


class RuntimeApiDouble:
    def __init__(self) -> None:
        self.events: queue.Queue[tuple[str, bytes]] = queue.Queue()
        self.outcomes: dict[str, queue.Queue[Outcome]] = {}
        self.init_errors: queue.Queue[Outcome] = queue.Queue()
        self.polling = threading.Event()  # set once the runtime has asked for its next event
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.address = f"127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def invoke(self, event: Any, timeout: float = 20.0) -> Outcome:
        request_id = str(uuid.uuid4())
        self.outcomes[request_id] = queue.Queue()
        raw = event if isinstance(event, bytes) else json.dumps(event).encode()
        self.events.put((request_id, raw))
        return self.outcomes[request_id].get(timeout=timeout)

    def close(self) -> None:
        self.events.put(("", b""))  # releases a long-polling /next
        self.server.shutdown()
        self.server.server_close()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        double = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def setup(self) -> None:
                super().setup()  # headers and body go out in separate writes: no Nagle delay
                self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def do_GET(self) -> None:
                if self.path != f"{PREFIX}/invocation/next":
                    return self._reply(404, b"{}")
                double.polling.set()
                request_id, raw = double.events.get()
                if not request_id:
                    return self._reply(500, b'{"errorMessage":"shutting down"}')
                self._reply(
                    200,
                    raw,
                    {
                        "Lambda-Runtime-Aws-Request-Id": request_id,
                        "Lambda-Runtime-Deadline-Ms": "9999999999999",
                        "Lambda-Runtime-Trace-Id": "Root=1-5e1b4151-5ac6c58f5b5dbd6a6f2ac2e1",
                        "Lambda-Runtime-Invoked-Function-Arn": "arn:aws:lambda:us-east-1:1:function:f",
                    },
                )

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                payload = json.loads(body)
                error_type = self.headers.get("Lambda-Runtime-Function-Error-Type")
                parts = self.path.removeprefix(PREFIX).strip("/").split("/")
                if parts == ["init", "error"]:
                    double.init_errors.put(Outcome("init_error", payload, error_type))
                elif len(parts) == 3 and parts[0] == "invocation" and parts[2] in ("response", "error"):
                    double.outcomes[parts[1]].put(Outcome(parts[2], payload, error_type))
                else:
                    return self._reply(404, b"{}")
                self._reply(202, b'{"status":"OK"}')

            def _reply(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(OSError):  # the runtime process is gone (test teardown)
                    self.wfile.write(body)

        return Handler
