"""`--cors` / `--cors-origin URL`: CORS headers and preflight answers (starlette's CORSMiddleware
as the model), without I/O.

* Every response the server produces for a request (handler, handler failure, static file)
  gets `Access-Control-Allow-Origin: *`, or, with an origin list, the request's `Origin`
  echoed when it is listed, plus `Vary: Origin` (the answer depends on it).
* A preflight is `OPTIONS` carrying both `Origin` and `Access-Control-Request-Method` (as in
  starlette): it is answered 204 with allow-methods/allow-headers/max-age here, and the
  handler is not called. A listed-origins policy answers a preflight from any other origin
  400 "Disallowed CORS origin". A plain OPTIONS still reaches the handler.
* A handler's own CORS headers win: a header the handler set is never replaced.
* Protocol errors the connection answers itself (400/408/413/...) carry no CORS headers.
"""

from __future__ import annotations

ALLOW_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"
DEFAULT_ALLOW_HEADERS = "Content-Type, Authorization"
MAX_AGE = "600"

Headers = list[tuple[str, str]]


class CorsPolicy:
    def __init__(self, origins: tuple[str, ...] = ()) -> None:
        self.origins = frozenset(origin.rstrip("/") for origin in origins)
        self.allow_all = not self.origins or "*" in self.origins

    def is_preflight(self, method: str, request: dict[str, str]) -> bool:
        return method == "OPTIONS" and "origin" in request and "access-control-request-method" in request

    def preflight(self, request: dict[str, str]) -> tuple[int, Headers, bytes]:
        origin = request.get("origin", "")
        if not self.allow_all and origin not in self.origins:
            return (
                400,
                [("content-type", "text/plain; charset=utf-8"), ("vary", "Origin")],
                b"Disallowed CORS origin",
            )
        requested = request.get("access-control-request-headers", "").strip()
        headers = [
            *self._origin_headers(request),
            ("access-control-allow-methods", ALLOW_METHODS),
            ("access-control-allow-headers", requested or DEFAULT_ALLOW_HEADERS),
            ("access-control-max-age", MAX_AGE),
        ]
        return 204, headers, b""

    def apply(self, request: dict[str, str], headers: Headers) -> Headers:
        """`headers` plus ours, except those the handler already set (its own win)."""
        present = {name.lower() for name, _ in headers}
        ours = [h for h in self._origin_headers(request) if h[0] not in present or h[0] == "vary"]
        if not ours:
            return headers
        merged = list(headers)
        for name, value in ours:
            if name == "vary":
                merged = _add_vary(merged, value)
            else:
                merged.append((name, value))
        return merged

    def _origin_headers(self, request: dict[str, str]) -> Headers:
        if self.allow_all:
            return [("access-control-allow-origin", "*")]
        origin = request.get("origin")
        if origin is not None and origin in self.origins:
            return [("access-control-allow-origin", origin), ("vary", "Origin")]
        return [("vary", "Origin")]


def _add_vary(headers: Headers, token: str) -> Headers:
    for index, (name, value) in enumerate(headers):
        if name.lower() == "vary":
            tokens = [t.strip().lower() for t in value.split(",")]
            if token.lower() not in tokens and "*" not in tokens:
                headers[index] = (name, f"{value}, {token}")
            return headers
    return [*headers, ("vary", token)]
