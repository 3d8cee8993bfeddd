"""Client of the AWS Lambda Runtime API (version 2018-06-01), over `http.client`.

Endpoints (AWS docs, "Using the Lambda runtime API for custom runtimes"):
`GET /runtime/invocation/next` (long poll; the event is the body, the request id and deadline
are headers), `POST /runtime/invocation/{id}/response`, `POST /runtime/invocation/{id}/error`,
`POST /runtime/init/error`. Error payloads are `{"errorMessage", "errorType", "stackTrace"}`
with the `Lambda-Runtime-Function-Error-Type` header.
"""

from __future__ import annotations

import http.client
import json
import socket
from dataclasses import dataclass

from zigttp.errors import ZigttpError

PREFIX = "/2018-06-01/runtime"


class RuntimeApiError(ZigttpError):
    """The Runtime API could not be reached or refused a call."""


@dataclass(frozen=True)
class Invocation:
    request_id: str
    deadline_ms: int
    trace_id: str | None
    payload: bytes


class RuntimeApi:
    def __init__(self, address: str) -> None:
        host, _, port = address.rpartition(":")
        if not host or not port.isdigit():
            raise RuntimeApiError(f"AWS_LAMBDA_RUNTIME_API must be HOST:PORT, got {address!r}")
        self.host = host
        self.port = int(port)
        self._connection: http.client.HTTPConnection | None = None

    def _request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        for attempt in (1, 2):  # one retry on a dropped keep-alive connection
            try:
                if self._connection is None:
                    self._connection = self._connect()
                self._connection.request(method, PREFIX + path, body=body, headers=headers or {})
                reply = self._connection.getresponse()
                return reply.status, reply.headers, reply.read()
            except (OSError, http.client.HTTPException) as exc:
                if self._connection is not None:
                    self._connection.close()
                self._connection = None
                if attempt == 2:
                    raise RuntimeApiError(f"Runtime API {method} {path} failed: {exc}") from None
        raise AssertionError("unreachable")

    def _connect(self) -> http.client.HTTPConnection:
        connection = http.client.HTTPConnection(self.host, self.port)
        connection.connect()
        assert connection.sock is not None
        connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection

    def next_invocation(self) -> Invocation:
        status, headers, body = self._request("GET", "/invocation/next")
        if status != 200:
            raise RuntimeApiError(f"Runtime API /invocation/next answered {status}: {body[:200]!r}")
        return Invocation(
            request_id=headers.get("Lambda-Runtime-Aws-Request-Id", ""),
            deadline_ms=int(headers.get("Lambda-Runtime-Deadline-Ms", "0") or 0),
            trace_id=headers.get("Lambda-Runtime-Trace-Id"),
            payload=body,
        )

    def respond(self, request_id: str, payload: bytes) -> int:
        status, _, _ = self._request(
            "POST", f"/invocation/{request_id}/response", payload, {"Content-Type": "application/json"}
        )
        return status

    def error(self, request_id: str, error_type: str, message: str) -> int:
        return self._post_error(f"/invocation/{request_id}/error", error_type, message)

    def init_error(self, error_type: str, message: str) -> int:
        return self._post_error("/init/error", error_type, message)

    def _post_error(self, path: str, error_type: str, message: str) -> int:
        payload = json.dumps({"errorMessage": message, "errorType": error_type, "stackTrace": []})
        status, _, _ = self._request(
            "POST",
            path,
            payload.encode("utf-8"),
            {"Content-Type": "application/json", "Lambda-Runtime-Function-Error-Type": error_type},
        )
        return status
