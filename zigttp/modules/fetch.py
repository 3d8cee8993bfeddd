"""`zigttp:fetch`: synchronous outbound HTTP, only to hosts the operator allowed.

The host function `fetch(url, init?)` with `init = {method?, headers?, body?, timeoutMs?,
maxResponseBytes?}` returns `{ok: true, value: {status, headers, body}}` for ANY HTTP status
(a 404 is still a response) and `{ok: false, error: {tag, message}}` when there is no
response: tags "host_not_allowed", "invalid_url", "timeout", "too_large", "network". JS
handlers get a `Response` made from it (`fetch_response.py`). The wire work is the global
`fetch()`'s (`zigttp.web.outbound`), with `redirect: "manual"`.

Rules: only `http`/`https`; the host must match `ctx.options["outbound_hosts"]` (exact names,
`*.example.com` globs, optional `:port`); redirects are NOT followed (a 3xx comes back as is,
so a redirect can never leave the allow-list); the per-call timeout is capped by
`outbound_timeout_ms` (default 10 s); the body is read up to `maxResponseBytes` (default and
cap 10 MiB) and a longer body is an error, never silently truncated. Bodies are decoded as
UTF-8 with replacement; response header names are lower-cased.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zigttp import deadline
from zigttp.modules._result import (
    Result,
    bad_arg,
    err,
    is_number,
    ok,
    want_opt_dict,
    want_opt_str,
    want_str,
)
from zigttp.modules._spec import ModuleContext, ModuleSpec
from zigttp.modules.fetch_response import JS_WRAPPERS, retry_sleep
from zigttp.web import outbound

DEFAULT_TIMEOUT_MS = outbound.DEFAULT_TIMEOUT_MS
MAX_RESPONSE_BYTES = outbound.MAX_RESPONSE_BYTES
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


@dataclass(frozen=True)
class Outgoing:
    method: str
    url: str
    headers: list[tuple[str, str]]
    body: bytes | None


host_allowed = outbound.host_allowed  # (kept for importers)


def _failure(tag: str, message: str) -> Result:
    return err({"tag": tag, "message": message})


def _number_option(init: dict[str, Any], key: str, default: int, cap: int) -> int:
    value = init.get(key)
    if value is None:
        return min(default, cap)
    if not is_number(value) or value <= 0:
        raise bad_arg("fetch", f"init.{key}", "a positive number")
    return int(min(value, cap))


def _request(url: str, init: dict[str, Any]) -> Outgoing:
    method = (want_opt_str("fetch", "init.method", init.get("method")) or "GET").upper()
    if method not in METHODS:
        raise bad_arg("fetch", "init.method", f"one of {', '.join(sorted(METHODS))}")
    headers = want_opt_dict("fetch", "init.headers", init.get("headers"))
    body = want_opt_str("fetch", "init.body", init.get("body"))
    pairs = []
    for name, value in headers.items():
        text = want_str("fetch", f"init.headers.{name}", value)
        if any(c in name + text for c in "\r\n\0") or not name:
            raise bad_arg("fetch", f"init.headers.{name}", "free of CR, LF and NUL")
        pairs.append((name, text))
    return Outgoing(method, url, pairs, body.encode() if body else None)


class Fetcher:
    def __init__(self, ctx: ModuleContext) -> None:
        self.hosts = tuple(ctx.options.get("outbound_hosts", ()))
        self.timeout_cap = int(ctx.options.get("outbound_timeout_ms") or DEFAULT_TIMEOUT_MS)

    def fetch(self, url: Any, init: Any = None) -> Result:
        url = want_str("fetch", "url", url)
        options = want_opt_dict("fetch", "init", init)
        timeout_ms = _number_option(options, "timeoutMs", self.timeout_cap, self.timeout_cap)
        limit = _number_option(options, "maxResponseBytes", MAX_RESPONSE_BYTES, MAX_RESPONSE_BYTES)
        problem = _bad_url(url)
        if problem is not None:
            return _failure("invalid_url", problem)
        # one deadline for the whole call, never beyond the request's own
        timeout_ms = min(timeout_ms, int(deadline.remaining(timeout_ms / 1000) * 1000))
        return self._send(_request(url, options), timeout_ms, limit)

    def _send(self, request: Outgoing, timeout_ms: int, limit: int) -> Result:
        try:
            reply = outbound.send(
                request.method,
                request.url,
                request.headers,
                request.body,
                redirect="manual",
                timeout_ms=timeout_ms,
                limit=limit,
                hosts=self.hosts,
            )
        except outbound.OutboundError as exc:
            return _failure(exc.tag, exc.message)
        headers = {name.lower(): value for name, value in reply.headers}
        return ok({"status": reply.status, "headers": headers, "body": reply.body.decode("utf-8", "replace")})


def create(ctx: ModuleContext) -> dict[str, Any]:
    return {"fetch": Fetcher(ctx).fetch, "fetchWithRetry": retry_sleep}


# What JS sees (a Response per call, `query:`, fetchWithRetry) is built in fetch_response.py.
MODULE = ModuleSpec(
    name="fetch",
    exports=("fetch", "fetchWithRetry"),
    create=create,
    traceable=frozenset({"fetch"}),
    blocking=True,
    js_wrappers=JS_WRAPPERS,
)


def _bad_url(url: str) -> str | None:
    """Why `url` cannot be sent, or None. Control characters and spaces would split the
    request line (CRLF injection), so they are refused before anything is sent; the rest of
    the URL checks are the outbound client's (scheme, port, credentials, allow-list)."""
    if any(ord(c) < 0x21 or ord(c) == 0x7F for c in url):
        return f"the URL contains a space or control character (percent-encode it): {url!r}"
    return None
