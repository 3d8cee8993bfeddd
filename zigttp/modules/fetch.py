"""`zigttp:fetch`: synchronous outbound HTTP, only to hosts the operator allowed.

The host function `fetch(url, init?)` with `init = {method?, headers?, body?, timeoutMs?,
maxResponseBytes?}` returns `{ok: true, value: {status, headers, body}}` for ANY HTTP status
(a 404 is still a response) and `{ok: false, error: {tag, message}}` when there is no
response: tags "host_not_allowed", "invalid_url", "timeout", "too_large", "network". JS
handlers get a `Response` made from it (`fetch_response.py`).

Rules: only `http`/`https`; the host must match `ctx.options["outbound_hosts"]` (exact names,
`*.example.com` globs, optional `:port`); redirects are NOT followed (a 3xx comes back as is,
so a redirect can never leave the allow-list); the timeout covers the WHOLE call (connect,
headers, body: see _outbound.py), is capped by `outbound_timeout_ms` (default 10 s) and never
runs past the request's own deadline (`--timeout`); a URL with a space or control character
(CR/LF would split the request line) is "invalid_url"; the body is read up to `maxResponseBytes` (default and
cap 10 MiB) and a longer body is an error, never silently truncated. Bodies are decoded as
UTF-8 with replacement; response header names are lower-cased.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any
from urllib.parse import urlsplit

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

DEFAULT_TIMEOUT_MS = 10_000
MAX_RESPONSE_BYTES = 10 * 1024 * 1024
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def host_allowed(host: str, port: int, patterns: tuple[str, ...]) -> bool:
    for pattern in patterns:
        name, _, want_port = pattern.lower().partition(":")
        if fnmatchcase(host, name) and (not want_port or want_port == str(port)):
            return True
    return False


def _failure(tag: str, message: str) -> Result:
    return err({"tag": tag, "message": message})


def _number_option(init: dict[str, Any], key: str, default: int, cap: int) -> int:
    value = init.get(key)
    if value is None:
        return min(default, cap)
    if not is_number(value) or value <= 0:
        raise bad_arg("fetch", f"init.{key}", "a positive number")
    return int(min(value, cap))


def _request(init: dict[str, Any]) -> tuple[str, dict[str, str], bytes | None]:
    method = (want_opt_str("fetch", "init.method", init.get("method")) or "GET").upper()
    if method not in METHODS:
        raise bad_arg("fetch", "init.method", f"one of {', '.join(sorted(METHODS))}")
    headers = want_opt_dict("fetch", "init.headers", init.get("headers"))
    body = want_opt_str("fetch", "init.body", init.get("body"))
    checked: dict[str, str] = {}
    for name, value in headers.items():
        text = want_str("fetch", f"init.headers.{name}", value)
        if any(c in name + text for c in "\r\n\0") or not name:
            raise bad_arg("fetch", f"init.headers.{name}", "free of CR, LF and NUL")
        checked[name] = text
    return method, checked, body.encode() if body else None


def _bad_url(url: str) -> str | None:
    """Why `url` cannot be fetched, or None. Control characters and spaces would split the
    request line (CRLF injection), so they are refused before anything is sent."""
    if any(ord(c) < 0x21 or ord(c) == 0x7F for c in url):
        return f"the URL contains a space or control character (percent-encode it): {url!r}"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"only absolute http(s) URLs can be fetched: {url!r}"
    try:
        parts.port  # noqa: B018 -- raises ValueError for a non-numeric or out-of-range port
    except ValueError:
        return f"invalid URL {url!r}"
    return None


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
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        if not host_allowed(parts.hostname or "", port, self.hosts):
            message = f"{parts.hostname}:{port} is not an allowed outbound host (--outbound-host)"
            return _failure("host_not_allowed", message)
        method, headers, body = _request(options)
        seconds = deadline.remaining(timeout_ms / 1000)  # never beyond the request's deadline
        # http.client costs ~15 ms of imports: paid on the first fetch, not at serve start
        from zigttp.modules._outbound import Timeout, TooLarge, exchange

        try:
            reply = exchange(parts, port, method, headers, body, seconds, limit)
        except Timeout:
            return _failure("timeout", f"no complete response within {seconds:.3g} s")
        except TooLarge:
            return _failure("too_large", f"response body exceeds {limit} bytes")
        except OSError as failure:
            return _failure("network", str(getattr(failure, "reason", failure)) or type(failure).__name__)
        body_text = reply.body.decode("utf-8", "replace")
        return ok({"status": reply.status, "headers": reply.headers, "body": body_text})


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
