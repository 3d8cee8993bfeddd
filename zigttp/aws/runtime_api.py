"""Client of the AWS Lambda Runtime API (version 2018-06-01): HTTP/1.1 over one socket.

Endpoints (AWS docs, "Using the Lambda runtime API for custom runtimes"):
`GET /runtime/invocation/next` (long poll; the event is the body, the request id and deadline
are headers), `POST /runtime/invocation/{id}/response`, `POST /runtime/invocation/{id}/error`,
`POST /runtime/init/error`. Error payloads are `{"errorMessage", "errorType", "stackTrace"}`
with the `Lambda-Runtime-Function-Error-Type` header.

Why not `http.client`: it imports `email` (its header parser) and `ssl`, ~90 M instructions
of a Lambda cold start, for a plain-HTTP API on the loopback. Requests are written directly
(the API takes nothing else). A response's head is parsed by llhttp in the engine extension
(`_engine.parse_response_head`, the lane's parser in response mode) and its Content-Length
body read here; httptools (the same llhttp, whose import is ~40 M instructions of a cold
start) parses what is not that: a chunked body, no length, a 1xx, over 64 fields. One
keep-alive connection, reopened once if the API dropped it.
"""

from __future__ import annotations

from zigttp.errors import ZigttpError
from zigttp.lean import json_dumps
from zigttp.records import record
from zigttp.runtime._engine import parse_response_head
from zigttp.server.sockets import RawSocket, connect

PREFIX = "/2018-06-01/runtime"


class RuntimeApiError(ZigttpError):
    """The Runtime API could not be reached or refused a call."""


@record(frozen=True)
class Invocation:
    request_id: str
    deadline_ms: int
    trace_id: str | None
    payload: bytes


class _Reply:
    """One response as httptools' callbacks deliver it (header names lower-cased): what
    `parse_response_head` leaves to httptools."""

    def __init__(self) -> None:
        self.headers: dict[str, str] = {}
        self.chunks: list[bytes] = []
        self.complete = False
        self.keep_alive = False
        self.parser: object = None  # the httptools parser feeding this reply

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers[name.decode("latin-1").lower()] = value.decode("latin-1")

    def on_headers_complete(self) -> None:
        # (here: once the message is complete, httptools' parser has been reset and says no)
        self.keep_alive = self.parser.should_keep_alive()  # type: ignore[attr-defined]

    def on_body(self, body: bytes) -> None:
        self.chunks.append(body)

    def on_message_complete(self) -> None:
        self.complete = True


def _receive(connection: RawSocket) -> bytes:
    """What the connection has next (ConnectionError once the API closed it)."""
    data = connection.recv(65536)
    if not data:
        raise ConnectionError("the Runtime API closed the connection")
    return data


class RuntimeApi:
    def __init__(self, address: str) -> None:
        host, _, port = address.rpartition(":")
        if not host or not port.isdigit():
            raise RuntimeApiError(f"AWS_LAMBDA_RUNTIME_API must be HOST:PORT, got {address!r}")
        self.host = host
        self.port = int(port)
        self._connection: RawSocket | None = None

    def _request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        """(status, headers with lower-cased names, body) of one call."""
        for attempt in (1, 2):  # one retry on a dropped keep-alive connection
            try:
                if self._connection is None:
                    self._connection = self._connect()
                self._connection.sendall(self._head(method, path, body, headers or {}) + (body or b""))
                return self._response(self._connection)
            except (OSError, ValueError) as exc:  # (ValueError: not a valid HTTP response)
                if self._connection is not None:
                    self._connection.close()
                self._connection = None
                if attempt == 2:
                    raise RuntimeApiError(f"Runtime API {method} {path} failed: {exc}") from None
        raise AssertionError("unreachable")

    def _head(self, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> bytes:
        lines = [f"{method} {PREFIX}{path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        if body is not None:
            lines.append(f"Content-Length: {len(body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def _response(self, connection: RawSocket) -> tuple[int, dict[str, str], bytes]:
        received = bytearray()
        while (head := parse_response_head(bytes(received))) is None:
            received += _receive(connection)
        length, status, fields, content_length, chunked, keep_alive, crowded = head
        if chunked or content_length < 0 or crowded or status < 200:
            return self._parsed_by_httptools(connection, received)
        end = length + content_length
        while len(received) < end:
            received += _receive(connection)
        if not keep_alive:
            connection.close()
            self._connection = None
        return status, {name.lower(): value for name, value in fields}, bytes(received[length:end])

    def _parsed_by_httptools(
        self, connection: RawSocket, received: bytearray
    ) -> tuple[int, dict[str, str], bytes]:
        import httptools

        reply = _Reply()
        parser = reply.parser = httptools.HttpResponseParser(reply)
        try:
            parser.feed_data(bytes(received))
            while not reply.complete:
                parser.feed_data(_receive(connection))
        except httptools.HttpParserError as exc:
            raise ValueError(f"not an HTTP response: {exc}") from None
        if not reply.keep_alive:
            connection.close()
            self._connection = None
        return parser.get_status_code(), reply.headers, b"".join(reply.chunks)

    def _connect(self) -> RawSocket:
        name = self.host.strip("[]")  # (an IPv6 literal's brackets)
        host = name.encode("ascii") if name.isascii() else name  # bytes: no idna codec to import
        return connect(host, self.port)

    def next_invocation(self) -> Invocation:
        status, headers, body = self._request("GET", "/invocation/next")
        if status != 200:
            raise RuntimeApiError(f"Runtime API /invocation/next answered {status}: {body[:200]!r}")
        return Invocation(
            request_id=headers.get("lambda-runtime-aws-request-id", ""),
            deadline_ms=int(headers.get("lambda-runtime-deadline-ms", "0") or 0),
            trace_id=headers.get("lambda-runtime-trace-id"),
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
        payload = json_dumps({"errorMessage": message, "errorType": error_type, "stackTrace": []})
        status, _, _ = self._request(
            "POST",
            path,
            payload.encode("utf-8"),
            {"Content-Type": "application/json", "Lambda-Runtime-Function-Error-Type": error_type},
        )
        return status
